import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsRules } from '../../rules/aws/index.js';
import type { Credential, Identity } from '../../src/model/index.js';
import type { AwsPrincipalAttributes } from '../../src/model/aws.js';
import type { Rule } from '../../src/plugin.js';
import { defaultConfig } from '../../src/config.js';
import { Registry } from '../../src/registry.js';
import { corePlugin } from '../../src/core-plugin.js';
import { awsAnalysis, awsPlugin } from '../../connectors/aws/plugin.js';
import { runScan } from '../../src/engine.js';
import { silentLogger } from '../../src/log.js';
import { AccountBuilder } from '../../testkit/aws/model.js';
import { authorizationDetailsExport, credentialReportCsv, listAccessKeysExport } from '../../testkit/aws/exports.js';
import { accessKey, role, root, user } from '../../testkit/inventory/aws.js';
import { daysBefore } from '../../testkit/inventory/core.js';
import { testRule } from '../../testkit/rule-tester.js';

/** The aws plugin's enrichers and rules: a scan loads them when the inventory holds aws items. */
const awsAnalysisPlugin = await awsAnalysis.load();

const NOW = new Date('2026-11-29T00:00:00Z');

/** An account with one case per rule, each with a near-miss neighbour that must not fire (for the engine test). */
function ruleAccount() {
  const b = new AccountBuilder('123456789012');
  b.rootKey({ CreateDate: '2019-01-01T00:00:00Z', LastUsed: { LastUsedDate: '2026-11-01T00:00:00Z', ServiceName: 's3', Region: 'us-east-1' } });
  // 91 vs 89 days old, both used yesterday.
  b.user('old-key', {
    keys: [{ CreateDate: '2026-08-30T00:00:00Z', LastUsed: { LastUsedDate: '2026-11-28T00:00:00Z', ServiceName: 'sts', Region: 'us-east-1' } }],
  });
  b.user('fresh-key', {
    keys: [{ CreateDate: '2026-09-01T00:00:00Z', LastUsed: { LastUsedDate: '2026-11-28T00:00:00Z', ServiceName: 'sts', Region: 'us-east-1' } }],
  });
  // Unused 46 days; never used and created 50 days ago; never used but created 10 days ago.
  b.user('idle-key', {
    keys: [{ CreateDate: '2026-10-01T00:00:00Z', LastUsed: { LastUsedDate: '2026-10-14T00:00:00Z', ServiceName: 'ec2', Region: 'us-east-1' } }],
  });
  b.user('never-used', { keys: [{ CreateDate: '2026-10-10T00:00:00Z' }] });
  b.user('brand-new', { keys: [{ CreateDate: '2026-11-19T00:00:00Z' }] });
  // Two active keys vs one active + one inactive.
  b.user('two-keys', {
    keys: [
      { CreateDate: '2026-11-01T00:00:00Z', LastUsed: { LastUsedDate: '2026-11-28T00:00:00Z', ServiceName: 's3', Region: 'us-east-1' } },
      { CreateDate: '2026-11-02T00:00:00Z', LastUsed: { LastUsedDate: '2026-11-28T00:00:00Z', ServiceName: 's3', Region: 'us-east-1' } },
    ],
  });
  b.user('rotating', {
    keys: [
      { CreateDate: '2026-11-01T00:00:00Z', LastUsed: { LastUsedDate: '2026-11-28T00:00:00Z', ServiceName: 's3', Region: 'us-east-1' } },
      { Status: 'Inactive', CreateDate: '2026-01-01T00:00:00Z' },
    ],
  });
  // Console + keys (no MFA → high) vs console only.
  b.user('human-bot', {
    Password: { CreateDate: '2025-01-01T00:00:00Z', LastUsed: '2026-11-25T00:00:00Z' },
    keys: [{ CreateDate: '2026-11-01T00:00:00Z', LastUsed: { LastUsedDate: '2026-11-28T00:00:00Z', ServiceName: 's3', Region: 'us-east-1' } }],
  });
  b.user('human', { Password: { CreateDate: '2025-01-01T00:00:00Z', LastUsed: '2026-11-25T00:00:00Z' }, Mfa: true });
  // Roles: idle 100 days; never used, created long ago; used last week; service-linked never used.
  b.role('idle-role', { LastUsed: { LastUsedDate: '2026-08-21T00:00:00Z', Region: 'us-east-1' } });
  b.role('never-assumed', { CreateDate: '2025-01-01T00:00:00Z' });
  b.role('busy-role', { LastUsed: { LastUsedDate: '2026-11-22T00:00:00Z', Region: 'us-east-1' } });
  b.role('AWSServiceRoleForECS', { Path: '/aws-service-role/ecs.amazonaws.com/' });
  return b.account;
}

