import { describe, expect, it } from 'vitest';
import secretReuse from '../../rules/secrets/secret-reuse.js';
import { normaliseSecretName } from '../../rules/secrets/reuse-placements.js';
import { contractAttributes, type Credential, type Finding, type Identity, type InventoryItem } from '../../src/model/index.js';
import type { EntraCredentialAttributes } from '../../src/model/entra.js';
import { commandsFor } from '../../src/remediation/commands.js';
import { buildGraph } from '../../src/lineage/graph.js';
import { runRule, testRule } from '../../testkit/rule-tester.js';
import { credential, identity } from '../../testkit/inventory/core.js';
import { accessKey, secretsManagerSecret, user } from '../../testkit/inventory/aws.js';
import { keyVault, vaultSecret } from '../../testkit/inventory/azure.js';
import { orgSecret, repositorySecret } from '../../testkit/inventory/github.js';
import { leakedSecret } from '../../testkit/inventory/secrets.js';

const T = '2026-10-01T09:00:00.000Z';
const later = (hours: number) => new Date(Date.parse(T) + hours * 3_600_000).toISOString();

const KEY_ID = 'AKIAQWERTYUIOPASDFGH';
const OTHER_KEY_ID = 'AKIAZXCVBNMLKJHGFDSA';
const admin = user('ci-deployer', { fields: { grants: [{ resource: '*', actions: ['*'], level: 'admin' }] } });
const reader = user('report-reader');
const adminKey = accessKey(admin, KEY_ID);
const readerKey = accessKey(reader, OTHER_KEY_ID);
const platformKv = keyVault('contoso-platform-kv');
const devKv = keyVault('contoso-dev-kv');

/** A Key Vault secret whose current value was set at `setAt`, with `tags`. */
const kvSecret = (vault: Identity, name: string, setAt: string, tags: Record<string, string> = {}) =>
  vaultSecret(vault, name, { fields: { lastRotatedAt: setAt, createdAt: setAt, tags } });

const ENTRA_KEY_ID = '3ce53806-3de5-4999-aae5-34e03be53673';
const entraSecret: Credential = credential({
  provider: 'entra',
  kind: 'entra-client-secret',
  nativeId: ENTRA_KEY_ID,
  name: 'payments-api/ci',
  attributes: contractAttributes<EntraCredentialAttributes>({
    keyId: ENTRA_KEY_ID,
    on: 'application',
    holderObjectId: 'app-object',
    appId: 'app-id',
    hint: 'Pq8',
    usageTracked: false,
    supportsExpiry: true,
  }),
});

const withoutId = ({ id: _id, ...rest }: Credential) => rest;
/** An Entra app registration with `secrets` active client secrets (keyIds k1, k2...). */
function entraApp(appId: string, secrets: number): InventoryItem[] {
  const app = identity({ provider: 'entra', kind: 'entra-application', nativeId: `${appId}-object`, name: `app ${appId}`, attributes: { appId } });
  const creds = Array.from({ length: secrets }, (_, n) =>
    credential({
      ...withoutId(entraSecret),
      nativeId: `${appId}-k${n + 1}`,
      name: `${app.name}/k${n + 1}`,
      identityId: app.id,
      attributes: { ...entraSecret.attributes, keyId: `${appId}-k${n + 1}`, appId },
    }),
  );
  return [app, ...creds];
}
/** An Actions secret the Actions-secret correlation tied to Entra app `appId`. */
const appSecret = (repository: string, name: string, setAt: string, appId: string) => {
  const c = repositorySecret(repository, name, setAt);
  c.attributes.entraAppId = appId;
  return c;
};

const GCP_KEY_ID = 'a'.repeat(40);
const gcpJson = leakedSecret('gcp-json', ['acme/api'], { detector: 'gcp-service-account-key', decoded: { privateKeyId: GCP_KEY_ID } });
const gcpPem = leakedSecret('gcp-pem', ['acme/tools'], { detector: 'private-key', decoded: { privateKeyId: GCP_KEY_ID } });

