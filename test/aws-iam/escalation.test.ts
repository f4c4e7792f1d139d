import { beforeAll, describe, expect, it } from 'vitest';
import { ESCALATION_PATHS, getExpander } from '../../src/aws-iam/index.js';
import { SENSITIVE_ACTIONS } from '../../src/aws-iam/sensitive-actions.js';
import type { Identity } from '../../src/model/index.js';
import { ACCOUNT, ADMIN_DOC, allow, analyse, deny, doc, groupInline, inline, managed, path, role, trustingAccount, trustingService, user } from './helpers.js';

/** Every service a path passes a role to or takes over compute of. */
const SERVICES = [...new Set(ESCALATION_PATHS.map((p) => p.target.servicePrincipal).filter((s): s is string => !!s))];
const adminPolicy = () => managed('AdministratorAccess', ADMIN_DOC, true);

/** An account with an admin user, an admin group, an admin role each service can run with, and one the account can assume. */
function privilegedEstate(): Identity[] {
  return [
    user('boss', { policies: [groupInline('admins', 'all', allow('*'))] }),
    role('ops-admin', { policies: [adminPolicy()], trust: trustingAccount() }),
    ...SERVICES.map((s) => role(`${s.split('.')[0]}-admin`, { policies: [adminPolicy()], trust: trustingService(s) })),
  ];
}

/** The path's required actions (first of each group), in a customer-managed policy of the principal. */
function requiredActions(p: (typeof ESCALATION_PATHS)[number]): string[] {
  const actions = p.requires.map((g) => g[0]!);
  if (p.target.kind === 'role-policy' || p.target.kind === 'assume-role') actions.push('sts:AssumeRole');
  return actions;
}

function principalFor(p: (typeof ESCALATION_PATHS)[number]): Identity {
  const actions = requiredActions(p);
  return user('mallory', {
    policies: [managed('mallory-tools', doc(allow(actions))), groupInline('devs', 'logs', allow('logs:DescribeLogGroups'))],
  });
}

beforeAll(async () => {
  await getExpander();
});

describe('escalation path table', () => {
  it('names only actions AWS publishes', async () => {
    const { catalog } = await getExpander();
    const unknown = [...ESCALATION_PATHS.flatMap((p) => p.requires.flat()), ...SENSITIVE_ACTIONS.map((s) => s.action)].filter(
      (a) => !catalog.byName.has(a.toLowerCase()),
    );
    expect(unknown).toEqual([]);
  });

  it('covers the well-known paths', () => {
    const needed = [
      'iam:CreatePolicyVersion',
      'iam:SetDefaultPolicyVersion',
      'iam:AttachUserPolicy',
      'iam:AttachGroupPolicy',
      'iam:AttachRolePolicy',
      'iam:PutUserPolicy',
      'iam:PutGroupPolicy',
      'iam:PutRolePolicy',
      'iam:CreateAccessKey',
      'iam:CreateLoginProfile',
      'iam:UpdateLoginProfile',
      'iam:AddUserToGroup',
      'iam:UpdateAssumeRolePolicy',
      'ec2:RunInstances',
      'lambda:CreateEventSourceMapping',
      'glue:CreateDevEndpoint',
      'glue:UpdateDevEndpoint',
      'cloudformation:CreateStack',
      'datapipeline:PutPipelineDefinition',
      'sagemaker:CreateNotebookInstance',
      'sagemaker:CreatePresignedNotebookInstanceUrl',
      'sagemaker:CreateTrainingJob',
      'codebuild:StartBuild',
      'ecs:RunTask',
      'lambda:UpdateFunctionCode',
      'ssm:SendCommand',
      'ssm:StartSession',
    ];
    const covered = new Set(ESCALATION_PATHS.flatMap((p) => p.requires.flat()));
    expect(needed.filter((a) => !covered.has(a))).toEqual([]);
  });
});

