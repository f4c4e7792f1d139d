import { beforeAll, describe, expect, it } from 'vitest';
import { analyseInventory, getExpander } from '../../src/aws-iam/index.js';
import { decideClause, explainConditionKeys } from '../../src/aws-iam/conditions.js';
import { markHumans } from '../../src/aws-iam/humans.js';
import { sortFindings } from '../../src/evaluate.js';
import { awsPrivilegeRules } from '../../rules/aws-privilege/index.js';
import { makeId, refOf, type Finding, type Identity } from '../../src/model/index.js';
import {
  ACCOUNT,
  ADMIN_DOC,
  accessKey,
  allow,
  analyse,
  doc,
  effectiveOf,
  inline,
  managed,
  path,
  role,
  trustingAccount,
  trustingService,
  user,
} from './helpers.js';

const arn = (kind: string, name: string) => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`;
const trustNaming = (principal: string) => doc({ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' });

beforeAll(async () => {
  await getExpander();
});

describe('multi-hop chains', () => {
  it('reports the shortest chain to an administrator with its hops', async () => {
    const ci = user('ci', { policies: [inline('p', allow('sts:AssumeRole', arn('role', 'hop-*')))] });
    const identities = [
      ci,
      role('hop-1', { policies: [inline('p', allow('sts:AssumeRole', arn('role', 'hop-2')))], trust: trustingAccount() }),
      role('hop-2', { policies: [inline('p', allow('sts:AssumeRole', arn('role', 'admin')))], trust: trustNaming(arn('role', 'hop-1')) }),
      // A shorter way: hop-1b can assume admin directly.
      role('hop-1b', { policies: [inline('p', allow('sts:AssumeRole', arn('role', 'admin')))], trust: trustingAccount() }),
      role('admin', {
        policies: [managed('AdministratorAccess', ADMIN_DOC, true)],
        trust: doc({ Effect: 'Allow', Principal: { AWS: [arn('role', 'hop-2'), arn('role', 'hop-1b')] }, Action: 'sts:AssumeRole' }),
      }),
    ];
    await analyseInventory({ identities, credentials: [] });
    const chain = path(effectiveOf(ci), 'role-chain-to-admin')!;
    expect(chain).toMatchObject({ reach: 'admin', targets: ['admin'] });
    expect(chain.hops).toEqual([
      { from: 'ci', to: 'hop-1b', via: 'sts:AssumeRole' },
      { from: 'hop-1b', to: 'admin', via: 'sts:AssumeRole' },
    ]);
    expect(effectiveOf(ci)).toMatchObject({ escalatesToAdmin: true, privilegeLevel: 'high' });
  });

  it('follows code-running edges and ends with the self-escalation that makes the last role admin', async () => {
    const dev = user('dev', { policies: [inline('p', allow(['iam:PassRole', 'ec2:RunInstances'], '*'), allow('s3:ListAllMyBuckets'))] });
    const worker = role('worker', { policies: [inline('p', allow('iam:PutRolePolicy', arn('role', 'worker')))], trust: trustingService('ec2.amazonaws.com') });
    await analyseInventory({ identities: [dev, worker], credentials: [] });
    // The direct path already reaches "worker", which can make itself admin: the chain says so in two steps.
    const chain = path(effectiveOf(dev), 'role-chain-to-admin')!;
    expect(chain.hops).toHaveLength(2);
    expect(chain.hops!.at(-1)).toEqual({ from: 'worker', to: 'administrator', via: 'iam-put-role-policy' });
    expect(chain.hops![0]).toMatchObject({ from: 'dev', to: 'worker' });
  });

  it('stays bounded on 5,000 roles that all trust the account (completes; no timing asserted)', async () => {
    const identities: Identity[] = [];
    const hub = inline('hub', allow('sts:AssumeRole', '*'), allow('s3:ListAllMyBuckets'));
    for (let i = 0; i < 5000; i++)
      identities.push(role(`r${i}`, { policies: [i % 2 ? hub : inline('leaf', allow('logs:PutLogEvents'))], trust: trustingAccount() }));
    identities.push(role('top', { policies: [managed('AdministratorAccess', ADMIN_DOC, true)], trust: trustNaming(arn('role', 'r4999')) }));
    const entry = user('entry', { policies: [inline('p', allow('sts:AssumeRole', arn('role', 'r1')))] });
    const stats = await analyseInventory({ identities: [entry, ...identities], credentials: [] });
    expect(stats.principals).toBe(5002);
    const chain = path(effectiveOf(entry), 'role-chain-to-admin')!;
    expect(chain.hops!.map((h) => h.to)).toEqual(['r1', 'r4999', 'top']);
    expect(stats.chains).toBeGreaterThanOrEqual(2500);
  }, 120_000);
});

describe('conditions decided offline', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const facts = { now, mfaImpossible: true, principalTags: { team: 'platform' } };
  it.each([
    ['DateLessThan', 'aws:TokenIssueTime', '2019-01-01T00:00:00Z', 'never'],
    ['DateLessThan', 'aws:CurrentTime', '2020-01-01T00:00:00Z', 'never'],
    ['DateGreaterThan', 'aws:CurrentTime', '2020-01-01T00:00:00Z', 'always'],
    ['DateGreaterThan', 'aws:CurrentTime', '2030-01-01T00:00:00Z', 'unknown'],
    ['DateLessThan', 'aws:CurrentTime', '2030-01-01T00:00:00Z', 'chosen'],
    ['Bool', 'aws:MultiFactorAuthPresent', 'true', 'never'],
    ['BoolIfExists', 'aws:MultiFactorAuthPresent', 'true', 'chosen'],
    ['BoolIfExists', 'aws:MultiFactorAuthPresent', 'false', 'always'],
    ['NumericLessThan', 'aws:MultiFactorAuthAge', '3600', 'never'],
    ['StringEquals', 'aws:PrincipalTag/team', 'platform', 'always'],
    ['StringEquals', 'aws:PrincipalTag/team', 'data', 'never'],
    ['StringEquals', 'aws:PrincipalTag/cost-centre', 'x', 'never'],
    ['StringEqualsIfExists', 'aws:PrincipalTag/cost-centre', 'x', 'always'],
    ['IpAddress', 'aws:SourceIp', '10.0.0.0/8', 'unknown'],
  ])('%s %s %s -> %s', (operator, key, value, outcome) => {
    expect(decideClause({ operator, key, values: [value] }, facts)).toBe(outcome);
  });

  it('MFA is unknown for a user with an MFA device or a role', () => {
    expect(decideClause({ operator: 'Bool', key: 'aws:MultiFactorAuthPresent', values: ['true'] }, { now, mfaImpossible: false })).toBe('unknown');
  });

  it('explains network conditions as limiting, in the sensitive-actions finding', async () => {
    const bot = user('bot', {
      policies: [inline('p', allow('secretsmanager:GetSecretValue', '*', { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }))],
    });
    await analyse(bot);
    const rule = awsPrivilegeRules.find((r) => r.meta.id === 'aws-unrestricted-sensitive-actions')!;
    const findings = rule.check({ identities: [bot], credentials: [] }, rule.meta.optionsSchema!.parse({}), { now, config: {} as never });
    expect(findings[0]!.message).toContain('aws:SourceIp: only from the listed IP ranges');
    expect(explainConditionKeys(['aws:SourceVpce', 'aws:ResourceTag/x'])).toHaveLength(1);
  });
});

describe('latent and lateral paths in the rule', () => {
  it('a latent path is visible at medium and names what it reaches today', async () => {
    const dev = user('dev', { policies: [inline('p', allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction', 'logs:*']))] });
    const fn = role('fn-logs', { policies: [inline('p', allow('logs:PutLogEvents'))], trust: trustingService('lambda.amazonaws.com') });
    await analyse(dev, fn);
    const rule = awsPrivilegeRules.find((r) => r.meta.id === 'aws-privilege-escalation')!;
    const findings = rule.check({ identities: [dev, fn], credentials: [] }, rule.meta.optionsSchema!.parse({}), { now: new Date(), config: {} as never });
    const latent = findings.find((f) => f.key === 'lambda-passrole-invoke')!;
    expect(latent).toMatchObject({ severity: 'medium' });
    expect(latent.message).toContain('"fn-logs"');
  });
});

describe('humans are not NHIs', () => {
  it('marks a console user with MFA and no keys as human, and sorts findings on people last', () => {
    const person = user('alice');
    Object.assign(person.attributes, { passwordEnabled: true, mfaActive: true });
    const keyed = user('bob');
    Object.assign(keyed.attributes, { passwordEnabled: true, mfaActive: true });
    const bot = user('bot');
    const inventory = { identities: [person, keyed, bot], credentials: [accessKey(keyed, 'AKIAEXAMPLEKEY000001')] };
    expect(markHumans(inventory)).toBe(1);
    expect(person.human).toBe(true);
    expect(keyed.human).toBeUndefined();
    const finding = (i: Identity, severity: Finding['severity']): Finding => ({
      fingerprint: i.name,
      ruleId: 'r',
      category: 'excess-privilege',
      severity,
      title: '',
      message: '',
      resource: refOf(i),
      owasp: [],
      remediation: '',
    });
    const sorted = sortFindings([finding(person, 'critical'), finding(bot, 'medium')]);
    expect(sorted.map((f) => f.resource.name)).toEqual(['bot', 'alice']);
    expect(sorted[1]!.resource.human).toBe(true);
    expect(makeId('aws', 'iam-user', 'x')).toBe('aws:iam-user:x');
  });
});