const ago = (days: number) => daysBefore(NOW, days);
const rule = (id: string) => awsRules.find((r) => r.meta.id === id) as Rule;
const ACCT = '123456789012';
const keyUser = (name: string, spec: Parameters<typeof user>[1] = {}) => user(name, { account: ACCT, ...spec });
/** An active key of `owner`, created `createdDaysAgo` and last used `usedDaysAgo` (never when undefined). */
const key = (owner: Identity, id: string, createdDaysAgo: number, usedDaysAgo?: number, status: Credential['status'] = 'active') =>
  accessKey(owner, id, status, {
    fields: { createdAt: ago(createdDaysAgo), ...(usedDaysAgo === undefined ? {} : { lastUsedAt: ago(usedDaysAgo) }) },
    attributes: usedDaysAgo === undefined ? {} : { lastUsedService: 'sts' },
  });

const rootUser = root(ACCT);
testRule(rule('aws-root-access-key'), {
  now: NOW,
  valid: [
    { name: 'a user key', inventory: [key(keyUser('ci'), 'AKIAUSER', 10, 1)] },
    {
      name: 'an inactive root key, when inactive keys are not judged',
      options: { includeInactive: false },
      inventory: [rootUser, key(rootUser, 'AKIAROOT', 2000, undefined, 'inactive')],
    },
  ],
  invalid: [
    {
      name: 'an active root key is critical',
      inventory: [rootUser, key(rootUser, 'AKIAROOT', 2889, 28)],
      findings: [{ resource: 'aws:aws-access-key:AKIAROOT', severity: 'critical', message: `The root user of account ${ACCT} has an active access key` }],
    },
    {
      name: 'an inactive root key is medium',
      inventory: [rootUser, key(rootUser, 'AKIAROOT', 2000, undefined, 'inactive')],
      findings: [{ resource: 'root/AKIAROOT', severity: 'medium', message: 'never used' }],
    },
  ],
});

const oldKey = keyUser('old-key');
const freshKey = keyUser('fresh-key');
testRule(rule('aws-access-key-not-rotated'), {
  now: NOW,
  valid: [
    { name: '89 days old', inventory: [freshKey, key(freshKey, 'AKIAFRESH', 89, 1)] },
    { name: '91 days old but inactive', inventory: [oldKey, key(oldKey, 'AKIAOLD', 91, 1, 'inactive')] },
  ],
  invalid: [
    {
      name: '91 days old',
      inventory: [oldKey, key(oldKey, 'AKIAOLD', 91, 1), freshKey, key(freshKey, 'AKIAFRESH', 89, 1)],
      findings: [{ resource: 'old-key/AKIAOLD', message: 'created 91 days ago', evidence: { ageDays: 91, maxAgeDays: 90, user: 'old-key' } }],
    },
    {
      name: 'the limit is an option',
      options: { maxAgeDays: 80 },
      inventory: [oldKey, key(oldKey, 'AKIAOLD', 91, 1), freshKey, key(freshKey, 'AKIAFRESH', 89, 1)],
      findings: [{ resource: 'old-key/AKIAOLD' }, { resource: 'fresh-key/AKIAFRESH' }],
    },
  ],
});

const idle = keyUser('idle-key');
const never = keyUser('never-used');
const brandNew = keyUser('brand-new');
testRule(rule('aws-access-key-unused'), {
  now: NOW,
  valid: [
    { name: 'never used, created 10 days ago', inventory: [brandNew, key(brandNew, 'AKIANEW', 10)] },
    { name: 'used yesterday', inventory: [idle, key(idle, 'AKIABUSY', 300, 1)] },
  ],
  invalid: [
    {
      name: 'idle 46 days; never used in 50 days (one fingerprint either way: no key)',
      inventory: [idle, key(idle, 'AKIAIDLE', 59, 46), never, key(never, 'AKIANEVER', 50), brandNew, key(brandNew, 'AKIANEW', 10)],
      findings: [
        { resource: 'idle-key/AKIAIDLE', key: null, message: 'last used 46 days ago' },
        { resource: 'never-used/AKIANEVER', key: null, message: 'never been used since it was created 50 days ago' },
      ],
    },
    {
      name: 'the limit is an option',
      options: { maxIdleDays: 5 },
      inventory: [brandNew, key(brandNew, 'AKIANEW', 10)],
      findings: [{ resource: 'brand-new/AKIANEW' }],
    },
  ],
});

const twoKeys = keyUser('two-keys');
const rotating = keyUser('rotating');
testRule(rule('aws-user-multiple-active-keys'), {
  now: NOW,
  valid: [{ name: 'one active, one inactive', inventory: [rotating, key(rotating, 'AKIAR1', 28, 1), key(rotating, 'AKIAR2', 332, undefined, 'inactive')] }],
  invalid: [
    {
      name: 'two active keys',
      inventory: [twoKeys, key(twoKeys, 'AKIAT2', 27, 1), key(twoKeys, 'AKIAT1', 28, 1)],
      findings: [{ resource: 'two-keys', evidence: { activeKeys: ['AKIAT1', 'AKIAT2'] } }],
    },
    {
      name: 'the root user too',
      inventory: [rootUser, key(rootUser, 'AKIAR1', 28, 1), key(rootUser, 'AKIAR2', 28, 1)],
      findings: [{ resource: 'root', message: 'The root user has 2 active access keys' }],
    },
  ],
});