describe.each(ESCALATION_PATHS.map((p) => [p.id, p] as const))('path %s', (id, p) => {
  it('reaches admin when the estate holds an admin target', async () => {
    const principal = principalFor(p);
    const s = await analyse(principal, ...privilegedEstate());
    const found = path(s, id);
    expect(found, `${id} not found: ${s.escalationPaths.map((x) => x.id).join(', ')}`).toBeDefined();
    expect(found!.reach).toBe(id === 'iam-set-default-policy-version' ? 'escalation' : 'admin');
    expect(found!.conditional).toBe(false);
    expect(found!.actions.map((a) => a.action)).toEqual(expect.arrayContaining(requiredActions(p)));
    expect(found!.actions[0]!.sources).toEqual(['managed/mallory-tools']);
    expect(s.privilegeLevel).toBe('high');
  });

  it('is still reported, as an escalation, when nothing else was scanned', async () => {
    const s = await analyse(principalFor(p));
    const found = path(s, id);
    if (p.target.kind === 'assume-role') {
      // Only a concrete, more privileged role is a finding for this path.
      expect(found).toBeUndefined();
      return;
    }
    expect(found).toBeDefined();
    const selfTargeting = ['iam-create-policy-version', 'iam-attach-user-policy', 'iam-put-user-policy', 'iam-attach-group-policy', 'iam-put-group-policy'];
    expect(found!.reach).toBe(selfTargeting.includes(id) ? 'admin' : 'escalation');
  });

  it('disappears when one required action is denied in another policy', async () => {
    const principal = principalFor(p);
    (principal.attributes.policies as unknown[]).push(inline('guardrail', deny(p.requires[0] ?? [p.target.action])));
    const s = await analyse(principal, ...privilegedEstate());
    expect(path(s, id)).toBeUndefined();
  });
});

describe('paths split across policies', () => {
  it('finds PassRole in an inline policy combined with lambda actions from a group policy', async () => {
    const dev = user('dev', {
      policies: [inline('pass', allow('iam:PassRole')), groupInline('builders', 'lambda', allow(['lambda:CreateFunction', 'lambda:InvokeFunction']))],
    });
    const s = await analyse(dev, ...privilegedEstate());
    const found = path(s, 'lambda-passrole-invoke')!;
    expect(found.reach).toBe('admin');
    expect(found.targets).toEqual(['lambda-admin']);
    expect(Object.fromEntries(found.actions.map((a) => [a.action, a.sources]))).toEqual({
      'iam:PassRole': ['inline/pass'],
      'lambda:CreateFunction': ['group/builders/inline/lambda'],
      'lambda:InvokeFunction': ['group/builders/inline/lambda'],
    });
    // Neither policy alone enables it.
    const half = await analyse(user('half', { policies: [inline('pass', allow('iam:PassRole'))] }), ...privilegedEstate());
    expect(path(half, 'lambda-passrole-invoke')).toBeUndefined();
  });
});

