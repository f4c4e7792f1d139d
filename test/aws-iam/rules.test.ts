import { describe, expect, it } from 'vitest';
import { awsPrivilegeRules } from '../../rules/aws-privilege/index.js';
import { analyseInventory, correlateLeaks } from '../../src/aws-iam/index.js';
import { defaultConfig } from '../../src/config.js';
import { makeId, type Credential, type Inventory } from '../../src/model/index.js';
import type { Rule } from '../../src/plugin.js';
import type { PolicyDocument } from '../../src/model/aws.js';
import { ACCOUNT, ADMIN_DOC, accessKey, allow, deny, doc, groupInline, inline, inventoryOf, managed, role, trustingService, user } from './helpers.js';

function rule(id: string): Rule {
  const found = awsPrivilegeRules.find((r) => r.meta.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

function check(id: string, inventory: Inventory, options: Record<string, unknown> = {}, settings: Record<string, Record<string, unknown>> = {}) {
  const r = rule(id);
  const parsed = r.meta.optionsSchema ? r.meta.optionsSchema.parse(options) : options;
  return r.check(inventory, parsed, { now: new Date('2026-06-01T00:00:00Z'), config: { ...defaultConfig(), settings } });
}

async function analysed(...identities: Parameters<typeof inventoryOf>): Promise<Inventory> {
  const inventory = inventoryOf(...identities);
  await analyseInventory(inventory);
  return inventory;
}

describe('rule metadata', () => {
  it('every rule has OWASP ids, a category, an options schema with defaults, description and remediation', () => {
    expect(awsPrivilegeRules.map((r) => r.meta.id)).toEqual([
      'aws-admin-equivalent',
      'aws-full-admin-policy',
      'aws-privilege-escalation',
      'aws-unrestricted-sensitive-actions',
      'aws-role-trust-any-principal',
      'aws-role-trust-external-account',
      'aws-role-trust-oidc-unrestricted',
      'aws-leaked-key-active',
      'aws-resource-policy-public',
      'aws-resource-policy-external-account',
    ]);
    for (const r of awsPrivilegeRules) {
      expect(r.meta.owasp.length, r.meta.id).toBeGreaterThan(0);
      expect(r.meta.description.length, r.meta.id).toBeGreaterThan(80);
      expect(r.meta.remediation.length, r.meta.id).toBeGreaterThan(40);
      expect(() => r.meta.optionsSchema!.parse({}), r.meta.id).not.toThrow();
    }
    expect(rule('aws-admin-equivalent').meta.cis).toEqual(['CIS AWS 1.16']);
    expect(rule('aws-role-trust-oidc-unrestricted').meta.category).toBe('insecure-configuration');
  });
});

describe('aws-admin-equivalent', () => {
  it('flags an admin user (critical) and role (high), naming the policy', async () => {
    const inv = await analysed(
      user('ci', { policies: [managed('AdministratorAccess', ADMIN_DOC, true)] }),
      role('deploy', { policies: [inline('all', allow('iam:*'))] }),
      user('reader', { policies: [inline('ro', allow('s3:GetObject', 'arn:aws:s3:::x/*'))] }),
    );
    const findings = check('aws-admin-equivalent', inv);
    expect(findings.map((f) => [f.resource.name, f.severity, f.key])).toEqual([
      ['ci', 'critical', 'admin-equivalent'],
      ['deploy', 'high', 'admin-equivalent'],
    ]);
    expect(findings[0]!.message).toContain('managed/AdministratorAccess');
    expect(findings[1]!.message).toContain('full control of IAM');
  });

  it('reports a "*" on "*" policy that a Deny caps under its own CIS 1.16 rule, not as admin', async () => {
    const inv = await analysed(
      user('capped', { policies: [managed('AdministratorAccess', ADMIN_DOC, true), inline('guard', deny(['iam:*', 'organizations:*']))] }),
    );
    expect(check('aws-admin-equivalent', inv)).toEqual([]);
    const findings = check('aws-full-admin-policy', inv);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ key: 'full-admin-policy' });
    expect(findings[0]!.message).toContain('Deny statements');
    // An uncapped one is admin-equivalent and reported there, naming the policy; not twice by default.
    const admin = await analysed(user('admin-bot', { policies: [managed('AdministratorAccess', ADMIN_DOC, true)] }));
    expect(check('aws-full-admin-policy', admin)).toEqual([]);
    expect(check('aws-full-admin-policy', admin, { includeAdminEquivalent: true })).toHaveLength(1);
  });

  it('skips service-linked roles, which the account cannot change', async () => {
    const slr = role('AWSServiceRoleForSupport', { policies: [managed('AdministratorAccess', ADMIN_DOC, true)] });
    (slr.attributes as Record<string, unknown>).serviceLinked = true;
    expect(check('aws-admin-equivalent', await analysed(slr))).toEqual([]);
  });
});

