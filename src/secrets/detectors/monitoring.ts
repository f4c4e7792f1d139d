/** Monitoring and observability: Datadog, Dynatrace, New Relic, Grafana, Sentry. */
import type { DetectorEntry } from '../detector.js';
import { HEX, entries, named, ref } from './patterns.js';

export const monitoringDetectors: DetectorEntry[] = [
  ...entries(
    {
      provider: 'datadog',
      family: 'contextual',
      identityKind: 'datadog-key',
      minEntropy: 0,
      references: ['https://docs.datadoghq.com/account_management/api-app-keys/', ref.gitleaks('datadog'), ref.kingfisher('datadog')],
    },
    [
      {
        id: 'datadog-api-key',
        title: 'Datadog API key',
        keywords: ['datadog', 'dd_api', 'dd-api', 'ddapi', 'dd.api'],
        pattern: named('(?:datadog|\\bdd)[\\w.\\-]{0,20}?api[_.\\-]?key', `[${HEX}]{32}`),
        examples: { positive: ['DD_API_KEY={hex:32}\n', 'datadog_api_key: "{hex:32}"\n'], negative: ['DD_SITE={hex:32}\n', 'DD_API_KEY={hex:20}\n'] },
      },
      {
        id: 'datadog-app-key',
        title: 'Datadog application key',
        keywords: ['datadog', 'dd_app', 'dd-app', 'ddapp', 'dd.app'],
        pattern: named('(?:datadog|\\bdd)[\\w.\\-]{0,20}?app(?:lication)?[_.\\-]?key', `[${HEX}]{40}`),
        examples: { positive: ['DD_APP_KEY={hex:40}\n'], negative: ['DD_APP_NAME={hex:40}\n'] },
      },
    ],
  ),
  ...entries({}, [
    {
      id: 'dynatrace-token',
      title: 'Dynatrace API token',
      provider: 'dynatrace',
      keywords: ['dt0c01.'],
      pattern: /(?<![A-Za-z0-9_.-])dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}(?![A-Za-z0-9_-])/,
      references: [ref.gitleaks('dynatrace'), ref.kingfisher('dynatrace')],
      examples: { positive: ['DT_API_TOKEN=dt0c01.{ualnum:24}.{ualnum:64}\n'], negative: ['DT_API_TOKEN=dt0c01.{ualnum:24}.{ualnum:30}\n'] },
    },
    {
      id: 'newrelic-user-api-key',
      title: 'New Relic user API key',
      provider: 'newrelic',
      prefix: 'NRAK-',
      body: 'A-Z0-9',
      min: 27,
      references: [ref.gitleaks('newrelic'), ref.kingfisher('newrelic')],
    },
    {
      id: 'newrelic-insert-key',
      title: 'New Relic insert key',
      provider: 'newrelic',
      prefix: 'NRII-',
      body: 'A-Za-z0-9_\\-',
      min: 32,
      severity: 'medium',
      references: [ref.gitleaks('newrelic'), ref.kingfisher('newrelic')],
    },
    {
      id: 'grafana-service-account-token',
      title: 'Grafana service account token',
      provider: 'grafana',
      keywords: ['glsa_'],
      pattern: /(?<![A-Za-z0-9_-])glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}(?![A-Za-z0-9_-])/,
      references: [ref.gitleaks('grafana'), ref.kingfisher('grafana')],
      examples: { positive: ['GRAFANA_TOKEN=glsa_{alnum:32}_{hex:8}\n'], negative: ['GRAFANA_TOKEN=glsa_{alnum:32}\n'] },
    },
    {
      id: 'grafana-cloud-token',
      title: 'Grafana Cloud access policy token',
      provider: 'grafana',
      keywords: ['glc_'],
      pattern: /(?<![A-Za-z0-9_-])glc_[A-Za-z0-9+/]{32,400}={0,2}(?![A-Za-z0-9_+/=-])/,
      references: [ref.gitleaks('grafana'), ref.kingfisher('grafana')],
      examples: { positive: ['GRAFANA_CLOUD_TOKEN=glc_{b64:120}\n'], negative: ['GRAFANA_CLOUD_TOKEN=glc_{b64:20}\n'] },
    },
    {
      id: 'sentry-user-token',
      title: 'Sentry user auth token',
      provider: 'sentry',
      prefix: 'sntryu_',
      body: HEX,
      min: 64,
      references: [ref.gitleaks('sentry')],
    },
    {
      id: 'sentry-org-token',
      title: 'Sentry organization auth token',
      provider: 'sentry',
      keywords: ['sntrys_'],
      pattern: /(?<![A-Za-z0-9_-])sntrys_eyJ[A-Za-z0-9+/=]{40,400}_[A-Za-z0-9+/]{43}(?![A-Za-z0-9_+/-])/,
      references: [ref.gitleaks('sentry')],
      examples: { positive: ['SENTRY_AUTH_TOKEN=sntrys_eyJ{b64:120}_{b64:43}\n'], negative: ['SENTRY_AUTH_TOKEN=sntrys_eyJ{b64:20}_{b64:43}\n'] },
    },
  ]),
];