describe('resource scope decides what a path reaches', () => {
  it('CreateAccessKey on the own user only is self-service, not escalation', async () => {
    const s = await analyse(
      user('rotator', { policies: [inline('p', allow('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`))] }),
      ...privilegedEstate(),
    );
    expect(path(s, 'iam-create-access-key')!.reach).toBe('self');
    expect(s.privilegeLevel).toBe('write');
  });

  it('CreateAccessKey on a named admin user reaches admin; on a named low-privilege user it is latent', async () => {
    const intern = user('intern', { policies: [inline('ro', allow('s3:ListAllMyBuckets'))] });
    const onBoss = await analyse(
      user('a', { policies: [inline('p', allow('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/boss`))] }),
      intern,
      ...privilegedEstate(),
    );
    expect(path(onBoss, 'iam-create-access-key')).toMatchObject({ reach: 'admin', targets: ['boss'] });
    const onIntern = await analyse(
      user('b', { policies: [inline('p', allow(['iam:CreateAccessKey', 's3:PutObject'], `arn:aws:iam::${ACCOUNT}:user/intern`))] }),
      intern,
      ...privilegedEstate(),
    );
    expect(path(onIntern, 'iam-create-access-key')!.reach).toBe('latent');
  });

  it('PassRole on a specific low-privilege role is not the same as on *', async () => {
    const worker = role('worker', { policies: [inline('logs', allow('logs:PutLogEvents'))], trust: trustingService('ec2.amazonaws.com') });
    const narrow = await analyse(
      user('n', { policies: [inline('p', allow('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/worker`), allow('ec2:RunInstances'))] }),
      worker,
      ...privilegedEstate(),
    );
    expect(path(narrow, 'ec2-passrole-run-instances')!.reach).toBe('latent');
    const wide = await analyse(user('w', { policies: [inline('p', allow('iam:PassRole'), allow('ec2:RunInstances'))] }), worker, ...privilegedEstate());
    expect(path(wide, 'ec2-passrole-run-instances')).toMatchObject({ reach: 'admin', targets: ['ec2-admin'] });
  });

  it('PassRole to a role that does not trust the service is not exploitable through it', async () => {
    const s = await analyse(
      user('n', { policies: [inline('p', allow('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/lambda-admin`), allow('ec2:RunInstances'))] }),
      ...privilegedEstate(),
    );
    expect(path(s, 'ec2-passrole-run-instances')!.reach).toBe('latent');
  });

  it('iam:PassedToService is judged offline: another service rules the path out, the named one keeps it unconditional', async () => {
    const s = await analyse(
      user('n', {
        policies: [
          inline(
            'p',
            allow('iam:PassRole', '*', { Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } }),
            allow(['ec2:RunInstances', 'lambda:CreateFunction', 'lambda:InvokeFunction']),
          ),
        ],
      }),
      ...privilegedEstate(),
    );
    expect(path(s, 'ec2-passrole-run-instances')).toBeUndefined();
    expect(path(s, 'lambda-passrole-invoke')).toMatchObject({ reach: 'admin', conditional: false });
  });

  it('role policy paths: own role is admin; another role needs sts:AssumeRole and a trust policy that admits the principal', async () => {
    const self = role('deployer', { policies: [inline('p', allow('iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/deployer`))] });
    expect(path(await analyse(self), 'iam-put-role-policy')).toMatchObject({ reach: 'admin', targets: ['deployer'] });

    // On every role, even with no role to assume, it hands any permission to whoever runs as them.
    const noAssume = user('u', { policies: [inline('p', allow('iam:AttachRolePolicy'))] });
    expect(path(await analyse(noAssume, ...privilegedEstate()), 'iam-attach-role-policy')!.reach).toBe('escalation');
    const noAssumeNamed = user('u2', { policies: [inline('p', allow('iam:AttachRolePolicy', `arn:aws:iam::${ACCOUNT}:role/ops-admin`))] });
    expect(path(await analyse(noAssumeNamed, ...privilegedEstate()), 'iam-attach-role-policy')).toBeUndefined();

    const foreign = role('foreign', { policies: [adminPolicy()], trust: trustingAccount('999988887777') });
    const notTrusted = user('v', { policies: [inline('p', allow(['iam:AttachRolePolicy', 'sts:AssumeRole'], `arn:aws:iam::${ACCOUNT}:role/foreign`))] });
    expect(path(await analyse(notTrusted, foreign), 'iam-attach-role-policy')!.reach).toBe('unknown');
  });

  it('AddUserToGroup is judged by what the groups grant, and only pays off for users', async () => {
    const joiner = user('j', { policies: [inline('p', allow('iam:AddUserToGroup', `arn:aws:iam::${ACCOUNT}:group/admins`))] });
    expect(path(await analyse(joiner, ...privilegedEstate()), 'iam-add-user-to-group')).toMatchObject({ reach: 'admin', targets: ['admins'] });
    const toReaders = user('k', { policies: [inline('p', allow(['iam:AddUserToGroup', 's3:PutObject'], `arn:aws:iam::${ACCOUNT}:group/readers`))] });
    const reader = user('r', { policies: [groupInline('readers', 'ro', allow('s3:GetObject', 'arn:aws:s3:::docs/*'))] });
    expect(path(await analyse(toReaders, reader, ...privilegedEstate()), 'iam-add-user-to-group')!.reach).toBe('latent');
    const asRole = role('automation', { policies: [inline('p', allow('iam:AddUserToGroup'))] });
    expect(path(await analyse(asRole, ...privilegedEstate()), 'iam-add-user-to-group')!.reach).toBe('unknown');
  });

  it('CreatePolicyVersion on a policy attached elsewhere is unknown, on its own policy admin', async () => {
    const own = managed('self-policy', doc(allow('iam:CreatePolicyVersion', `arn:aws:iam::${ACCOUNT}:policy/self-policy`)));
    expect(path(await analyse(user('a', { policies: [own] })), 'iam-create-policy-version')!.reach).toBe('admin');
    const other = inline('p', allow('iam:CreatePolicyVersion', `arn:aws:iam::${ACCOUNT}:policy/someone-elses`));
    expect(path(await analyse(user('b', { policies: [other] })), 'iam-create-policy-version')!.reach).toBe('unknown');
  });

  it('Lambda code updates on named functions are unknown (the function role is not known offline)', async () => {
    const s = await analyse(
      user('a', { policies: [inline('p', allow('lambda:UpdateFunctionCode', `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:billing`))] }),
      ...privilegedEstate(),
    );
    expect(path(s, 'lambda-update-function-code')!.reach).toBe('unknown');
  });
});

describe('assuming a more privileged role (trust policies as edges)', () => {
  const trustNaming = (arn: string) => doc({ Effect: 'Allow', Principal: { AWS: arn }, Action: 'sts:AssumeRole' });

  it('a same-account trust naming the principal is enough, without any identity permission', async () => {
    const bot = user('bot', { policies: [inline('p', allow('s3:ListAllMyBuckets'))] });
    const target = role('break-glass', { policies: [managed('AdministratorAccess', ADMIN_DOC, true)], trust: trustNaming(`arn:aws:iam::${ACCOUNT}:user/bot`) });
    const found = path(await analyse(bot, target), 'sts-assume-more-privileged-role');
    expect(found).toMatchObject({ reach: 'admin', targets: ['break-glass'], actions: [] });
    expect(found!.reason).toContain('trust policy names the principal');
  });

  it("an account-wide trust needs sts:AssumeRole in the principal's own policies", async () => {
    const target = role('ops-admin', { policies: [managed('AdministratorAccess', ADMIN_DOC, true)], trust: trustingAccount() });
    expect(
      path(await analyse(user('plain', { policies: [inline('p', allow('s3:ListAllMyBuckets'))] }), target), 'sts-assume-more-privileged-role'),
    ).toBeUndefined();
    const withAssume = await analyse(user('assumer', { policies: [inline('p', allow('sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/ops-*`))] }), target);
    expect(path(withAssume, 'sts-assume-more-privileged-role')).toMatchObject({ reach: 'admin', targets: ['ops-admin'] });
  });

  it('follows trust into other scanned accounts', async () => {
    const other = '444455556666';
    const target = role('prod-deploy', { account: other, policies: [inline('p', allow(['lambda:*', 's3:PutBucketPolicy']))], trust: trustingAccount(ACCOUNT) });
    const s = await analyse(user('ci', { policies: [inline('p', allow('sts:AssumeRole'))] }), target);
    const found = path(s, 'sts-assume-more-privileged-role')!;
    expect(found).toMatchObject({ reach: 'escalation', targets: ['prod-deploy'] });
    expect(found.reason).toContain(`in account ${other}`);
  });

  it('is not reported when the assumable role is no more privileged than the principal', async () => {
    const target = role('reader', { policies: [inline('p', allow('s3:GetObject', 'arn:aws:s3:::docs/*'))], trust: trustingAccount() });
    const s = await analyse(user('writer', { policies: [inline('p', allow(['sts:AssumeRole', 's3:PutObject']))] }), target);
    expect(path(s, 'sts-assume-more-privileged-role')).toBeUndefined();
  });
});

describe('conditions, NotAction and boundaries on paths', () => {
  it('reports a path allowed only under conditions as conditional, with the keys', async () => {
    const s = await analyse(
      user('ops', { policies: [inline('p', allow('ssm:SendCommand', '*', { Condition: { StringEquals: { 'aws:ResourceTag/team': 'ops' } } }))] }),
      ...privilegedEstate(),
    );
    expect(path(s, 'ssm-send-command')).toMatchObject({ reach: 'admin', conditional: true, conditionKeys: ['aws:ResourceTag/team'] });
    expect(s.escalatesToAdmin).toBe(false);
  });

  it('Allow NotAction iam:* keeps non-IAM paths but no IAM ones', async () => {
    const s = await analyse(user('power', { policies: [inline('p', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] }), ...privilegedEstate());
    const ids = s.escalationPaths.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(['lambda-update-function-code', 'ssm-send-command', 'glue-update-dev-endpoint']));
    expect(ids.filter((id) => id.startsWith('iam-') || id.includes('passrole'))).toEqual([]);
    expect(s.sensitiveActions.map((a) => a.action)).toEqual(expect.arrayContaining(['s3:GetObject', 'secretsmanager:GetSecretValue']));
  });

  it('a permission boundary removes paths the identity policies would enable', async () => {
    const s = await analyse(
      user('capped', { policies: [inline('p', allow('iam:*'))], boundary: doc(allow(['s3:*', 'iam:Get*', 'iam:List*'])) }),
      ...privilegedEstate(),
    );
    expect(s.escalationPaths).toEqual([]);
    expect(s.adminEquivalent).toBe(false);
    expect(s.boundary).toBe('applied');
  });
});

describe('shared judgements', () => {
  it('principals with the same policies share judgements but keep their own names where the result names them', async () => {
    const policies = () => [inline('p', allow('iam:PutUserPolicy'))];
    const a = user('alice-bot', { policies: policies() });
    const b = user('bob-bot', { policies: policies() });
    await analyse(a, b);
    const { effectiveOf } = await import('./helpers.js');
    expect(path(effectiveOf(a), 'iam-put-user-policy')!.targets).toEqual(['alice-bot']);
    expect(path(effectiveOf(b), 'iam-put-user-policy')!.targets).toEqual(['bob-bot']);
  });
});
