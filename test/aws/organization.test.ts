import { describe, expect, it } from 'vitest';
import { organizationImporter } from '../../connectors/aws/importers.js';
import { organizationExport } from '../../examples/estate/aws/generate.js';
import { analyseInventory } from '../../src/aws-iam/index.js';
import type { ConnectorContext } from '../../src/plugin.js';
import { allow, doc, effectiveOf, inline, path, user } from '../aws-iam/helpers.js';

const ctx = { source: { spec: 'import:organization.json' }, settings: {}, log: { debug() {}, info() {}, warn() {} } } as unknown as ConnectorContext;

function orgWith(accountId: string, guard: unknown) {
  const org = organizationExport();
  org.Accounts[0]!.Id = accountId;
  org.Policies[0]!.Targets = [
    { TargetId: 'r-a1b2', Type: 'ROOT' },
    { TargetId: 'ou-a1b2-workload', Type: 'ORGANIZATIONAL_UNIT' },
    { TargetId: accountId, Type: 'ACCOUNT' },
  ];
  org.Policies[1]!.Content = JSON.stringify(guard);
  return org;
}

describe('service control policies (organisation export)', () => {
  it('is recognised by content and read into account and SCP resources', async () => {
    const parsed = organizationExport();
    expect(organizationImporter.detect({ path: 'o.json', text: '', parsed })).toBe(true);
    expect(organizationImporter.detect({ path: 'a.json', text: '', parsed: { Policies: [{ PolicyName: 'x', Arn: 'arn' }] } })).toBe(false);
    const result = await organizationImporter.read({ path: 'o.json', text: '', parsed }, ctx);
    expect(result.resources!.map((r) => `${r.kind}:${r.name}`).sort()).toEqual([
      'aws-account:123456789012',
      'aws-scp:FullAWSAccess',
      'aws-scp:workload-guardrails',
    ]);
    expect(result.stats).toEqual({ serviceControlPolicies: 2, accounts: 1 });
  });

  it('names a broken policy and keeps the others', async () => {
    const parsed = organizationExport();
    parsed.Policies[1]!.Content = '{not json';
    const result = await organizationImporter.read({ path: 'o.json', text: '', parsed }, ctx);
    expect(result.errors![0]!.part).toBe('scp:p-workload-guardrails');
    expect(result.resources!.filter((r) => r.kind === 'aws-scp')).toHaveLength(1);
  });

  it('an SCP Deny on the OU removes a path; the management account is not restricted', async () => {
    const account = '111122223333';
    const org = await organizationImporter.read(
      { path: 'o.json', text: '', parsed: orgWith(account, doc({ Effect: 'Deny', Action: 'iam:*', Resource: '*' })) },
      ctx,
    );
    const dev = () => user('dev', { policies: [inline('p', allow(['iam:PutUserPolicy', 's3:GetObject']))] });
    const capped = dev();
    await analyseInventory({ identities: [capped], credentials: [], resources: org.resources! });
    expect(path(effectiveOf(capped), 'iam-put-user-policy')).toBeUndefined();
    expect(effectiveOf(capped)).toMatchObject({ scp: 'applied', scpCappedActionCount: 1 });

    const management = orgWith(account, doc({ Effect: 'Deny', Action: 'iam:*', Resource: '*' }));
    management.Accounts[0] = { ...management.Accounts[0]!, Management: true } as never;
    const orgM = await organizationImporter.read({ path: 'o.json', text: '', parsed: management }, ctx);
    const free = dev();
    await analyseInventory({ identities: [free], credentials: [], resources: orgM.resources! });
    expect(path(effectiveOf(free), 'iam-put-user-policy')).toMatchObject({ reach: 'admin' });
  });
});
