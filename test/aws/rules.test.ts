import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsRules } from '../../rules/aws/index.js';
import { buildAccount } from '../../connectors/aws/inventory.js';
import { parseCredentialReport } from '../../connectors/aws/credential-report.js';
import type { RawAuthDetails } from '../../connectors/aws/auth-details.js';
import type { Inventory } from '../../src/model/index.js';
import type { Rule } from '../../src/plugin.js';
import { defaultConfig } from '../../src/config.js';
import { Registry } from '../../src/registry.js';
import { corePlugin } from '../../src/core-plugin.js';
import { awsPlugin } from '../../connectors/aws/plugin.js';
import { runScan } from '../../src/engine.js';
import { silentLogger } from '../../src/log.js';
import { AccountBuilder } from '../../testkit/aws/model.js';
import { authorizationDetailsExport, credentialReportCsv, listAccessKeysExport } from '../../testkit/aws/exports.js';

const NOW = new Date('2026-11-29T00:00:00Z');

/** An account with one case per rule, each with a near-miss neighbour that must not fire. */
function ruleAccount() {
  const b = new AccountBuilder('123456789012');
  b.rootKey({ CreateDate: '2019-01-01T00:00:00Z', LastUsed: { LastUsedDate: '2026-11-01T00:00:00Z', ServiceName: 's3', Region: 'us-east-1' } });
  // 91 vs 89 days old, both used yesterday.
  b.user('old-key', { keys: [{ CreateDate: '2026-08-30T00:00:00Z', LastUsed: { LastUsedDate: '2026-11-28T00:00:00Z', ServiceName: 'sts', Region: 'us-east-1' } }] });
  b.user('fresh-key', { keys: [{ CreateDate: '2026-09-01T00:00:00Z', LastUsed: { LastUsedDate: '2026-11-28T00:00:00Z', ServiceName: 'sts', Region: 'us-east-1' } }] });
  // Unused 46 days; never used and created 50 days ago; never used but created 10 days ago.
  b.user('idle-key', { keys: [{ CreateDate: '2026-10-01T00:00:00Z', LastUsed: { LastUsedDate: '2026-10-14T00:00:00Z', ServiceName: 'ec2', Region: 'us-east-1' } }] });
  b.user('never-used', { keys: [{ CreateDate: '2026-10-10T00:00:00Z' }] });
  b.user('brand-new', { keys: [{ CreateDate: '2026-11-19T00:00:00Z' }] });
  // Two active keys vs one active + one inactive.
  b.user('two-keys', { keys: [{ CreateDate: '2026-11-01T00:00:00Z', LastUsed: { LastUsedDate: '2026-11-28T00:00:00Z', ServiceName: 's3', Region: 'us-east-1' } }, { CreateDate: '2026-11-02T00:00:00Z', LastUsed: { LastUsedDate: '2026-11-28T00:00:00Z', ServiceName: 's3', Region: 'us-east-1' } }] });
  b.user('rotating', { keys: [{ CreateDate: '2026-11-01T00:00:00Z', LastUsed: { LastUsedDate: '2026-11-28T00:00:00Z', ServiceName: 's3', Region: 'us-east-1' } }, { Status: 'Inactive', CreateDate: '2026-01-01T00:00:00Z' }] });
  // Console + keys (no MFA → high) vs console only.
  b.user('human-bot', { Password: { CreateDate: '2025-01-01T00:00:00Z', LastUsed: '2026-11-25T00:00:00Z' }, keys: [{ CreateDate: '2026-11-01T00:00:00Z', LastUsed: { LastUsedDate: '2026-11-28T00:00:00Z', ServiceName: 's3', Region: 'us-east-1' } }] });
  b.user('human', { Password: { CreateDate: '2025-01-01T00:00:00Z', LastUsed: '2026-11-25T00:00:00Z' }, Mfa: true });
  // Roles: idle 100 days; never used, created long ago; used last week; service-linked never used.
  b.role('idle-role', { LastUsed: { LastUsedDate: '2026-08-21T00:00:00Z', Region: 'us-east-1' } });
  b.role('never-assumed', { CreateDate: '2025-01-01T00:00:00Z' });
  b.role('busy-role', { LastUsed: { LastUsedDate: '2026-11-22T00:00:00Z', Region: 'us-east-1' } });
  b.role('AWSServiceRoleForECS', { Path: '/aws-service-role/ecs.amazonaws.com/' });
  return b.account;
}

function inventoryOf(account = ruleAccount()): Inventory {
  const [details] = authorizationDetailsExport(account);
  const keys = listAccessKeysExport(account).flatMap((o) => o.AccessKeyMetadata as { UserName: string; AccessKeyId: string; Status: string; CreateDate: string }[]);
  const built = buildAccount(
    { accountId: account.accountId, details: details as RawAuthDetails, report: parseCredentialReport(credentialReportCsv(account)), keys: keys.map((k) => ({ accessKeyId: k.AccessKeyId, userName: k.UserName, status: k.Status, createDate: new Date(k.CreateDate).toISOString() })) },
    'test',
  );
  return { identities: built.identities, credentials: built.credentials };
}

