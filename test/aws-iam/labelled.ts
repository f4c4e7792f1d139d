/**
 * Labelled accounts for the escalation accuracy test: each case is a small estate, a principal, and
 * what a security engineer says about it. Positives name the path (or any of several) and the weakest
 * reach that counts as found; negatives are not exploitable beyond what the principal has, and must
 * not be reported at high or critical. Traps on both sides: paths split across policies, groups and
 * boundaries (easy to miss); resource and condition constraints that cannot be exploited (easy to flag).
 */
import { ESCALATION_PATHS } from '../../src/aws-iam/index.js';
import type { Reach } from '../../src/aws-iam/types.js';
import type { AwsScpAttributes } from '../../src/model/aws.js';
import { makeId, type Identity, type Resource } from '../../src/model/index.js';
import { ACCOUNT, ADMIN_DOC, allow, deny, doc, groupInline, inline, managed, role, trustingAccount, trustingService, user } from './helpers.js';

/** Positive: one of these paths at this reach or stronger. Negative: `not-exploitable`. */
export type Label = { paths: string[]; reach: Reach } | 'not-exploitable';

export interface LabelledCase {
  name: string;
  /** The principal judged is the first identity. */
  identities: Identity[];
  resources?: Resource[];
  expect: Label;
}

/** Several labelled principals judged in one shared estate (they do not affect each other's labels). */
export interface LabelledEstate {
  identities: Identity[];
  resources?: Resource[];
  judged: { name: string; principal: Identity; expect: Label }[];
}

const arn = (kind: string, name: string, account = ACCOUNT) => `arn:aws:iam::${account}:${kind}/${name}`;
const admin = () => managed('AdministratorAccess', ADMIN_DOC, true);
const SERVICES = [...new Set(ESCALATION_PATHS.map((p) => p.target.servicePrincipal).filter((s): s is string => !!s))];

/** An admin user in a group, an admin role per service, one the account can assume. */
function adminEstate(): Identity[] {
  return [
    user('boss', { policies: [groupInline('admins', 'all', allow('*'))] }),
    role('ops-admin', { policies: [admin()], trust: trustingAccount() }),
    ...SERVICES.map((s) => role(`${s.split('.')[0]}-admin`, { policies: [admin()], trust: trustingService(s) })),
  ];
}

function trustNaming(principalArn: string) {
  return doc({ Effect: 'Allow', Principal: { AWS: principalArn }, Action: 'sts:AssumeRole' });
}

export function scp(id: string, targets: string[], ...statements: Parameters<typeof doc>): Resource {
  const attributes: AwsScpAttributes = { policyId: id, document: doc(...statements), targets };
  return {
    id: makeId('aws', 'aws-scp', id),
    provider: 'aws',
    kind: 'aws-scp',
    nativeId: id,
    name: id,
    tags: {},
    attributes: attributes as unknown as Record<string, unknown>,
    source: 'test',
  };
}

/** Every path of the table, its actions in one customer policy per principal, against an estate holding admin targets. */
function tableEstate(): LabelledEstate {
  const judged = ESCALATION_PATHS.filter((p) => p.target.kind !== 'assume-role').map((p) => {
    const actions = p.requires.map((g) => g[0]!);
    if (p.target.kind === 'role-policy') actions.push('sts:AssumeRole');
    const principal = user(`mallory-${p.id}`, {
      policies: [managed(`tools-${p.id}`, doc(allow(actions))), groupInline('devs', 'logs', allow('logs:DescribeLogGroups'))],
    });
    return { name: `table: ${p.id}`, principal, expect: { paths: [p.id], reach: p.id === 'iam-set-default-policy-version' ? 'escalation' : 'admin' } as Label };
  });
  return { identities: [...judged.map((j) => j.principal), ...adminEstate()], judged };
}

/** A user the credential report shows without an MFA device or console password: a key-only workload. */
const mfaOff = (identity: Identity) => Object.assign(identity.attributes, { mfaActive: false, passwordEnabled: false }) && identity;