testRule(secretReuse, {
  valid: [
    { name: 'one stored secret in one repository', inventory: [repositorySecret('acme/api', 'AWS_ACCESS_KEY_ID', T)] },
    {
      name: 'trap: same name in two repositories, values set 30 days apart',
      inventory: [repositorySecret('acme/api', 'AWS_ACCESS_KEY_ID', T), repositorySecret('acme/web', 'AWS_ACCESS_KEY_ID', later(30 * 24))],
    },
    {
      name: 'trap: same name and time, tags name different targets',
      inventory: [
        platformKv,
        devKv,
        kvSecret(platformKv, 'db-password', T, { target: 'orders-db' }),
        kvSecret(devKv, 'db-password', later(1), { target: 'billing-db' }),
      ],
    },
    {
      name: 'trap: same name and time, tagged with two different live keys',
      inventory: [
        admin,
        reader,
        adminKey,
        readerKey,
        platformKv,
        kvSecret(platformKv, 'aws-secret-access-key', T, { accessKeyId: KEY_ID }),
        secretsManagerSecret('ci/aws-secret-access-key', later(2), { fields: { tags: { accessKeyId: OTHER_KEY_ID } } }),
      ],
    },
    {
      name: 'trap: a generic name set together in two repositories says nothing about the value',
      inventory: [repositorySecret('acme/api', 'PASSWORD', T), repositorySecret('acme/web', 'password', later(1))],
    },
    {
      name: 'a name shared by several targets leaves an untargeted copy ambiguous',
      inventory: [
        platformKv,
        devKv,
        kvSecret(platformKv, 'stripe-key', T, { target: 'shop-a' }),
        kvSecret(devKv, 'stripe-key', later(1), { target: 'shop-b' }),
        repositorySecret('acme/api', 'STRIPE_KEY', later(2)),
      ],
    },
    {
      name: 'a disabled copy does not count',
      inventory: [repositorySecret('acme/api', 'SENTRY_DSN', T), repositorySecret('acme/web', 'SENTRY_DSN', later(1), { fields: { status: 'inactive' } })],
    },
    {
      name: 'organisation secret shared with fewer repositories than the threshold',
      inventory: [orgSecret('DOCKER_PASSWORD', 'selected', { attributes: { selectedRepositories: ['acme/a', 'acme/b', 'acme/c'] } })],
    },
    { name: 'a secret found in code in one repository, two files', inventory: [leakedSecret('one-repo', ['acme/api'])] },
    {
      name: 'trap: two differently named secrets of an app that has two active client secrets may hold different ones',
      inventory: [
        ...entraApp('app-two', 2),
        appSecret('acme/api', 'AZURE_CLIENT_SECRET', T, 'app-two'),
        appSecret('acme/web', 'ARM_CLIENT_SECRET', later(24 * 90), 'app-two'),
      ],
    },
  ],
  invalid: [
    {
      name: 'same name, set within the window, in a repository and a vault: correlated (medium)',
      inventory: [platformKv, repositorySecret('acme/api', 'AWS_SECRET_ACCESS_KEY', T), kvSecret(platformKv, 'aws-secret-access-key', later(3))],
      findings: [
        {
          resource: 'acme/api AWS_SECRET_ACCESS_KEY',
          severity: 'medium',
          key: 'name:aws secret access key',
          message: 'kept in 2 places (medium confidence)',
          evidence: { confidence: 'medium', matchedBy: ['name+update-time'], places: ['azure:keyvault/contoso-platform-kv', 'github:acme/api'] },
        },
      ],
    },
    {
      name: 'the window is an option',
      options: { updateWindowHours: 24 * 40 },
      inventory: [repositorySecret('acme/api', 'AWS_ACCESS_KEY_ID', T), repositorySecret('acme/web', 'AWS_ACCESS_KEY_ID', later(30 * 24))],
      findings: [{ resource: 'acme/api AWS_ACCESS_KEY_ID', evidence: { confidence: 'medium' } }],
    },
    {
      name: 'production and staging environments holding one value: high',
      inventory: [
        repositorySecret('acme/api', 'DEPLOY_TOKEN', T, { environment: 'production' }),
        repositorySecret('acme/web', 'DEPLOY_TOKEN', later(1), { environment: 'staging' }),
      ],
      findings: [{ resource: 'acme/api (production) DEPLOY_TOKEN', severity: 'high', evidence: { environments: ['non-production', 'production'] } }],
    },
    {
      name: 'a generic name with the same target tag: high confidence',
      inventory: [
        platformKv,
        devKv,
        kvSecret(platformKv, 'db-password', T, { target: 'orders-db' }),
        kvSecret(devKv, 'db-password', later(1), { target: 'Orders-DB' }),
      ],
      findings: [{ resource: 'contoso-platform-kv/db-password', severity: 'medium', evidence: { confidence: 'high', matchedBy: ['name+target'] } }],
    },
    {
      name: 'exact: a leaked copy matched to a live admin key, and a vault secret tagged with its key id; same-name copies join it',
      inventory: [
        admin,
        adminKey,
        platformKv,
        leakedSecret('ci-deployer', ['payments-api'], { detector: 'aws-access-key-pair', attributes: { matchedCredentialId: adminKey.id } }),
        kvSecret(platformKv, 'aws-secret-access-key', T, { accessKeyId: KEY_ID }),
        repositorySecret('acme/api', 'AWS_SECRET_ACCESS_KEY', later(1), { environment: 'production' }),
        repositorySecret('acme/web', 'AWS_SECRET_ACCESS_KEY', later(2), { environment: 'staging' }),
      ],
      findings: [
        {
          resource: adminKey.id,
          severity: 'critical',
          key: null,
          message: /aws-access-key ci-deployer\/AKIA\w+ of ci-deployer \(admin-equivalent\) is kept in 4 places \(exact confidence\)/,
          evidence: {
            confidence: 'exact',
            credential: adminKey.id,
            adminEquivalent: true,
            environments: ['non-production', 'production'],
            places: ['azure:keyvault/contoso-platform-kv', 'github:acme/api (environment production)', 'github:acme/web (environment staging)', 'payments-api'],
          },
        },
      ],
    },
    {
      name: 'a leaked copy under src/main/ and a staging copy span no production: main is a branch name, not a folder',
      inventory: [
        admin,
        adminKey,
        leakedSecret(
          'ci-deployer',
          ['payments-api'],
          { detector: 'aws-access-key-pair', attributes: { matchedCredentialId: adminKey.id } },
          'src/main/resources/app.properties',
        ),
        platformKv,
        kvSecret(platformKv, 'aws-secret-access-key', T, { accessKeyId: KEY_ID }),
        repositorySecret('acme/web', 'AWS_SECRET_ACCESS_KEY', later(2), { environment: 'staging' }),
      ],
      findings: [{ resource: adminKey.id, severity: 'high', evidence: { environments: ['non-production'] } }],
    },
    {
      name: 'exact: two different leaked files carrying one GCP key id, in two repositories',
      inventory: [gcpJson, gcpPem],
      findings: [
        {
          resource: [gcpJson.id, gcpPem.id].sort()[0]!,
          key: `link:gcp:gcp-service-account-key:${GCP_KEY_ID}`,
          evidence: { confidence: 'exact', matchedBy: ['key-id'] },
        },
      ],
    },
    {
      name: 'an Entra leak matched by the hint alone makes the group medium, though the vault copy is exact',
      inventory: [
        entraSecret,
        platformKv,
        leakedSecret('entra', ['payments-api'], { attributes: { entraMatchedCredentialId: entraSecret.id, entraMatchedBy: 'hint' } }),
        kvSecret(platformKv, 'payments-client-secret', T, { keyId: ENTRA_KEY_ID }),
      ],
      findings: [{ resource: entraSecret.id, severity: 'medium', evidence: { confidence: 'medium', matchedBy: ['tag', 'hint'] } }],
    },
    {
      name: 'copies naming an app with one active client secret hold that secret, whatever their names and times',
      inventory: [
        ...entraApp('app-one', 1),
        appSecret('acme/api', 'AZURE_CLIENT_SECRET', T, 'app-one'),
        appSecret('acme/web', 'ARM_CLIENT_SECRET', later(24 * 90), 'app-one'),
      ],
      findings: [
        { resource: 'app app-one/k1', evidence: { confidence: 'high', matchedBy: ['only-credential'], identity: 'entra:entra-application:app-one-object' } },
      ],
    },
    {
      name: 'same name and time, both naming one app (of several secrets): joined by target',
      inventory: [
        ...entraApp('app-two', 2),
        appSecret('acme/api', 'AZURE_CLIENT_SECRET', T, 'app-two'),
        appSecret('acme/web', 'AZURE_CLIENT_SECRET', later(1), 'app-two'),
      ],
      findings: [
        {
          resource: 'acme/api AZURE_CLIENT_SECRET',
          message: 'Secret "azure client secret" of app app-two',
          evidence: { confidence: 'high', matchedBy: ['name+target'] },
        },
      ],
    },
    {
      name: 'an organisation secret shared with many selected repositories',
      inventory: [
        orgSecret('DOCKER_PASSWORD', 'selected', { attributes: { selectedRepositories: ['acme/a', 'acme/b', 'acme/c', 'acme/d', 'acme/e', 'acme/f'] } }),
      ],
      findings: [{ resource: 'DOCKER_PASSWORD', key: 'selected-repositories', message: 'shared with 6 repositories', evidence: { confidence: 'exact' } }],
    },
    {
      name: 'a value found in code in two repositories: the hash finding as before',
      inventory: [leakedSecret('two-repos', ['acme/api', 'acme/web'], { severity: 'critical' })],
      findings: [
        {
          resource: leakedSecret('two-repos', []).id,
          severity: 'high',
          message: 'appears in 2 repositories',
          evidence: { confidence: 'exact', matchedBy: ['hash'] },
        },
      ],
    },
  ],
});

