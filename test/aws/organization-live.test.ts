import { afterEach, describe, expect, it } from 'vitest';
import { awsConnector } from '../../connectors/aws/live/connector.js';
import { buildOrganization } from '../../connectors/aws/organization.js';
import { analyseInventory } from '../../src/aws-iam/index.js';
import type { EffectiveSummary } from '../../src/aws-iam/types.js';
import { AwsEmulator, type EmulatorOptions } from '../../testkit/aws/server.js';
import type { EmuOrganizationPolicies } from '../../testkit/aws/organization-policies.js';
import { testContext } from '../support/context.js';
import { smallAccount } from './fixtures.js';

const FAST = { reportPollMs: 5, maxAttempts: 2, resourcePolicies: false };
const MANAGEMENT = '111111111111';
const MEMBER = '222222222222';
const DENY_IAM = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }] };
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

const ORG: EmuOrganizationPolicies = {
  organizationId: 'o-abc123',
  rootId: 'r-ab12',
  managementAccount: MANAGEMENT,
  parents: { [MEMBER]: 'ou-ab12-work', 'ou-ab12-work': 'r-ab12' },
  policies: [
    { Id: 'p-FullAWSAccess', Name: 'FullAWSAccess', Content: ALLOW_ALL, Targets: ['r-ab12'], AwsManaged: true },
    { Id: 'p-noiam', Name: 'no-iam', Content: DENY_IAM, Targets: ['ou-ab12-work'] },
  ],
};

let emulator: AwsEmulator | undefined;
const savedEnv = { ...process.env };
afterEach(async () => {
  await emulator?.stop();
  process.env = { ...savedEnv };
});

async function collect(options: Partial<EmulatorOptions> = {}) {
  emulator = await new AwsEmulator({ accounts: [smallAccount(MANAGEMENT), smallAccount(MEMBER)], organizationPolicies: ORG, ...options }).start();
  process.env.AWS_ENDPOINT_URL = emulator.url;
  return awsConnector.collect(testContext('aws', { options: { ...FAST, orgRole: 'Audit' } }));
}

describe('service control policies read live through Organizations', () => {
  it('reads policies, targets and the tree read-only, into the same resources as the export', async () => {
    const result = await collect();
    expect(result.status).toBe('ok');
    const org = emulator!.log.filter((c) => c.service === 'organizations');
    expect([...new Set(org.map((c) => c.action))].sort()).toEqual([
      'DescribeOrganization',
      'DescribePolicy',
      'ListAccounts',
      'ListParents',
      'ListPolicies',
      'ListTargetsForPolicy',
    ]);
    for (const c of emulator!.log) expect(c.action).toMatch(/^(Get|List|Describe)|^GenerateCredentialReport$|^AssumeRole$/);
    // The OU is asked for once although it is shared; the management account's parent once.
    expect(
      org
        .filter((c) => c.action === 'ListParents')
        .map((c) => c.params.ChildId)
        .sort(),
    ).toEqual([MANAGEMENT, MEMBER, 'ou-ab12-work']);

    const fromExport = buildOrganization(
      {
        Accounts: [
          { Id: MANAGEMENT, Parents: ['r-ab12'], Management: true, OrganizationId: 'o-abc123' },
          { Id: MEMBER, Parents: ['r-ab12', 'ou-ab12-work'], OrganizationId: 'o-abc123' },
        ],
        Policies: ORG.policies.map((p) => ({
          PolicySummary: {
            Id: p.Id,
            Name: p.Name,
            Type: 'SERVICE_CONTROL_POLICY',
            AwsManaged: !!p.AwsManaged,
            Arn: p.AwsManaged
              ? `arn:aws:organizations::aws:policy/service_control_policy/${p.Id}`
              : `arn:aws:organizations::${MANAGEMENT}:policy/o-abc123/service_control_policy/${p.Id}`,
          },
          Content: JSON.stringify(p.Content),
          Targets: p.Targets.map((TargetId) => ({ TargetId })),
        })),
      },
      'aws',
    );
    const sorted = (list: { id: string }[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
    expect(sorted(result.resources!)).toEqual(sorted(fromExport.resources));
    expect(result.stats).toMatchObject({ serviceControlPolicies: 2 });

    // Applied like the export: the member's users lose IAM, the management account's do not.
    await analyseInventory({ identities: result.identities, credentials: [], resources: result.resources! });
    const ci = (account: string) => result.identities.find((i) => i.name === 'ci-deployer' && i.scope === account)!.attributes.effective as EffectiveSummary;
    expect(ci(MEMBER)).toMatchObject({ scp: 'applied', adminEquivalent: false });
    expect(ci(MEMBER).scpCappedActionCount).toBeGreaterThan(0);
    expect(ci(MANAGEMENT)).toMatchObject({ adminEquivalent: true });
    expect(ci(MANAGEMENT).scp).toBeUndefined();
  });

  it('SCPs that cannot be read leave the accounts scanned and say the SCPs were not applied', async () => {
    const result = await collect({ faults: [{ action: 'ListPolicies', kind: 'access-denied', times: Infinity }] });
    expect(result.status).toBe('partial');
    expect(result.subSources!.map((s) => s.status)).toEqual(['ok', 'ok']);
    expect(result.notCovered).toEqual([{ part: 'service-control-policies', reason: expect.stringMatching(/without SCPs/) }]);
    expect(result.resources).toEqual([]);
  });
});