function run(id: string, options: Record<string, unknown> = {}) {
  const rule = awsRules.find((r) => r.meta.id === id) as Rule;
  const parsed = rule.meta.optionsSchema ? rule.meta.optionsSchema.parse(options) : options;
  return rule.check(inventoryOf(), parsed, { now: NOW, config: defaultConfig() });
}

const subjects = (drafts: ReturnType<typeof run>) => drafts.map((d) => d.resource.name).sort();

describe('aws credential rules', () => {
  it('every rule has OWASP NHI ids, a category and a zod options schema', () => {
    for (const rule of awsRules) {
      expect(rule.meta.owasp.length).toBeGreaterThan(0);
      expect(rule.meta.optionsSchema).toBeDefined();
      expect(rule.meta.id).toMatch(/^aws-/);
    }
    expect(awsRules.find((r) => r.meta.id === 'aws-root-access-key')!.meta.cis).toEqual(['CIS AWS 1.4']);
  });

  it('aws-root-access-key: the root key is critical', () => {
    const drafts = run('aws-root-access-key');
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.resource.id).toBe('aws:aws-access-key:arn:aws:iam::123456789012:root#key1');
    expect(drafts[0]!.severity).toBeUndefined(); // the rule's default, critical
  });

  it('aws-access-key-not-rotated: 91 days fires, 89 does not; threshold configurable', () => {
    const drafts = run('aws-access-key-not-rotated');
    expect(subjects(drafts).filter((n) => n.startsWith('old-key') || n.startsWith('fresh-key'))).toEqual([expect.stringMatching(/^old-key\/AKIA/)]);
    expect(drafts.some((d) => d.resource.name.startsWith('root'))).toBe(true); // root key, 2019
    expect(subjects(run('aws-access-key-not-rotated', { maxAgeDays: 80 })).filter((n) => /^(old|fresh)-key/.test(n))).toHaveLength(2);
  });

  it('aws-access-key-unused: idle 46 days and never-used-for-50-days fire; a 10-day-old unused key does not', () => {
    const drafts = run('aws-access-key-unused');
    expect(subjects(drafts).map((n) => n.split('/')[0])).toEqual(['idle-key', 'never-used']);
    expect(drafts.find((d) => d.resource.name.startsWith('never-used'))).toMatchObject({ message: expect.stringMatching(/never been used since it was created 50 days ago/) });
    // one fingerprint whether the key was never used or went idle: a first use must not make it "new"
    expect(drafts.every((d) => d.key === undefined)).toBe(true);
    expect(subjects(run('aws-access-key-unused', { maxIdleDays: 5 })).map((n) => n.split('/')[0])).toContain('brand-new');
  });

  it('aws-user-multiple-active-keys: two active keys fire, active + inactive does not', () => {
    expect(subjects(run('aws-user-multiple-active-keys'))).toEqual(['two-keys']);
  });

  it('aws-user-console-and-keys: password + active key fires (high without MFA); password alone does not', () => {
    const drafts = run('aws-user-console-and-keys');
    expect(subjects(drafts)).toEqual(['human-bot']);
    expect(drafts[0]!.severity).toBe('high');
  });

  it('aws-role-unused: idle and never-assumed roles fire; busy and service-linked roles do not', () => {
    expect(subjects(run('aws-role-unused'))).toEqual(['idle-role', 'never-assumed']);
    expect(subjects(run('aws-role-unused', { maxIdleDays: 400 }))).toEqual(['never-assumed']);
  });

  it('through the engine: the AWS rules replace the neutral rotation/unused rules for access keys (one finding per problem)', async () => {
    const account = ruleAccount();
    const dir = mkdtempSync(join(tmpdir(), 'nhiscan-aws-rules-'));
    const [details] = authorizationDetailsExport(account);
    writeFileSync(join(dir, 'auth.json'), JSON.stringify(details));
    writeFileSync(join(dir, 'report.csv'), credentialReportCsv(account));
    writeFileSync(join(dir, 'keys.json'), JSON.stringify(listAccessKeysExport(account)));
    const registry = new Registry();
    registry.register(corePlugin).register(awsPlugin);
    const result = await runScan({ registry, config: defaultConfig(), sources: ['auth.json', 'report.csv', 'keys.json'].map((f) => `import:${join(dir, f)}`), now: NOW, log: silentLogger });
    expect(result.sources.map((s) => s.status)).toEqual(['ok', 'ok', 'ok']);
    const byRule = (id: string) => result.findings.filter((f) => f.ruleId === id);
    expect(byRule('credential-not-rotated').filter((f) => f.resource.kind === 'aws-access-key')).toEqual([]);
    expect(byRule('credential-unused').filter((f) => f.resource.kind === 'aws-access-key')).toEqual([]);
    expect(byRule('aws-access-key-unused').map((f) => f.resource.name.split('/')[0]).sort()).toEqual(['idle-key', 'never-used']);
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