describe('secret-reuse helpers', () => {
  it('the lineage graph draws a stored secret tagged with a key id as a copy that unlocks the key', () => {
    const stored = kvSecret(platformKv, 'aws-secret-access-key', T, { accessKeyId: KEY_ID });
    const untagged = kvSecret(platformKv, 'other', T, { owner: 'team@acme.example' });
    const graph = buildGraph({ identities: [admin, platformKv], credentials: [adminKey, stored, untagged] });
    const unlocks = graph.edges.filter((e) => e.type === 'unlocks');
    expect(unlocks).toEqual(
      expect.arrayContaining([
        { from: stored.id, to: adminKey.id, type: 'unlocks', label: 'tagged with its key id' },
        { from: adminKey.id, to: admin.id, type: 'unlocks' },
      ]),
    );
    expect(unlocks.filter((e) => e.from === untagged.id)).toEqual([]);
  });

  it('normalises secret names across stores', () => {
    for (const name of ['AWS_ACCESS_KEY_ID', 'aws-access-key-id', 'AwsAccessKeyId', 'aws.access.key.id'])
      expect(normaliseSecretName(name)).toBe('aws access key id');
  });

  it('remediation: rotate the shared key, then set a value of its own in each place', async () => {
    const stores = [
      kvSecret(platformKv, 'aws-secret-access-key', T, { accessKeyId: KEY_ID }),
      repositorySecret('acme/api', 'AWS_SECRET_ACCESS_KEY', later(1), { environment: 'production' }),
      secretsManagerSecret('ci/aws-secret-access-key', later(2)),
    ];
    const inventory = [admin, adminKey, platformKv, ...stores];
    const [draft] = await runRule(secretReuse, { inventory });
    const finding = {
      ...draft!,
      ruleId: 'secret-reuse',
      category: 'reuse',
      fingerprint: 'f',
      title: '',
      owasp: [],
      remediation: '',
      severity: 'high',
    } as Finding;
    const items = new Map<string, Identity | Credential>(inventory.map((x) => [x.id, x]));
    expect(commandsFor(finding, items)).toEqual([
      `aws iam create-access-key --user-name ci-deployer`,
      `aws iam update-access-key --user-name ci-deployer --access-key-id ${KEY_ID} --status Inactive`,
      `aws iam delete-access-key --user-name ci-deployer --access-key-id ${KEY_ID}`,
      'az keyvault secret set --vault-name contoso-platform-kv --name aws-secret-access-key --file NEW_VALUE_FILE',
      'aws secretsmanager put-secret-value --secret-id arn:aws:secretsmanager:eu-west-1:111122223333:secret:ci/aws-secret-access-key-AbCdEf --secret-string file://NEW_VALUE_FILE',
      'gh secret set AWS_SECRET_ACCESS_KEY --repo acme/api --env production',
    ]);
  });
});