const human = keyUser('human', { attributes: { passwordEnabled: true, passwordLastUsed: ago(4), mfaActive: true } });
const humanBot = keyUser('human-bot', { attributes: { passwordEnabled: true, passwordLastUsed: ago(4), mfaActive: false } });
testRule(rule('aws-user-console-and-keys'), {
  now: NOW,
  valid: [{ name: 'a console password and no key', inventory: [human] }],
  invalid: [
    {
      name: 'password without MFA and an active key: high',
      inventory: [humanBot, key(humanBot, 'AKIAHB', 28, 1), human],
      findings: [{ resource: 'human-bot', severity: 'high', message: 'console password without MFA and 1 active access key' }],
    },
    {
      name: 'with MFA: the rule default',
      inventory: [human, key(human, 'AKIAH', 28, 1)],
      findings: [{ resource: 'human', severity: 'medium', evidence: { mfaActive: true } }],
    },
  ],
});

const awsRole = (name: string, fields: Partial<Identity>, attributes: Partial<AwsPrincipalAttributes> = {}) =>
  role(name, { account: ACCT, fields, attributes });
testRule(rule('aws-role-unused'), {
  now: NOW,
  valid: [
    { name: 'used last week', inventory: [awsRole('busy-role', { createdAt: ago(700), lastUsedAt: ago(7) })] },
    {
      name: 'service-linked, never used',
      inventory: [
        awsRole('AWSServiceRoleForECS', { createdAt: ago(700) }, { path: '/aws-service-role/ecs.amazonaws.com/', providerManaged: true, serviceLinked: true }),
      ],
    },
  ],
  invalid: [
    {
      name: 'idle 100 days; never assumed since created long ago',
      inventory: [awsRole('idle-role', { createdAt: ago(700), lastUsedAt: ago(100) }), awsRole('never-assumed', { createdAt: ago(697) })],
      findings: [
        { resource: 'idle-role', message: 'last used 100 days ago' },
        { resource: 'never-assumed', message: 'no recorded use since it was created 697 days ago' },
      ],
    },
    {
      name: 'the limit is an option',
      options: { maxIdleDays: 400 },
      inventory: [awsRole('idle-role', { createdAt: ago(700), lastUsedAt: ago(100) }), awsRole('never-assumed', { createdAt: ago(697) })],
      findings: [{ resource: 'never-assumed' }],
    },
  ],
});

describe('aws credential rules', () => {
  it('every rule has OWASP NHI ids, a category and a zod options schema', () => {
    for (const rule of awsRules) {
      expect(rule.meta.owasp.length).toBeGreaterThan(0);
      expect(rule.meta.optionsSchema).toBeDefined();
      expect(rule.meta.id).toMatch(/^aws-/);
    }
    expect(awsRules.find((r) => r.meta.id === 'aws-root-access-key')!.meta.cis).toEqual(['CIS AWS 1.4']);
  });

  it('through the engine: the AWS rules replace the neutral rotation/unused rules for access keys (one finding per problem)', async () => {
    const account = ruleAccount();
    const dir = mkdtempSync(join(tmpdir(), 'nhiscan-aws-rules-'));
    const [details] = authorizationDetailsExport(account);
    writeFileSync(join(dir, 'auth.json'), JSON.stringify(details));
    writeFileSync(join(dir, 'report.csv'), credentialReportCsv(account));
    writeFileSync(join(dir, 'keys.json'), JSON.stringify(listAccessKeysExport(account)));
    const registry = new Registry();
    registry.register(corePlugin).register(awsPlugin).register(awsAnalysisPlugin);
    const result = await runScan({
      registry,
      config: defaultConfig(),
      sources: ['auth.json', 'report.csv', 'keys.json'].map((f) => `import:${join(dir, f)}`),
      now: NOW,
      log: silentLogger,
    });
    expect(result.sources.map((s) => s.status)).toEqual(['ok', 'ok', 'ok']);
    const byRule = (id: string) => result.findings.filter((f) => f.ruleId === id);
    expect(byRule('credential-not-rotated').filter((f) => f.resource.kind === 'aws-access-key')).toEqual([]);
    expect(byRule('credential-unused').filter((f) => f.resource.kind === 'aws-access-key')).toEqual([]);
    expect(
      byRule('aws-access-key-unused')
        .map((f) => f.resource.name.split('/')[0])
        .sort(),
    ).toEqual(['idle-key', 'never-used']);
    expect(byRule('aws-root-access-key')).toEqual([expect.objectContaining({ severity: 'critical', category: 'excess-privilege', cis: ['CIS AWS 1.4'] })]);
    // Keys came with their real ids (list-access-keys), folded onto the report's slots: no slot duplicates.
    const keys = result.inventory.credentials.filter((c) => c.kind === 'aws-access-key');
    expect(keys.filter((k) => k.attributes.idFromReportSlot).map((k) => k.nativeId)).toEqual(['arn:aws:iam::123456789012:root#key1']);
    // Service-linked roles are not asked for an owner; untagged users are.
    const missing = byRule('missing-owner').map((f) => f.resource.name);
    expect(missing).toContain('idle-role');
    expect(missing).not.toContain('AWSServiceRoleForECS');
  });
});
