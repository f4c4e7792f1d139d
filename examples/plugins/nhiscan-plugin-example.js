// An example nhiscan plugin, in plain JavaScript so it needs no build step.
// Name it in a config file to load it:   { "plugins": ["./examples/plugins/nhiscan-plugin-example.js"] }
// A published plugin is the same object as the default export of an npm package
// (`"plugins": ["nhiscan-plugin-gcp"]`).
//
// It adds:
// - a source `inventory-file:PATH`, reading a JSON list of service accounts kept by hand
//   ({ "serviceAccounts": [{ "id", "name", "owner"?, "keys": [{ "id", "createdAt", "lastUsedAt"? }] }] });
// - a rule `example-service-account-naming` that wants service account names to start with `svc-`;
// - a report format `csv` (`--format json,csv`): one line per active finding, in nhiscan-findings.csv;
// - a secret detector `example-inventory-api-key` for the service's API keys (used by the git: and dir: sources).
// Connectors only collect and normalise; rules only judge; reporters only render the report.
// None calls another.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** @type {import('../../src/plugin.js').Connector} */
const inventoryFileConnector = {
  scheme: 'inventory-file',
  description: 'a hand-kept JSON list of service accounts',
  options: [{ name: 'inventory-file-strict', type: 'boolean', description: 'fail when an entry has no id' }],
  async collect(ctx) {
    const path = resolve(ctx.baseDir, ctx.source.target);
    const data = JSON.parse(await readFile(path, 'utf8'));
    const identities = [];
    const credentials = [];
    const errors = [];
    for (const account of data.serviceAccounts ?? []) {
      if (!account.id) {
        if (ctx.options['inventory-file-strict']) throw new Error(`an entry in ${ctx.source.target} has no id`);
        errors.push({ part: 'entry', message: 'entry without an id skipped' });
        continue;
      }
      const identityId = `inventory-file:service-account:${account.id}`;
      identities.push({
        id: identityId,
        provider: 'inventory-file',
        kind: 'service-account',
        nativeId: account.id,
        name: account.name ?? account.id,
        tags: account.owner ? { owner: account.owner } : {},
        grants: [],
        attributes: {},
        source: ctx.source.spec,
      });
      for (const key of account.keys ?? []) {
        credentials.push({
          id: `inventory-file:api-key:${key.id}`,
          provider: 'inventory-file',
          kind: 'api-key',
          nativeId: key.id,
          name: `${account.name ?? account.id}/${key.id}`,
          identityId,
          tags: {},
          createdAt: key.createdAt,
          ...(key.lastUsedAt ? { lastUsedAt: key.lastUsedAt } : {}),
          status: 'active',
          attributes: {},
          source: ctx.source.spec,
        });
      }
    }
    return { identities, credentials, errors, stats: { serviceAccounts: identities.length, keys: credentials.length } };
  },
};

/** @type {import('../../src/plugin.js').Rule} */
const namingRule = {
  meta: {
    id: 'example-service-account-naming',
    title: 'Service account not named svc-*',
    category: 'insecure-configuration',
    defaultSeverity: 'low',
    owasp: ['NHI10'],
    description: 'Service accounts that look like people are hard to tell apart from human accounts in reviews.',
    remediation: 'Rename the account with the `svc-` prefix.',
    providers: ['inventory-file'],
  },
  check(inventory) {
    return inventory.identities
      .filter((i) => i.kind === 'service-account' && !i.name.startsWith('svc-'))
      .map((i) => ({
        resource: { provider: i.provider, kind: i.kind, id: i.id, name: i.name },
        message: `Service account "${i.name}" does not start with svc-.`,
      }));
  },
};

/** A CSV cell: quoted when it holds a separator, a quote or a line break. */
const cell = (value) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** @type {import('../../src/plugin.js').Reporter} */
const csvReporter = {
  format: 'csv',
  fileName: 'nhiscan-findings.csv',
  // Written only when asked for (`--format`, or the config's `format`), not by default.
  byDefault: false,
  write(report, sink) {
    sink.write('severity,rule,resource,fingerprint\n');
    for (const f of report.findings) {
      if (f.suppressed || f.status === 'resolved') continue;
      sink.write(`${[f.severity, f.ruleId, f.resource.name, f.fingerprint].map(cell).join(',')}\n`);
    }
  },
};

/**
 * A secret detector: the inventory service's API keys (`invk_` + 32 letters and digits). Detectors are
 * data, like the built-in catalogue (docs/secrets.md): they may name built-in validators, and their
 * examples are templates (`{alnum:32}`) expanded at test time.
 * @type {import('../../src/secrets/detector.js').DetectorEntry}
 */
const inventoryApiKeyDetector = {
  id: 'example-inventory-api-key',
  title: 'Inventory service API key',
  provider: 'inventory-file',
  family: 'structured-token',
  keywords: ['invk_'],
  pattern: /(?<![A-Za-z0-9_-])invk_[A-Za-z0-9]{32}(?![A-Za-z0-9_-])/,
  confidence: 'structured',
  severity: 'high',
  identityKind: 'service-account',
  references: ['https://example.com/docs/inventory/api-keys'],
  examples: { positive: ['INVENTORY_KEY=invk_{alnum:32}\n'], negative: ['INVENTORY_KEY=invk_{alnum:12}\n'] },
};

export default {
  name: 'nhiscan-plugin-example',
  connectors: [inventoryFileConnector],
  rules: [namingRule],
  reporters: [csvReporter],
  detectors: [inventoryApiKeyDetector],
};