describe('aws-privilege-escalation', () => {
  it('one finding per path, keyed by path id, severity from what it reaches', async () => {
    const inv = await analysed(
      user('dev', {
        policies: [inline('pass', allow('iam:PassRole')), groupInline('builders', 'lambda', allow(['lambda:CreateFunction', 'lambda:InvokeFunction']))],
      }),
      role('lambda-admin', { policies: [managed('AdministratorAccess', ADMIN_DOC, true)], trust: trustingService('lambda.amazonaws.com') }),
    );
    const findings = check('aws-privilege-escalation', inv).filter((f) => f.resource.name === 'dev');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ key: 'lambda-passrole-invoke', severity: 'critical' });
    expect(findings[0]!.message).toContain('iam:PassRole on * (inline/pass)');
    expect(findings[0]!.message).toContain('group/builders/inline/lambda');
    expect(findings[0]!.evidence).toMatchObject({ reach: 'admin', targets: ['lambda-admin'] });
  });

  it('lowers conditional paths one step and hides latent and self paths by default', async () => {
    const inv = await analysed(
      user('ops', { policies: [inline('p', allow('ssm:StartSession', '*', { Condition: { StringEquals: { 'aws:ResourceTag/env': 'dev' } } }))] }),
      user('rotator', { policies: [inline('p', allow('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`))] }),
    );
    const findings = check('aws-privilege-escalation', inv);
    expect(findings.map((f) => [f.resource.name, f.key, f.severity])).toEqual([['ops', 'ssm-start-session', 'medium']]);
    expect(findings[0]!.message).toContain('aws:ResourceTag/env');
    const all = check('aws-privilege-escalation', inv, { minReach: 'self' });
    expect(all.map((f) => [f.resource.name, f.key, f.severity])).toContainEqual(['rotator', 'iam-create-access-key', 'info']);
    expect(check('aws-privilege-escalation', inv, { includeConditional: false })).toEqual([]);
  });

  it('does not repeat every path for admin-equivalent principals', async () => {
    const inv = await analysed(user('root-like', { policies: [managed('AdministratorAccess', ADMIN_DOC, true)] }));
    expect(check('aws-privilege-escalation', inv)).toEqual([]);
  });
});

describe('aws-unrestricted-sensitive-actions', () => {
  it('reports credential-returning and data actions on * separately, not on narrow resources', async () => {
    const inv = await analysed(
      role('app', {
        policies: [
          inline(
            'p',
            allow(['secretsmanager:GetSecretValue', 'kms:Decrypt', 's3:GetObject']),
            allow('ssm:GetParameter', `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/app/*`),
          ),
        ],
      }),
      role('narrow', {
        policies: [
          inline(
            'p',
            allow('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:app-db-*`),
            allow('ecr:GetAuthorizationToken'),
          ),
        ],
      }),
    );
    const findings = check('aws-unrestricted-sensitive-actions', inv);
    expect(findings.map((f) => [f.resource.name, f.key, f.severity])).toEqual([
      ['app', 'credential-access', 'high'],
      ['app', 'data-access', 'medium'],
    ]);
    expect(findings[0]!.message).toContain('secretsmanager:GetSecretValue, kms:Decrypt');
    expect(findings[0]!.message).not.toContain('ssm:GetParameter');
  });

  it('lowers actions allowed only under conditions', async () => {
    const inv = await analysed(
      role('tagged', {
        policies: [
          inline('p', allow('secretsmanager:GetSecretValue', '*', { Condition: { StringEquals: { 'aws:ResourceTag/app': '${aws:PrincipalTag/app}' } } })),
        ],
      }),
    );
    expect(check('aws-unrestricted-sensitive-actions', inv)).toMatchObject([{ key: 'credential-access', severity: 'medium' }]);
  });
});

function trustRole(name: string, trust: PolicyDocument) {
  return role(name, { trust });
}

describe('role trust policy rules', () => {
  const assume = (principal: unknown, condition?: Record<string, Record<string, unknown>>, action = 'sts:AssumeRole') =>
    doc({ Effect: 'Allow', Principal: principal, Action: action, ...(condition ? { Condition: condition } : {}) });

  it('any principal: "*" without a restricting condition', () => {
    const inv = inventoryOf(
      trustRole('open', assume('*')),
      trustRole('open-aws', assume({ AWS: '*' })),
      trustRole('org-only', assume({ AWS: '*' }, { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } })),
      trustRole('wildcard-org', assume({ AWS: '*' }, { StringLike: { 'aws:PrincipalOrgID': '*' } })),
    );
    expect(check('aws-role-trust-any-principal', inv).map((f) => f.resource.name)).toEqual(['open', 'open-aws', 'wildcard-org']);
  });

  it('external accounts: unknown accounts without ExternalId; own, scanned and known accounts are fine', () => {
    const inv = inventoryOf(
      trustRole('vendor-no-extid', assume({ AWS: 'arn:aws:iam::444455556666:root' })),
      trustRole('vendor-extid', assume({ AWS: '444455556666' }, { StringEquals: { 'sts:ExternalId': 'abc' } })),
      trustRole('own', assume({ AWS: `arn:aws:iam::${ACCOUNT}:root` })),
      trustRole('partner', assume({ AWS: ['arn:aws:iam::777788889999:role/ci', 'arn:aws:iam::222233334444:root'] })),
      user('elsewhere', { account: '222233334444' }),
    );
    const findings = check('aws-role-trust-external-account', inv, { knownAccounts: ['777788889999'] });
    expect(findings.map((f) => [f.resource.name, f.key])).toEqual([['vendor-no-extid', 'external-account:444455556666']]);
    const viaSettings = check('aws-role-trust-external-account', inv, {}, { aws: { knownAccounts: ['444455556666', '777788889999'] } });
    expect(viaSettings).toEqual([]);
  });

  it('GitHub OIDC without a sub condition or with an owner wildcard', () => {
    const gh = { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` };
    const web = 'sts:AssumeRoleWithWebIdentity';
    const inv = inventoryOf(
      trustRole('aud-only', assume(gh, { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } }, web)),
      trustRole('any-repo', assume(gh, { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:*' } }, web)),
      trustRole('org-repos', assume(gh, { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' } }, web)),
      trustRole(
        'one-branch',
        assume(
          gh,
          {
            StringEquals: {
              'token.actions.githubusercontent.com:sub': 'repo:acme/deploy:ref:refs/heads/main',
              'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            },
          },
          web,
        ),
      ),
      trustRole('cognito-open', assume({ Federated: 'cognito-identity.amazonaws.com' }, undefined, web)),
    );
    const findings = check('aws-role-trust-oidc-unrestricted', inv);
    expect(findings.map((f) => f.resource.name)).toEqual(['aud-only', 'any-repo', 'cognito-open']);
    expect(findings[0]!.message).toContain('without a "token.actions.githubusercontent.com:sub" condition');
    expect(findings[1]!.message).toContain('repo:*');
  });

  it('service trust is not flagged by any trust rule', () => {
    const inv = inventoryOf(trustRole('lambda', trustingService('lambda.amazonaws.com')));
    for (const id of ['aws-role-trust-any-principal', 'aws-role-trust-external-account', 'aws-role-trust-oidc-unrestricted'])
      expect(check(id, inv)).toEqual([]);
  });
});

describe('leak correlation and aws-leaked-key-active', () => {
  // Built at test time: structurally valid, not a real key.
  const KEY_ID = ['AKIA', 'QYLPMN5HHHFPZAM2'].join('');
  const OTHER_ID = ['AKIA', 'QYLPMN5HHHFPZZZZ'].join('');

  function leaked(keyId: string, detector = 'aws-access-key-pair'): Credential {
    return {
      id: makeId('secret', 'leaked-secret', `hash-${keyId}`),
      provider: 'aws',
      kind: 'leaked-secret',
      nativeId: `hash-${keyId}`,
      name: 'AWS access key',
      tags: {},
      status: 'unknown',
      secret: { detector, hash: `sha256:${'0'.repeat(64)}`, preview: 'AKIA…(40 chars)', decoded: { accessKeyId: keyId } },
      locations: [{ source: 'git:./app', repository: 'app', path: 'config/prod.env', line: 3, commit: 'a'.repeat(40), date: '2025-01-02T00:00:00Z' }],
      attributes: { severity: 'high', confidence: 'high' },
      source: 'git:./app',
    };
  }

  async function scenario(status: Credential['status'], detector?: string) {
    const svc = user('svc-deploy', { policies: [inline('p', allow('iam:PassRole'), allow('ec2:RunInstances'))] });
    const inv = inventoryOf(
      svc,
      role('ec2-admin', { policies: [managed('AdministratorAccess', ADMIN_DOC, true)], trust: trustingService('ec2.amazonaws.com') }),
    );
    inv.credentials.push(accessKey(svc, KEY_ID, status), leaked(KEY_ID, detector), leaked(OTHER_ID));
    await analyseInventory(inv);
    const matched = correlateLeaks(inv);
    return { inv, svc, matched };
  }

  it('links the leaked key id to the IAM user and records its privilege level', async () => {
    const { inv, svc, matched } = await scenario('active');
    expect(matched).toBe(1);
    const leak = inv.credentials.find((c) => c.kind === 'leaked-secret' && c.secret?.decoded?.accessKeyId === KEY_ID)!;
    expect(leak.identityId).toBe(svc.id);
    expect(leak.attributes).toMatchObject({
      matchedCredentialId: makeId('aws', 'aws-access-key', KEY_ID),
      matchedKeyStatus: 'active',
      privilegeLevel: 'high',
      adminEquivalent: false,
      escalationPathIds: ['ec2-passrole-run-instances'],
    });
    const unmatched = inv.credentials.find((c) => c.secret?.decoded?.accessKeyId === OTHER_ID)!;
    expect(unmatched.identityId).toBeUndefined();
    expect(inv.credentials.find((c) => c.kind === 'aws-access-key')!.attributes.leakedAs).toEqual([leak.id]);
  });

  it("falls back to the key's user name when the key carries no identity id, and notes keys deleted from a scanned account", async () => {
    const svc = user('svc-deploy', { policies: [inline('p', allow('s3:PutObject'))] });
    const key = accessKey(svc, KEY_ID, 'active');
    delete key.identityId;
    const gone = leaked(OTHER_ID);
    gone.secret!.decoded!.awsAccountId = ACCOUNT;
    const inv = inventoryOf(svc);
    inv.credentials.push(key, leaked(KEY_ID), gone);
    await analyseInventory(inv);
    correlateLeaks(inv);
    expect(inv.credentials[1]!.identityId).toBe(svc.id);
    expect(inv.credentials[1]!.attributes).toMatchObject({ matchedIdentityName: 'svc-deploy', privilegeLevel: 'write' });
    expect(gone.attributes.awsKeyNotFoundInScannedAccount).toBe(true);
    expect(check('aws-leaked-key-active', inv).map((f) => f.key)).toEqual([KEY_ID]);
  });

  it('an active matched key is critical and names the user and the blast radius', async () => {
    const { inv } = await scenario('active');
    const findings = check('aws-leaked-key-active', inv);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ key: KEY_ID, severity: 'critical', location: { path: 'config/prod.env', repository: 'app' } });
    expect(findings[0]!.message).toContain('IAM user "svc-deploy"');
    expect(findings[0]!.message).toContain('ec2-passrole-run-instances');
    expect(JSON.stringify(findings)).not.toMatch(/secretAccessKey|wJalr/);
  });

  it('an inactive key is medium, and a key id without its secret is one step lower', async () => {
    expect(check('aws-leaked-key-active', (await scenario('inactive')).inv)).toMatchObject([{ severity: 'medium' }]);
    expect(check('aws-leaked-key-active', (await scenario('active', 'aws-access-key-id')).inv)).toMatchObject([{ severity: 'high' }]);
    expect(check('aws-leaked-key-active', (await scenario('inactive')).inv, { includeInactive: false })).toEqual([]);
  });
});
