import { beforeAll, describe, expect, it } from 'vitest';
import { getExpander, PolicyEvaluator, type EffectiveAccess } from '../../src/aws-iam/index.js';
import { actionPatternsOf, type PolicySet } from '../../src/aws-iam/evaluate.js';
import type { ActionExpander } from '../../src/aws-iam/catalog.js';
import { ADMIN_DOC, allow, analyse, deny, doc, groupInline, inline, managed, user } from './helpers.js';

let expander: ActionExpander;
beforeAll(async () => {
  expander = await getExpander();
});

async function evaluate(set: PolicySet): Promise<EffectiveAccess> {
  await expander.prepare(actionPatternsOf(set));
  return new PolicyEvaluator(expander).evaluate(set);
}

function grants(access: EffectiveAccess, action: string) {
  const id = expander.catalog.byName.get(action.toLowerCase());
  if (id === undefined) throw new Error(`unknown action ${action}`);
  return access.allowed.get(id);
}

describe('action catalogue and wildcard expansion', () => {
  it('knows the real IAM action list, not a hand-written one', () => {
    expect(expander.catalog.actions.length).toBeGreaterThan(15_000);
    expect(expander.catalog.byName.has('iam:passrole')).toBe(true);
    expect(expander.catalog.byName.has('s3:getobject')).toBe(true);
  });

  it('expands service wildcards and prefix wildcards against the dataset', async () => {
    const access = await evaluate({ policies: [inline('p', allow(['s3:Get*', 'iam:List*']))] });
    expect(grants(access, 's3:GetObject')).toBeDefined();
    expect(grants(access, 's3:PutObject')).toBeUndefined();
    expect(grants(access, 'iam:ListUsers')).toBeDefined();
    expect(grants(access, 'iam:GetUser')).toBeUndefined();
    const s3Gets = [...access.allowed.keys()].filter((id) => expander.catalog.serviceOf[id] === 's3');
    expect(s3Gets.length).toBeGreaterThan(30);
  });

  it('matches action names case-insensitively, as IAM does', async () => {
    const access = await evaluate({ policies: [inline('p', allow('IAM:passrole'))] });
    expect(grants(access, 'iam:PassRole')).toBeDefined();
  });

  it('reports patterns that match no known action instead of ignoring them silently', async () => {
    const access = await evaluate({ policies: [inline('p', allow(['s3:GetObjekt', 'nosuchservice:*']))] });
    expect(access.allowed.size).toBe(0);
    expect(access.unknownPatterns).toEqual(expect.arrayContaining(['s3:GetObjekt', 'nosuchservice:*']));
  });
});

describe('explicit Deny wins', () => {
  it('in the same policy', async () => {
    const access = await evaluate({ policies: [inline('p', allow('iam:*'), deny('iam:CreateAccessKey'))] });
    expect(grants(access, 'iam:CreateAccessKey')).toBeUndefined();
    expect(grants(access, 'iam:CreateUser')).toBeDefined();
    expect(access.deniedCount).toBe(1);
  });

  it('in a separate policy, including one attached through a group', async () => {
    const access = await evaluate({
      policies: [managed('Admin', ADMIN_DOC, true), groupInline('guarded', 'no-iam', deny('iam:*'))],
    });
    expect(grants(access, 'iam:PassRole')).toBeUndefined();
    expect(grants(access, 'iam:CreateAccessKey')).toBeUndefined();
    expect(grants(access, 's3:GetObject')).toBeDefined();
  });

  it('a Deny on a narrower resource carves it out but leaves the rest allowed', async () => {
    const access = await evaluate({ policies: [inline('p', allow('s3:GetObject', '*'), deny('s3:GetObject', 'arn:aws:s3:::secrets/*'))] });
    const g = grants(access, 's3:GetObject')!;
    expect(g).toHaveLength(1);
    expect(g[0]!.except).toEqual(['arn:aws:s3:::secrets/*']);
  });

  it('a Deny covering the allowed resource removes the grant', async () => {
    const access = await evaluate({ policies: [inline('p', allow('s3:GetObject', 'arn:aws:s3:::secrets/*')), inline('q', deny('s3:*', 'arn:aws:s3:::*'))] });
    expect(grants(access, 's3:GetObject')).toBeUndefined();
  });

  it('a conditional Deny does not remove the grant: it makes it conditional, with the keys', async () => {
    const access = await evaluate({
      policies: [inline('p', allow('ec2:*'), deny('ec2:*', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }))],
    });
    const g = grants(access, 'ec2:RunInstances')!;
    expect(g).toHaveLength(1);
    expect(g[0]!.denyConditions?.map((c) => c.key)).toEqual(['aws:MultiFactorAuthPresent']);
  });
});

