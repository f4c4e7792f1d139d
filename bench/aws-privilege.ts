/**
 * AWS privilege analysis at estate scale: 10,000 users and 5,000 roles drawn from ~50 distinct
 * policy sets (as in real accounts, where most principals share groups and managed policies).
 * Baseline: the same principals evaluated one by one with no cross-principal cache (a fresh
 * evaluator per principal, what a policy-at-a-time tool does), on a sample, extrapolated.
 * The full analysis (SCPs, resource policies, conditions, chains) is timed against the same estate
 * with those features off, in the same run.
 */
import { pathToFileURL } from 'node:url';
import type { AttachedPolicy, PolicyDocument, PolicyStatement } from '../src/model/aws.js';
import { makeId, type Identity, type Inventory, type Resource } from '../src/model/index.js';
import { analyseInventory, getExpander, PolicyEvaluator } from '../src/aws-iam/index.js';
import { actionPatternsOf } from '../src/aws-iam/evaluate.js';

const ACCOUNT = '123456789012';

function d(...s: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: s };
}

/** ~50 distinct policy sets: combinations of a few groups, managed policies and inline shapes. */
function policySets(): AttachedPolicy[][] {
  const managed = (name: string, doc: PolicyDocument, aws = true): AttachedPolicy => ({
    name,
    type: 'managed',
    arn: aws ? `arn:aws:iam::aws:policy/${name}` : `arn:aws:iam::${ACCOUNT}:policy/${name}`,
    awsManaged: aws,
    document: doc,
  });
  const catalog: AttachedPolicy[] = [
    managed('AdministratorAccess', d({ Effect: 'Allow', Action: '*', Resource: '*' })),
    managed('PowerUserAccess', d({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' })),
    managed(
      'ReadOnlyAccess',
      d({
        Effect: 'Allow',
        Action: [
          's3:Get*',
          's3:List*',
          'ec2:Describe*',
          'iam:Get*',
          'iam:List*',
          'lambda:Get*',
          'lambda:List*',
          'dynamodb:Describe*',
          'cloudwatch:Get*',
          'logs:Get*',
          'logs:Describe*',
        ],
        Resource: '*',
      }),
    ),
    managed('AmazonS3FullAccess', d({ Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: '*' })),
    managed(
      'deploy',
      d(
        { Effect: 'Allow', Action: ['iam:PassRole'], Resource: `arn:aws:iam::${ACCOUNT}:role/app-*` },
        { Effect: 'Allow', Action: ['lambda:*', 'cloudformation:*'], Resource: '*' },
      ),
      false,
    ),
    managed(
      'ci-artifacts',
      d(
        { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: 'arn:aws:s3:::ci-artifacts/*' },
        { Effect: 'Allow', Action: 'ecr:*', Resource: '*' },
      ),
      false,
    ),
    managed(
      'secrets-reader',
      d({
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'kms:Decrypt'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/app': '${aws:PrincipalTag/app}' } },
      }),
      false,
    ),
    managed('ops', d({ Effect: 'Allow', Action: ['ssm:*', 'ec2:*'], Resource: '*' }, { Effect: 'Deny', Action: 'ec2:Delete*', Resource: '*' }), false),
  ];
  const sets: AttachedPolicy[][] = [];
  for (let i = 0; i < 50; i++) {
    const set: AttachedPolicy[] = [];
    for (let b = 0; b < catalog.length; b++) if ((i * 7 + b * 3) % 5 === 0 && !(b === 0 && i % 10)) set.push(catalog[b]!);
    set.push({
      name: `team-${i % 25}`,
      type: 'group-inline',
      group: `team-${i % 25}`,
      document: d({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: `arn:aws:dynamodb:*:${ACCOUNT}:table/team-${i % 25}-*` }),
    });
    if (i % 2)
      set.push({
        name: 'self-keys',
        type: 'inline',
        document: d({ Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:DeleteAccessKey'], Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` }),
      });
    sets.push(set);
  }
  return sets;
}

export function estate(users: number, roles: number): Inventory {
  const sets = policySets();
  const identities: Identity[] = [];
  for (let i = 0; i < users; i++) {
    const arn = `arn:aws:iam::${ACCOUNT}:user/u${i}`;
    const policies = sets[i % sets.length]!;
    identities.push({
      id: makeId('aws', 'iam-user', arn),
      provider: 'aws',
      kind: 'iam-user',
      nativeId: arn,
      name: `u${i}`,
      scope: ACCOUNT,
      tags: {},
      grants: [],
      source: 'bench',
      attributes: { arn, accountId: ACCOUNT, policies, groups: [...new Set(policies.filter((p) => p.group).map((p) => p.group!))] },
    });
  }
  const services = ['ec2.amazonaws.com', 'lambda.amazonaws.com', 'ecs-tasks.amazonaws.com', 'codebuild.amazonaws.com'];
  for (let i = 0; i < roles; i++) {
    const arn = `arn:aws:iam::${ACCOUNT}:role/app-${i}`;
    const policies = sets[(i * 3) % sets.length]!.filter((p) => p.type !== 'group-inline');
    const trust = d({ Effect: 'Allow', Principal: { Service: services[i % services.length] }, Action: 'sts:AssumeRole' });
    identities.push({
      id: makeId('aws', 'iam-role', arn),
      provider: 'aws',
      kind: 'iam-role',
      nativeId: arn,
      name: `app-${i}`,
      scope: ACCOUNT,
      tags: {},
      grants: [],
      source: 'bench',
      attributes: { arn, accountId: ACCOUNT, policies, trustPolicy: trust },
    });
  }
  return { identities, credentials: [], resources: organisation() };
}

/**
 * Resource policies over the estate: one bucket, secret, function or queue per 10 principals. Most name a
 * team role of the account (a same-account grant that joins its effective permissions), one in ten is
 * open to `*` and one in ten to another account.
 */
export function resourcePolicies(count: number, roles: number): Resource[] {
  const kinds = ['aws-s3-bucket', 'aws-lambda-function', 'aws-sqs-queue', 'aws-sns-topic'] as const;
  const services = { 'aws-s3-bucket': 's3', 'aws-lambda-function': 'lambda', 'aws-sqs-queue': 'sqs', 'aws-sns-topic': 'sns' } as const;
  const actions = { s3: 's3:GetObject', lambda: 'lambda:InvokeFunction', sqs: 'sqs:ReceiveMessage', sns: 'sns:Publish' } as const;
  return Array.from({ length: count }, (_, i) => {
    const kind = kinds[i % kinds.length]!;
    const service = services[kind];
    const arn = service === 's3' ? `arn:aws:s3:::data-${i}` : `arn:aws:${service}:us-east-1:${ACCOUNT}:${service === 'lambda' ? 'function:' : ''}r-${i}`;
    const principal = i % 10 === 0 ? '*' : i % 10 === 1 ? { AWS: 'arn:aws:iam::210987654321:root' } : { AWS: `arn:aws:iam::${ACCOUNT}:role/app-${i % roles}` };
    return {
      id: makeId('aws', kind, arn),
      provider: 'aws',
      kind,
      nativeId: arn,
      name: `r-${i}`,
      scope: ACCOUNT,
      tags: {},
      source: 'bench',
      attributes: {
        arn,
        accountId: ACCOUNT,
        service,
        policy: d({ Effect: 'Allow', Principal: principal, Action: actions[service], Resource: service === 's3' ? `${arn}/*` : arn }),
      },
    };
  });
}

/** SCPs over the account: FullAWSAccess at root, OU and account, plus guardrails on the OU (conditional and unconditional Denies). */
function organisation(): Resource[] {
  const scp = (id: string, document: PolicyDocument, targets: string[]): Resource => ({
    id: makeId('aws', 'aws-scp', id),
    provider: 'aws',
    kind: 'aws-scp',
    nativeId: id,
    name: id,
    tags: {},
    source: 'bench',
    attributes: { policyId: id, document, targets },
  });
  return [
    {
      id: makeId('aws', 'aws-account', ACCOUNT),
      provider: 'aws',
      kind: 'aws-account',
      nativeId: ACCOUNT,
      name: ACCOUNT,
      tags: {},
      source: 'bench',
      attributes: { accountId: ACCOUNT, parents: ['r-root', 'ou-workloads'] },
    },
    scp('p-full', d({ Effect: 'Allow', Action: '*', Resource: '*' }), ['r-root', 'ou-workloads', ACCOUNT]),
    scp(
      'p-guard',
      d(
        { Effect: 'Deny', Action: ['organizations:LeaveOrganization', 'account:*'], Resource: '*' },
        {
          Effect: 'Deny',
          Action: ['iam:CreateAccessKey', 'iam:CreateLoginProfile'],
          Resource: '*',
          Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/break-glass` } },
        },
        { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ),
      ['ou-workloads'],
    ),
  ];
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

export async function run(args: { quick: boolean }): Promise<{ name: string; lines: string[] }> {
  const users = args.quick ? 2_000 : 10_000;
  const roles = args.quick ? 1_000 : 5_000;
  const t0 = performance.now();
  await getExpander();
  const loadMs = performance.now() - t0;

  // Today's analysis before SCPs, offline conditions and chains (features off), then all of it, same run.
  // CPU time as well as wall time: on a shared machine the wall ratio mostly measures the neighbours.
  const before = estate(users, roles);
  const tb = performance.now();
  const cb = process.cpuUsage();
  await analyseInventory(before, undefined, { scps: false, conditions: false, chains: false, resourcePolicies: false });
  const beforeCpuMs = cpuMs(process.cpuUsage(cb));
  const beforeMs = performance.now() - tb;

  const inventory = estate(users, roles);
  const holders = resourcePolicies(Math.round((users + roles) / 10), roles);
  inventory.resources = [...(inventory.resources ?? []), ...holders];
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const stats = await analyseInventory(inventory);
  const cachedCpuMs = cpuMs(process.cpuUsage(c1));
  const cachedMs = performance.now() - t1;

  // Baseline: no cross-principal cache, a fresh evaluator per principal (sample of 300, extrapolated).
  const expander = await getExpander();
  const sample = inventory.identities.filter((_, i) => i % Math.ceil(inventory.identities.length / 300) === 0);
  const t2 = performance.now();
  for (const identity of sample) {
    const set = { policies: identity.attributes.policies as AttachedPolicy[] };
    await expander.prepare(actionPatternsOf(set));
    new PolicyEvaluator(expander).evaluate(set);
  }
  const perPrincipalMs = (performance.now() - t2) / sample.length;
  const baselineMs = perPrincipalMs * inventory.identities.length;

  const levels: Record<string, number> = {};
  let paths = 0;
  for (const i of inventory.identities) {
    const e = i.attributes.effective as { privilegeLevel: string; escalationPaths: unknown[] };
    levels[e.privilegeLevel] = (levels[e.privilegeLevel] ?? 0) + 1;
    paths += e.escalationPaths.length;
  }
  return {
    name: 'aws-privilege',
    lines: [
      `action catalogue load (iam-data, once per process): ${loadMs.toFixed(0)} ms`,
      `${stats.principals} principals (${users} users, ${roles} roles), ${stats.distinctPolicySets} distinct policy sets, ${stats.grantOverlays ?? 0} with resource-policy grants added on: ${cachedMs.toFixed(0)} ms (${((cachedMs / stats.principals) * 1000).toFixed(0)} µs/principal, incl. escalation judgement)`,
      `baseline, evaluation only, no policy-set cache: ${perPrincipalMs.toFixed(2)} ms/principal → ${(baselineMs / 1000).toFixed(1)} s extrapolated`,
      `ratio baseline/cached: ${(baselineMs / cachedMs).toFixed(1)}×`,
      `with SCPs, ${holders.length.toLocaleString('en')} resource policies, offline conditions and chain search vs without (same estate, same run): ${cachedMs.toFixed(0)} ms vs ${beforeMs.toFixed(0)} ms = ${(cachedMs / beforeMs).toFixed(2)}× wall, CPU ${cachedCpuMs.toFixed(0)} ms vs ${beforeCpuMs.toFixed(0)} ms = ${(cachedCpuMs / beforeCpuMs).toFixed(2)}× (goal ≤ 1.5×); ${stats.chains ?? 0} chains to an administrator`,
      `privilege levels: ${Object.entries(levels)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}; escalation paths found: ${paths}`,
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.log(`${result.name}\n  ${result.lines.join('\n  ')}`);
}