const FALSE_NEGATIVE_TRAPS: LabelledCase[] = [
  {
    name: 'PassRole inline, Lambda actions in a group policy',
    identities: [
      user('dev', {
        policies: [inline('pass', allow('iam:PassRole')), groupInline('builders', 'lambda', allow(['lambda:CreateFunction', 'lambda:InvokeFunction']))],
      }),
      ...adminEstate(),
    ],
    expect: { paths: ['lambda-passrole-invoke'], reach: 'admin' },
  },
  {
    name: 'PassRole from one group, RunInstances from another',
    identities: [
      user('dev', { policies: [groupInline('a', 'pass', allow('iam:PassRole')), groupInline('b', 'ec2', allow('ec2:RunInstances'))] }),
      ...adminEstate(),
    ],
    expect: { paths: ['ec2-passrole-run-instances', 'autoscaling-passrole-launch-configuration'], reach: 'admin' },
  },
  {
    name: 'a boundary that allows the path does not cap it',
    identities: [user('dev', { policies: [inline('p', allow('iam:PutUserPolicy'))], boundary: doc(allow(['iam:*', 's3:*'])) })],
    expect: { paths: ['iam-put-user-policy'], reach: 'admin' },
  },
  {
    name: 'a Deny on another resource leaves the path',
    identities: [user('dev', { policies: [inline('p', allow('iam:AttachUserPolicy')), inline('guard', deny('iam:AttachUserPolicy', arn('user', 'boss')))] })],
    expect: { paths: ['iam-attach-user-policy'], reach: 'admin' },
  },
  {
    name: 'wildcard and mixed-case actions',
    identities: [user('dev', { policies: [inline('p', allow('IAM:Put*'))] })],
    expect: { paths: ['iam-put-user-policy'], reach: 'admin' },
  },
  {
    name: 'two-hop sts:AssumeRole chain to an admin role',
    identities: [
      user('ci', { policies: [inline('p', allow('sts:AssumeRole', arn('role', 'hop-1')))] }),
      role('hop-1', { policies: [inline('p', allow('sts:AssumeRole', arn('role', 'hop-2')), allow('s3:ListAllMyBuckets'))], trust: trustingAccount() }),
      role('hop-2', { policies: [admin()], trust: trustNaming(arn('role', 'hop-1')) }),
    ],
    expect: { paths: ['role-chain-to-admin'], reach: 'admin' },
  },
  {
    name: 'three hops: assume, pass a role to Lambda, assume again',
    identities: [
      user('ci', { policies: [inline('p', allow('sts:AssumeRole', arn('role', 'deployer')))] }),
      role('deployer', { policies: [inline('p', allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], '*'))], trust: trustingAccount() }),
      role('fn-runner', { policies: [inline('p', allow('sts:AssumeRole', arn('role', 'vault')))], trust: trustingService('lambda.amazonaws.com') }),
      role('vault', { policies: [admin()], trust: trustNaming(arn('role', 'fn-runner')) }),
    ],
    expect: { paths: ['role-chain-to-admin'], reach: 'admin' },
  },
  {
    name: 'cloudformation:UpdateStack on * with a privileged stack role',
    identities: [
      user('dev', { policies: [inline('p', allow('cloudformation:UpdateStack'))] }),
      role('cfn-admin', { policies: [admin()], trust: trustingService('cloudformation.amazonaws.com') }),
    ],
    expect: { paths: ['cloudformation-update-stack'], reach: 'admin' },
  },
  {
    name: 'ec2-instance-connect:SendSSHPublicKey on *',
    identities: [
      user('dev', { policies: [inline('p', allow('ec2-instance-connect:SendSSHPublicKey'))] }),
      role('ec2-admin', { policies: [admin()], trust: trustingService('ec2.amazonaws.com') }),
    ],
    expect: { paths: ['ec2-instance-connect-ssh'], reach: 'admin' },
  },
  {
    name: 'PassRole + sagemaker:CreateProcessingJob',
    identities: [
      user('ml', { policies: [inline('p', allow(['iam:PassRole', 'sagemaker:CreateProcessingJob']))] }),
      role('sm-admin', { policies: [admin()], trust: trustingService('sagemaker.amazonaws.com') }),
    ],
    expect: { paths: ['sagemaker-passrole-processing-job'], reach: 'admin' },
  },
  {
    name: 'a user with iam:PutRolePolicy on * and no role to assume',
    identities: [user('dev', { policies: [inline('p', allow('iam:PutRolePolicy'))] }), ...adminEstate()],
    expect: { paths: ['iam-put-role-policy'], reach: 'escalation' },
  },
  {
    name: 'a user with iam:AttachRolePolicy on * and no role to assume',
    identities: [user('dev', { policies: [inline('p', allow('iam:AttachRolePolicy'))] }), ...adminEstate()],
    expect: { paths: ['iam-attach-role-policy'], reach: 'escalation' },
  },
  {
    name: 'UpdateAssumeRolePolicy alone on an admin role of the same account',
    identities: [user('dev', { policies: [inline('p', allow('iam:UpdateAssumeRolePolicy', arn('role', 'ops-admin')))] }), ...adminEstate()],
    expect: { paths: ['iam-update-assume-role-policy'], reach: 'admin' },
  },
  {
    name: 'latent: PassRole on * + Lambda, no role more privileged today (visible, medium)',
    identities: [
      user('dev', { policies: [inline('p', allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction', 'logs:*']))] }),
      role('fn-logs', { policies: [inline('p', allow('logs:PutLogEvents'))], trust: trustingService('lambda.amazonaws.com') }),
    ],
    expect: { paths: ['lambda-passrole-invoke'], reach: 'latent' },
  },
  {
    name: 'lateral: PassRole + RunInstances to a role that reads data the principal cannot',
    identities: [
      user('dev', { policies: [inline('p', allow(['iam:PassRole', 'ec2:RunInstances', 'ec2:CreateTags', 's3:PutObject']))] }),
      role('reporting', { policies: [inline('p', allow('s3:GetObject', 'arn:aws:s3:::finance-data/*'))], trust: trustingService('ec2.amazonaws.com') }),
    ],
    expect: { paths: ['ec2-passrole-run-instances'], reach: 'escalation' },
  },
  {
    name: 'a Deny without MFA that long-term keys bypass (Bool, not BoolIfExists)',
    identities: [
      mfaOff(
        user('bot', {
          policies: [
            inline('p', allow('iam:PutUserPolicy')),
            inline('mfa', deny('iam:*', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } })),
          ],
        }),
      ),
    ],
    expect: { paths: ['iam-put-user-policy'], reach: 'admin' },
  },
  {
    name: 'a condition that always holds from now on (TokenIssueTime after 2020)',
    identities: [
      user('bot', {
        policies: [inline('p', allow('iam:PutUserPolicy', '*', { Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } }))],
      }),
    ],
    expect: { paths: ['iam-put-user-policy'], reach: 'admin' },
  },
  {
    name: 'CreateAccessKey on a named admin user',
    identities: [user('helper', { policies: [inline('p', allow('iam:CreateAccessKey', arn('user', 'boss')))] }), ...adminEstate()],
    expect: { paths: ['iam-create-access-key'], reach: 'admin' },
  },
  {
    name: "a principal tag condition that the principal's own tags satisfy",
    identities: [
      user('bot', {
        tags: { team: 'platform' },
        policies: [inline('p', allow('iam:PutUserPolicy', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'platform' } } }))],
      }),
    ],
    expect: { paths: ['iam-put-user-policy'], reach: 'admin' },
  },
  {
    name: 'an SCP that allows everything does not cap the path',
    identities: [user('dev', { policies: [inline('p', allow('iam:PutUserPolicy'))] })],
    resources: [scp('p-full', [ACCOUNT], allow('*'))],
    expect: { paths: ['iam-put-user-policy'], reach: 'admin' },
  },
];