describe('NotAction and NotResource', () => {
  it('Allow NotAction iam:* on * still allows everything else', async () => {
    const access = await evaluate({ policies: [inline('power', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] });
    expect(grants(access, 's3:GetObject')).toBeDefined();
    expect(grants(access, 'lambda:CreateFunction')).toBeDefined();
    expect(grants(access, 'iam:PassRole')).toBeUndefined();
    expect(grants(access, 'iam:CreateAccessKey')).toBeUndefined();
  });

  it('Deny NotAction limits the principal to the listed actions', async () => {
    const access = await evaluate({ policies: [managed('Admin', ADMIN_DOC, true), inline('only-s3', { Effect: 'Deny', NotAction: 's3:*', Resource: '*' })] });
    expect(grants(access, 's3:GetObject')).toBeDefined();
    expect(grants(access, 'iam:PassRole')).toBeUndefined();
  });

  it('Allow NotResource allows everything except the named resources', async () => {
    const access = await evaluate({ policies: [inline('p', { Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::payroll/*' })] });
    const g = grants(access, 's3:GetObject')!;
    expect(g[0]!.notResources).toEqual(['arn:aws:s3:::payroll/*']);
  });

  it('Deny NotResource keeps the grant only on the excepted resources', async () => {
    const access = await evaluate({
      policies: [inline('p', allow('s3:GetObject', '*'), { Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::public/*'] })],
    });
    expect(grants(access, 's3:GetObject')![0]!.resources).toEqual(['arn:aws:s3:::public/*']);
  });
});

describe('permission boundary', () => {
  it('caps what the identity policies allow', async () => {
    const access = await evaluate({
      policies: [managed('Admin', ADMIN_DOC, true)],
      permissionsBoundary: { arn: 'arn:aws:iam::111122223333:policy/dev-boundary', document: doc(allow(['s3:*', 'logs:*'])) },
    });
    expect(access.boundary).toBe('applied');
    expect(grants(access, 's3:GetObject')).toBeDefined();
    expect(grants(access, 'iam:PassRole')).toBeUndefined();
    expect(access.boundaryCappedCount).toBeGreaterThan(10_000);
  });

  it('never grants on its own what the identity policies do not', async () => {
    const access = await evaluate({
      policies: [inline('p', allow('s3:ListBucket'))],
      permissionsBoundary: { arn: 'arn:aws:iam::111122223333:policy/b', document: ADMIN_DOC },
    });
    expect(access.allowed.size).toBe(1);
  });

  it('narrows resources to the intersection', async () => {
    const access = await evaluate({
      policies: [inline('p', allow('s3:GetObject', '*'))],
      permissionsBoundary: { arn: 'arn:aws:iam::111122223333:policy/b', document: doc(allow('s3:*', 'arn:aws:s3:::team-a/*')) },
    });
    expect(grants(access, 's3:GetObject')![0]!.resources).toEqual(['arn:aws:s3:::team-a/*']);
  });

  it('a boundary whose document could not be resolved is reported, not guessed', async () => {
    const access = await evaluate({ policies: [managed('Admin', ADMIN_DOC, true)], permissionsBoundary: { arn: 'arn:aws:iam::111122223333:policy/b' } });
    expect(access.boundary).toBe('unresolved');
    expect(grants(access, 'iam:PassRole')).toBeDefined();
  });
});

describe('conditions and resources', () => {
  it('keeps conditions on the grant instead of treating them as allow or deny', async () => {
    const access = await evaluate({
      policies: [inline('p', allow('ssm:SendCommand', '*', { Condition: { StringEquals: { 'aws:ResourceTag/team': 'ops' } } }))],
    });
    const g = grants(access, 'ssm:SendCommand')!;
    expect(g[0]!.conditions).toEqual([{ operator: 'StringEquals', key: 'aws:ResourceTag/team', values: ['ops'] }]);
  });

  it("records each action's resource patterns and who grants them", async () => {
    const access = await evaluate({
      policies: [inline('a', allow('s3:GetObject', 'arn:aws:s3:::a/*')), inline('b', allow('s3:GetObject', 'arn:aws:s3:::b/*'))],
    });
    const g = grants(access, 's3:GetObject')!;
    expect(g.map((x) => [x.resources, x.sources])).toEqual([
      [['arn:aws:s3:::a/*'], ['inline/a']],
      [['arn:aws:s3:::b/*'], ['inline/b']],
    ]);
  });

  it('evaluates each distinct policy set once', async () => {
    const evaluator = new PolicyEvaluator(expander);
    const set = { policies: [managed('ReadOnly', doc(allow(['s3:Get*', 's3:List*'])), true)] };
    await expander.prepare(actionPatternsOf(set));
    const first = evaluator.evaluate(set);
    const second = evaluator.evaluate({ policies: [managed('ReadOnly', doc(allow(['s3:Get*', 's3:List*'])), true)] });
    expect(second).toBe(first);
    expect(evaluator.evaluations).toBe(1);
  });
});

describe('resource-policy grants added onto the cached own evaluation', () => {
  const scps = {
    id: 'org',
    levels: [
      { label: 'r-root', documents: [{ name: 'full', document: doc(allow('*')) }] },
      {
        label: 'ou',
        documents: [{ name: 'guard', document: doc(deny('sqs:*'), deny('s3:*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } })) }],
      },
    ],
  };
  const own = [
    managed('AdministratorAccess', doc(allow('*')), true),
    inline('no-deletes', deny('s3:DeleteObject'), deny('s3:GetObject', 'arn:aws:s3:::secret-*')),
  ];
  const boundary = { arn: 'arn:aws:iam::123456789012:policy/edge', document: doc(allow(['s3:*', 'kms:*', 'sqs:*'])) };
  const granted = [
    inline('resource policy of s3-bucket data', allow(['s3:GetObject', 's3:DeleteObject'], ['arn:aws:s3:::data', 'arn:aws:s3:::data/*'])),
    inline(
      'resource policy of kms-key k',
      allow('kms:Decrypt', 'arn:aws:kms:us-east-1:123456789012:key/k', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'a' } } }),
    ),
    inline('resource policy of sqs-queue q', allow('sqs:ReceiveMessage', 'arn:aws:sqs:us-east-1:123456789012:q')),
  ];
  const comparable = (a: EffectiveAccess) => ({ ...a, hash: '', overlay: undefined, allowed: [...a.allowed].map(([id, list]) => [id, JSON.stringify(list)]) });

  it('gives exactly what evaluating them among the own policies gives, through Denies, boundary and SCPs', async () => {
    const sets: PolicySet[] = [
      { policies: own },
      { policies: own, permissionsBoundary: boundary },
      { policies: own.slice(1), permissionsBoundary: boundary, scps },
    ];
    for (const set of sets) {
      const folded = await evaluate({ ...set, policies: [...set.policies, ...granted] });
      const overlaid = await evaluate({ ...set, resourceGrants: granted });
      expect(overlaid.overlay).toBeDefined();
      expect(comparable(overlaid)).toEqual(comparable(folded));
    }
  });

  it('evaluates the own policies once for every principal a different resource policy names', async () => {
    const evaluator = new PolicyEvaluator(expander);
    const bucket = (i: number) => [inline(`resource policy of s3-bucket b${i}`, allow('s3:GetObject', `arn:aws:s3:::b${i}/*`))];
    await expander.prepare(actionPatternsOf({ policies: own, resourceGrants: bucket(0) }));
    for (let i = 0; i < 20; i++) evaluator.evaluate({ policies: own, resourceGrants: bucket(i) });
    expect(evaluator.evaluations).toBe(1);
    expect(evaluator.overlays).toBe(20);
  });
});

describe('effective summary on the identity', () => {
  it('classifies admin, high, write, read and none', async () => {
    expect((await analyse(user('a', { policies: [managed('AdministratorAccess', ADMIN_DOC, true)] }))).privilegeLevel).toBe('admin');
    expect((await analyse(user('b', { policies: [inline('p', allow('s3:PutBucketPolicy'))] }))).privilegeLevel).toBe('high');
    expect((await analyse(user('c', { policies: [inline('p', allow('s3:PutObject'))] }))).privilegeLevel).toBe('write');
    expect((await analyse(user('d', { policies: [inline('p', allow('s3:GetObject', 'arn:aws:s3:::x/*'))] }))).privilegeLevel).toBe('read');
    expect((await analyse(user('e'))).privilegeLevel).toBe('none');
  });

  it('treats full control of IAM as admin-equivalent, but not NotAction iam:*', async () => {
    const iam = await analyse(user('iam', { policies: [inline('p', allow('iam:*'))] }));
    expect(iam.adminEquivalent).toBe(true);
    expect(iam.adminReasons).toEqual(['iam-full-control']);
    const power = await analyse(user('power', { policies: [inline('p', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] }));
    expect(power.adminEquivalent).toBe(false);
    expect(power.privilegeLevel).toBe('high');
  });

  it('fills compact per-service grants', async () => {
    const u = user('g', { policies: [inline('p', allow('s3:*'), allow('dynamodb:GetItem', 'arn:aws:dynamodb:eu-west-1:111122223333:table/t'))] });
    await analyse(u);
    expect(u.grants).toEqual([
      expect.objectContaining({ resource: 'arn:aws:dynamodb:eu-west-1:111122223333:table/t', actions: ['dynamodb:GetItem'], level: 'read' }),
      expect.objectContaining({ resource: '*', actions: ['s3:*'], level: 'admin' }),
    ]);
    const conditional = user('c', {
      policies: [
        inline(
          'p',
          allow('kms:Decrypt', 'arn:aws:kms:*:111122223333:key/k1', { Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } } }),
        ),
      ],
    });
    await analyse(conditional);
    expect(conditional.grants).toEqual([
      expect.objectContaining({ resource: 'arn:aws:kms:*:111122223333:key/k1', actions: ['kms:Decrypt'], conditions: { keys: ['kms:ViaService'] } }),
    ]);
    const admin = user('h', { policies: [managed('AdministratorAccess', ADMIN_DOC, true)] });
    await analyse(admin);
    expect(admin.grants).toEqual([expect.objectContaining({ resource: '*', actions: ['*'], level: 'admin' })]);
  });

  it('counts an action allowed on every ARN of its type as unrestricted', async () => {
    const s = await analyse(user('u', { policies: [inline('p', allow('secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:*:111122223333:secret:*'))] }));
    expect(s.unrestrictedActionCount).toBe(1);
    expect(s.sensitiveActions.map((a) => a.action)).toEqual(['secretsmanager:GetSecretValue']);
  });
});

describe('malformed input', () => {
  it('survives nulls, string statements and odd shapes without throwing, granting nothing from them', async () => {
    const odd = user('odd', {
      policies: [
        null as never,
        { name: 'no-doc', type: 'inline', document: undefined as never },
        { name: 'junk', type: 'inline', document: { Statement: ['not a statement', null, { Effect: 'Maybe', Action: 's3:*' }] } as never },
        { name: 'single', type: 'inline', document: { Statement: { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' } } },
      ],
    });
    const s = await analyse(odd);
    expect(s.allowedActionCount).toBe(1);
    expect(odd.grants).toEqual([expect.objectContaining({ actions: ['sqs:SendMessage'] })]);
  });
});
