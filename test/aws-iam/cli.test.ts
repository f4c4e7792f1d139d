import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReport, runCli, tempDir } from '../support/cli.js';

const ACCOUNT = '210987654321';
const arn = (kind: string, name: string) => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`;
const admin = { PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' };

/** An `aws iam get-account-authorization-details` export, as the AWS CLI writes it. */
function export_(): unknown {
  return {
    UserDetailList: [
      {
        Path: '/',
        UserName: 'builder',
        UserId: 'AIDAEXAMPLEBUILDER01',
        Arn: arn('user', 'builder'),
        CreateDate: '2025-01-01T00:00:00+00:00',
        UserPolicyList: [
          { PolicyName: 'pass-any-role', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }] } },
        ],
        GroupList: ['lambda-devs'],
        AttachedManagedPolicies: [],
        Tags: [{ Key: 'owner', Value: 'team-build' }],
      },
      {
        Path: '/',
        UserName: 'guarded',
        UserId: 'AIDAEXAMPLEGUARDED01',
        Arn: arn('user', 'guarded'),
        CreateDate: '2025-01-01T00:00:00+00:00',
        UserPolicyList: [
          { PolicyName: 'no-iam', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: ['iam:*', 'lambda:*'], Resource: '*' }] } },
        ],
        GroupList: [],
        AttachedManagedPolicies: [admin],
        Tags: [],
      },
    ],
    GroupDetailList: [
      {
        Path: '/',
        GroupName: 'lambda-devs',
        GroupId: 'AGPAEXAMPLELAMBDA001',
        Arn: arn('group', 'lambda-devs'),
        CreateDate: '2025-01-01T00:00:00+00:00',
        GroupPolicyList: [
          {
            PolicyName: 'lambda',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' }],
            },
          },
        ],
        AttachedManagedPolicies: [],
      },
    ],
    RoleDetailList: [
      {
        Path: '/',
        RoleName: 'fn-admin',
        RoleId: 'AROAEXAMPLEFNADMIN01',
        Arn: arn('role', 'fn-admin'),
        CreateDate: '2025-01-01T00:00:00+00:00',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        InstanceProfileList: [],
        RolePolicyList: [],
        AttachedManagedPolicies: [admin],
        Tags: [],
      },
      {
        Path: '/',
        RoleName: 'vendor-audit',
        RoleId: 'AROAEXAMPLEVENDOR001',
        Arn: arn('role', 'vendor-audit'),
        CreateDate: '2025-01-01T00:00:00+00:00',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::555566667777:root' }, Action: 'sts:AssumeRole' }],
        },
        InstanceProfileList: [],
        RolePolicyList: [
          { PolicyName: 'read', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } },
        ],
        AttachedManagedPolicies: [],
        Tags: [],
      },
    ],
    Policies: [
      {
        PolicyName: 'AdministratorAccess',
        PolicyId: 'ANPAEXAMPLEADMIN0001',
        Arn: admin.PolicyArn,
        Path: '/',
        DefaultVersionId: 'v1',
        AttachmentCount: 2,
        IsAttachable: true,
        PolicyVersionList: [
          { Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, VersionId: 'v1', IsDefaultVersion: true },
        ],
      },
    ],
  };
}

describe('nhiscan scan import:authorization-details (CLI, built): AWS privilege analysis', () => {
  it('finds an escalation split over a user policy and a group policy, judges capped admin and open trust', async () => {
    const dir = tempDir('nhiscan-aws-iam-cli-');
    writeFileSync(join(dir, 'auth.json'), JSON.stringify(export_(), null, 1));
    const out = join(dir, 'out');
    const run = await runCli(['scan', 'import:auth.json', '--out', out, '--format', 'json', '--fail-on', 'none'], { cwd: dir });
    expect(run.stderr).not.toMatch(/unexpected error/);
    expect(run.code).toBe(0);
    const report = readReport(out);
    const mine = report.findings.filter((f: any) => /^aws-(admin|full-admin|privilege|unrestricted|role-trust)/.test(f.ruleId));
    const summary = mine.map((f: any) => [f.ruleId, f.resource.name, f.severity]).sort();
    expect(summary).toEqual(
      [
        ['aws-admin-equivalent', 'fn-admin', 'high'],
        ['aws-full-admin-policy', 'guarded', 'medium'], // "*" on "*" attached, capped by the Deny: CIS 1.16, not admin
        ['aws-privilege-escalation', 'builder', 'critical'],
        ['aws-role-trust-external-account', 'vendor-audit', 'high'],
        ['aws-unrestricted-sensitive-actions', 'guarded', 'high'],
        ['aws-unrestricted-sensitive-actions', 'guarded', 'medium'],
        ['aws-unrestricted-sensitive-actions', 'vendor-audit', 'medium'],
      ].sort(),
    );
    const escalation = mine.find((f: any) => f.ruleId === 'aws-privilege-escalation');
    expect(escalation.owasp).toEqual(['NHI5']);
    expect(escalation.evidence).toMatchObject({ path: 'lambda-passrole-invoke', reach: 'admin', targets: ['fn-admin'] });
    expect(escalation.message).toContain('group/lambda-devs/inline/lambda');
    const builder = report.inventory.identities.find((i: any) => i.name === 'builder');
    expect(builder.attributes.effective).toMatchObject({ privilegeLevel: 'high', escalatesToAdmin: true, allowedActionCount: 3 });
    expect(builder.grants.map((g: any) => g.actions).flat()).toEqual(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction']);
  }, 120_000);
});