const FALSE_POSITIVE_TRAPS: LabelledCase[] = [
  {
    name: 'CreatePolicyVersion only on AWS-managed policies (immutable)',
    identities: [
      user('dev', { policies: [inline('p', allow(['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'], 'arn:aws:iam::aws:policy/*'))] }),
      ...adminEstate(),
    ],
    expect: 'not-exploitable',
  },
  {
    name: 'a grant whose TokenIssueTime condition can never hold (before 2020)',
    identities: [
      user('dev', {
        policies: [inline('p', allow('iam:PutUserPolicy', '*', { Condition: { DateLessThan: { 'aws:TokenIssueTime': '2019-06-01T00:00:00Z' } } }))],
      }),
    ],
    expect: 'not-exploitable',
  },
  {
    name: 'a grant that expired (CurrentTime before 2021)',
    identities: [
      user('dev', {
        policies: [
          inline('p', allow(['iam:PassRole', 'ec2:RunInstances'], '*', { Condition: { DateLessThan: { 'aws:CurrentTime': '2021-01-01T00:00:00Z' } } })),
        ],
      }),
      ...adminEstate(),
    ],
    expect: 'not-exploitable',
  },
  {
    name: 'MFA required for a key-only user without an MFA device',
    identities: [
      mfaOff(user('bot', { policies: [inline('p', allow('iam:AttachUserPolicy', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }))] })),
    ],
    expect: 'not-exploitable',
  },
  {
    name: 'a Deny unless MFA (BoolIfExists false) for a key-only user always applies',
    identities: [
      mfaOff(
        user('bot', {
          policies: [
            inline('p', allow('iam:PutUserPolicy')),
            inline('mfa', deny('iam:*', '*', { Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } })),
          ],
        }),
      ),
    ],
    expect: 'not-exploitable',
  },
  {
    name: "a principal tag condition the principal's tags do not satisfy",
    identities: [
      user('bot', {
        tags: { team: 'data' },
        policies: [inline('p', allow('iam:PutUserPolicy', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'platform' } } }))],
      }),
    ],
    expect: 'not-exploitable',
  },
  {
    name: 'AdministratorAccess capped by a read-only boundary',
    identities: [user('capped', { policies: [admin()], boundary: doc(allow(['s3:Get*', 's3:List*'])) }), ...adminEstate()],
    expect: 'not-exploitable',
  },
  {
    name: 'AdministratorAccess capped by a Deny on everything but reads in another policy',
    identities: [
      user('capped', { policies: [admin(), inline('guard', { Effect: 'Deny', NotAction: ['s3:Get*', 's3:List*'], Resource: '*' })] }),
      ...adminEstate(),
    ],
    expect: 'not-exploitable',
  },
  {
    name: 'AdministratorAccess capped by an SCP denying IAM and compute',
    identities: [user('capped', { policies: [admin()] }), ...adminEstate()],
    resources: [scp('p-full', [ACCOUNT], allow('*')), scp('p-guard', [ACCOUNT], { Effect: 'Deny', NotAction: ['s3:Get*', 's3:List*'], Resource: '*' })],
    expect: 'not-exploitable',
  },
  {
    name: 'PassRole on one low-privilege role only',
    identities: [
      user('dev', { policies: [inline('p', allow('iam:PassRole', arn('role', 'worker')), allow('ec2:RunInstances'))] }),
      role('worker', { policies: [inline('p', allow('logs:PutLogEvents'))], trust: trustingService('ec2.amazonaws.com') }),
      ...adminEstate(),
    ],
    expect: 'not-exploitable',
  },
  {
    name: 'PassRole limited by iam:PassedToService to another service',
    identities: [
      user('dev', {
        policies: [
          inline(
            'p',
            allow('iam:PassRole', '*', { Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } }),
            allow('ec2:RunInstances'),
          ),
        ],
      }),
      ...adminEstate(),
    ],
    expect: 'not-exploitable',
  },
  {
    name: 'CreateAccessKey on its own user only',
    identities: [
      user('rotator', { policies: [inline('p', allow(['iam:CreateAccessKey', 'iam:DeleteAccessKey'], 'arn:aws:iam::111122223333:user/${aws:username}'))] }),
      ...adminEstate(),
    ],
    expect: 'not-exploitable',
  },
  {
    name: 'the path is denied through a group',
    identities: [user('dev', { policies: [inline('p', allow('iam:PutUserPolicy')), groupInline('guarded', 'deny', deny('iam:Put*'))] })],
    expect: 'not-exploitable',
  },
  {
    name: 'an SCP denies the IAM action over the account',
    identities: [user('dev', { policies: [inline('p', allow('iam:PutUserPolicy'))] })],
    resources: [scp('p-full', [ACCOUNT], allow('*')), scp('p-no-iam', [ACCOUNT], deny('iam:*'))],
    expect: 'not-exploitable',
  },
  {
    name: 'sts:AssumeRole on * where only less privileged roles trust the account',
    identities: [
      user('dev', { policies: [inline('p', allow(['sts:AssumeRole', 's3:*']))] }),
      role('reader', { policies: [inline('p', allow('s3:GetObject', 'arn:aws:s3:::docs/*'))], trust: trustingAccount() }),
    ],
    expect: 'not-exploitable',
  },
  {
    name: 'SSM on every instance where no instance role exists',
    identities: [
      user('ops', { policies: [inline('p', allow(['ssm:SendCommand', 'ssm:StartSession']))] }),
      role('fn', { policies: [inline('p', allow('logs:PutLogEvents'))], trust: trustingService('lambda.amazonaws.com') }),
    ],
    expect: 'not-exploitable',
  },
];

/** Every labelled estate: the path table in one, each trap in its own. */
export function labelledEstates(): LabelledEstate[] {
  const traps = [...FALSE_NEGATIVE_TRAPS, ...FALSE_POSITIVE_TRAPS].map((c): LabelledEstate => ({
    identities: c.identities,
    ...(c.resources ? { resources: c.resources } : {}),
    judged: [{ name: c.name, principal: c.identities[0]!, expect: c.expect }],
  }));
  return [tableEstate(), ...traps];
}
