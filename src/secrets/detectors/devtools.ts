/** Developer platforms and CI/CD: Buildkite, CircleCI, Sourcegraph, Pulumi, Doppler, Prefect. */
import type { DetectorEntry } from '../detector.js';
import { ALNUM, entries, ref } from './patterns.js';

export const devtoolsDetectors: DetectorEntry[] = entries({}, [
  {
    id: 'buildkite-agent-token',
    title: 'Buildkite user access token',
    provider: 'buildkite',
    prefix: 'bkua_',
    body: '0-9a-f',
    min: 40,
    references: [ref.kingfisher('buildkite')],
  },
  {
    id: 'circleci-pat',
    title: 'CircleCI personal API token',
    provider: 'circleci',
    keywords: ['ccipat_'],
    pattern: /(?<![A-Za-z0-9_-])CCIPAT_[A-Za-z0-9]{22}_[0-9a-f]{40}(?![A-Za-z0-9_-])/,
    references: [ref.kingfisher('circleci')],
    examples: { positive: ['CIRCLE_TOKEN=CCIPAT_{alnum:22}_{hex:40}\n'], negative: ['CIRCLE_TOKEN=CCIPAT_{alnum:22}_{hex:20}\n'] },
  },
  {
    id: 'sourcegraph-token',
    title: 'Sourcegraph access token',
    provider: 'sourcegraph',
    keywords: ['sgp_'],
    pattern: /(?<![A-Za-z0-9_-])sgp_(?:[0-9a-f]{16}|local)_[0-9a-f]{40}(?![A-Za-z0-9_-])/,
    references: [ref.gitleaks('sourcegraph'), ref.kingfisher('sourcegraph')],
    examples: {
      positive: ['SRC_ACCESS_TOKEN=sgp_{hex:16}_{hex:40}\n', 'SRC_ACCESS_TOKEN=sgp_local_{hex:40}\n'],
      negative: ['SRC_ACCESS_TOKEN=sgp_{hex:16}_{hex:30}\n'],
    },
  },
  {
    id: 'pulumi-access-token',
    title: 'Pulumi access token',
    provider: 'pulumi',
    prefix: 'pul-',
    body: '0-9a-f',
    min: 40,
    references: [ref.gitleaks('pulumi'), ref.kingfisher('pulumi')],
  },
  {
    id: 'doppler-token',
    title: 'Doppler token',
    provider: 'doppler',
    keywords: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.'],
    pattern: /(?<![A-Za-z0-9_.-])dp\.(?:pt|st|sa|ct)\.[A-Za-z0-9]{40,44}(?![A-Za-z0-9_-])/,
    references: [ref.gitleaks('doppler'), ref.kingfisher('doppler')],
    examples: { positive: ['DOPPLER_TOKEN=dp.st.{alnum:43}\n', 'DOPPLER_TOKEN=dp.pt.{alnum:43}\n'], negative: ['DOPPLER_TOKEN=dp.st.{alnum:20}\n'] },
  },
  {
    id: 'prefect-api-key',
    title: 'Prefect API key',
    provider: 'prefect',
    prefix: 'pnu_',
    body: ALNUM,
    min: 36,
    references: [ref.gitleaks('prefect'), ref.kingfisher('prefect')],
  },
]);
