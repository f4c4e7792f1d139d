/**
 * The Azure Key Vault rules on small inline inventories (testkit/inventory/azure.ts), then a few checks through the
 * real rule engine: neutral rules give way to the Key Vault rules, and Microsoft's own example policy is read right.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { azureAnalysis, azurePlugin } from '../../connectors/azure/plugin.js';
import { normaliseAzureSnapshot } from '../../connectors/azure/normalise.js';
import type { AzureEstateSnapshot } from '../../connectors/azure/snapshot.js';
import { corePlugin } from '../../src/core-plugin.js';
import { defaultConfig } from '../../src/config.js';
import { evaluateRules } from '../../src/evaluate.js';
import { silentLogger } from '../../src/log.js';
import type { Finding, Inventory } from '../../src/model/index.js';
import { Registry } from '../../src/registry.js';
import { azureRules } from '../../rules/azure/index.js';
import { daysBefore, TEST_NOW } from '../../testkit/inventory/core.js';
import { keyVault, policyPrincipal, vaultKey, vaultResourceId, vaultSecret } from '../../testkit/inventory/azure.js';
import { testRule } from '../../testkit/rule-tester.js';

/** The azure plugin's enrichers and rules: a scan loads them when the inventory holds azure items. */
const azureAnalysisPlugin = await azureAnalysis.load();

const ago = (days: number) => daysBefore(TEST_NOW, days);
const inDays = (days: number) => daysBefore(TEST_NOW, -days);
const rule = (id: string) => azureRules.find((r) => r.meta.id === id)!;

const rbacVault = keyVault('kv-platform-rbac');
const policyVault = keyVault('kv-app-prod', { attributes: { enableRbacAuthorization: false, accessPoliciesIgnored: false } });

testRule(rule('azure-keyvault-no-expiry'), {
  valid: [
    { name: 'expires in 180 days', inventory: [policyVault, vaultSecret(policyVault, 'api-token')] },
    { name: 'no expiry, but disabled', inventory: [policyVault, vaultSecret(policyVault, 'old', { fields: { expiresAt: undefined, status: 'inactive' } })] },
  ],
  invalid: [
    {
      name: 'the CIS control follows item type and vault model',
      inventory: [
        policyVault,
        rbacVault,
        vaultSecret(policyVault, 'db-password', { fields: { expiresAt: undefined } }),
        vaultKey(policyVault, 'signing', { fields: { expiresAt: undefined } }),
        vaultSecret(rbacVault, 'token', { fields: { expiresAt: undefined } }),
        vaultKey(rbacVault, 'wrap', { fields: { expiresAt: undefined } }),
      ],
      findings: [
        {
          resource: 'kv-app-prod/db-password',
          message: 'Secret "kv-app-prod/db-password" is enabled and has no expiration date',
          evidence: { cisControl: 'CIS Azure 8.3.4' },
        },
        { resource: 'kv-app-prod/signing', evidence: { cisControl: 'CIS Azure 8.3.2' } },
        { resource: 'kv-platform-rbac/token', evidence: { cisControl: 'CIS Azure 8.3.3' } },
        { resource: 'kv-platform-rbac/wrap', evidence: { cisControl: 'CIS Azure 8.3.1' } },
      ],
    },
  ],
});

testRule(rule('azure-keyvault-expiry-too-far'), {
  valid: [
    {
      name: 'a secret within 365 days and a key within 730',
      inventory: [
        policyVault,
        vaultSecret(policyVault, 's', { fields: { expiresAt: inDays(360) } }),
        vaultKey(policyVault, 'k', { fields: { expiresAt: inDays(700) } }),
      ],
    },
    {
      name: 'far away, within raised limits',
      options: { maxSecretDays: 900, maxKeyDays: 2000 },
      inventory: [
        policyVault,
        vaultSecret(policyVault, 's', { fields: { expiresAt: inDays(800) } }),
        vaultKey(policyVault, 'k', { fields: { expiresAt: inDays(1500) } }),
      ],
    },
  ],
  invalid: [
    {
      name: 'a secret past 365 days and a key past 730',
      inventory: [
        policyVault,
        vaultSecret(policyVault, 'api-token-far', { fields: { expiresAt: inDays(800) } }),
        vaultKey(policyVault, 'archive-slow-rotation', { fields: { expiresAt: inDays(1500) } }),
      ],
      findings: [
        { resource: 'kv-app-prod/api-token-far', severity: 'low', message: 'expires in 800 days', evidence: { maxDays: 365 } },
        { resource: 'kv-app-prod/archive-slow-rotation', evidence: { daysRemaining: 1500, maxDays: 730 } },
      ],
    },
  ],
});

testRule(rule('azure-keyvault-expired-enabled'), {
  valid: [
    { name: 'expired and disabled', inventory: [policyVault, vaultSecret(policyVault, 'gone', { fields: { status: 'inactive', expiresAt: ago(10) } })] },
    {
      name: 'within the grace period',
      options: { graceDays: 30 },
      inventory: [policyVault, vaultSecret(policyVault, 'legacy', { fields: { status: 'expired', expiresAt: ago(10) } })],
    },
  ],
  invalid: [
    {
      name: 'expired but enabled',
      inventory: [policyVault, vaultSecret(policyVault, 'legacy-cert-pass', { fields: { status: 'expired', expiresAt: ago(10) } })],
      findings: [{ resource: 'kv-app-prod/legacy-cert-pass', message: 'expired 10 days ago', evidence: { daysExpired: 10 } }],
    },
  ],
});

testRule(rule('azure-keyvault-secret-not-rotated'), {
  valid: [
    {
      name: 'value set 100 days ago',
      inventory: [policyVault, vaultSecret(policyVault, 'fresh', { fields: { createdAt: ago(100), lastRotatedAt: ago(100) } })],
    },
    {
      name: 'a key (its rotation is judged by its policy)',
      inventory: [policyVault, vaultKey(policyVault, 'old-key', { fields: { createdAt: ago(900), lastRotatedAt: ago(900) } })],
    },
  ],
  invalid: [
    {
      name: 'value set 400 days ago, tags edited 5 days ago: judged by the version, not `updated`',
      inventory: [
        policyVault,
        vaultSecret(policyVault, 'stale-webhook', { fields: { createdAt: ago(400), lastRotatedAt: ago(400) }, attributes: { updatedAt: ago(5) } }),
      ],
      findings: [{ resource: 'kv-app-prod/stale-webhook', message: 'same value for 400 days', evidence: { ageDays: 400 } }],
    },
  ],
});

testRule(rule('azure-keyvault-key-rotation'), {
  valid: [
    { name: 'rotates yearly', inventory: [policyVault, vaultKey(policyVault, 'signing')] },
    {
      name: 'details unreadable: unknown is not absent',
      inventory: [
        policyVault,
        vaultKey(policyVault, 'signing', { attributes: { rotationPolicyKnown: false, rotationAutomatic: false, rotationIntervalDays: undefined } }),
      ],
    },
    { name: 'a secret', inventory: [policyVault, vaultSecret(policyVault, 's')] },
  ],
  invalid: [
    {
      name: 'no rotation policy, or one slower than 730 days (CIS 8.3.9)',
      inventory: [
        policyVault,
        vaultKey(policyVault, 'signing-no-policy', { attributes: { rotationAutomatic: false, rotationIntervalDays: undefined } }),
        vaultKey(policyVault, 'archive-slow-rotation', { attributes: { rotationIntervalDays: 1095 } }),
      ],
      findings: [
        { resource: 'kv-app-prod/signing-no-policy', key: 'no-rotation-policy', evidence: { rotationPolicy: null } },
        { resource: 'kv-app-prod/archive-slow-rotation', key: 'rotation-too-slow', evidence: { rotationIntervalDays: 1095 } },
      ],
    },
  ],
});

const ALL = { keys: ['all'], secrets: ['all'], certificates: ['all'] };
testRule(rule('azure-keyvault-access-policy-excess'), {
  valid: [
    {
      name: 'key user (get/sign/verify) and secret reader (get only)',
      inventory: [
        policyVault,
        policyPrincipal('key-user', [{ vault: policyVault, permissions: { keys: ['get', 'sign', 'verify'] } }]),
        policyPrincipal('reader', [{ vault: policyVault, permissions: { secrets: ['get'] } }]),
      ],
    },
    {
      name: 'secret get+list, when not flagged',
      options: { flagSecretGetList: false },
      inventory: [policyVault, policyPrincipal('app-reader', [{ vault: policyVault, permissions: { secrets: ['get', 'list'] } }])],
    },
  ],
  invalid: [
    {
      name: 'all permissions and purge are high, secret get+list medium; one finding per principal and vault',
      inventory: [
        policyVault,
        policyPrincipal('admin', [{ vault: policyVault, permissions: ALL }]),
        policyPrincipal('purger', [{ vault: policyVault, permissions: { secrets: ['get', 'purge'] } }]),
        policyPrincipal('app-reader', [{ vault: policyVault, permissions: { secrets: ['get', 'list'] } }]),
      ],
      findings: [
        {
          resource: 'admin',
          severity: 'high',
          key: vaultResourceId('kv-app-prod').toLowerCase(),
          evidence: { allPermissions: ['keys', 'secrets', 'certificates'] },
        },
        { resource: 'purger', severity: 'high', evidence: { purge: ['secrets'] } },
        { resource: 'app-reader', severity: 'medium', message: 'secrets get+list (can read every secret)', evidence: { secretGetList: true } },
      ],
    },
    {
      name: 'a written-out full permission list counts as all',
      inventory: [
        policyVault,
        policyPrincipal('full', [{ vault: policyVault, permissions: { secrets: ['Get', 'List', 'Set', 'Delete', 'Backup', 'Restore', 'Recover', 'Purge'] } }]),
      ],
      findings: [{ resource: 'full', severity: 'high', evidence: { allPermissions: ['secrets'] } }],
    },
  ],
});

const readers = (n: number) => Array.from({ length: n }, (_, i) => policyPrincipal(`reader-${i}`, [{ vault: policyVault, permissions: { secrets: ['get'] } }]));
testRule(rule('azure-keyvault-many-secret-readers'), {
  valid: [
    { name: 'five readers', inventory: [policyVault, ...readers(5)] },
    { name: 'six readers under a raised limit', options: { maxSecretReaders: 6 }, inventory: [policyVault, ...readers(6)] },
    {
      name: 'list-only principals read nothing',
      inventory: [
        policyVault,
        ...Array.from({ length: 8 }, (_, i) => policyPrincipal(`lister-${i}`, [{ vault: policyVault, permissions: { secrets: ['list'] } }])),
      ],
    },
  ],
  invalid: [
    {
      name: 'six readers',
      inventory: [policyVault, ...readers(6)],
      findings: [{ resource: 'kv-app-prod', message: '6 principals can read every secret', evidence: { secretReaders: 6 } }],
    },
  ],
});

testRule(rule('azure-keyvault-purge-protection'), {
  valid: [{ name: 'both on', inventory: [rbacVault] }],
  invalid: [
    {
      name: 'purge protection off',
      inventory: [keyVault('kv-app-prod', { attributes: { enablePurgeProtection: false } })],
      findings: [{ resource: 'kv-app-prod', message: 'has purge protection disabled (CIS Azure 8.3.5)' }],
    },
    {
      name: 'both off',
      inventory: [keyVault('kv-old', { attributes: { enablePurgeProtection: false, enableSoftDelete: false } })],
      findings: [{ resource: 'kv-old', message: 'soft delete and purge protection disabled' }],
    },
  ],
});

testRule(rule('azure-keyvault-rbac-disabled'), {
  valid: [{ name: 'RBAC authorisation', inventory: [rbacVault] }],
  invalid: [
    {
      name: 'access policies',
      inventory: [policyVault],
      findings: [{ resource: 'kv-app-prod', severity: 'low', evidence: { enableRbacAuthorization: false, accessPolicies: 0 } }],
    },
  ],
});

testRule(rule('azure-keyvault-public-network'), {
  valid: [
    { name: 'public access disabled', inventory: [rbacVault] },
    {
      name: 'public access enabled behind a deny-by-default firewall',
      inventory: [
        keyVault('kv-shared-dev', { attributes: { publicNetworkAccess: 'Enabled', networkAcls: { defaultAction: 'Deny' }, openToPublicNetwork: false } }),
      ],
    },
  ],
  invalid: [
    {
      name: 'open to any address',
      inventory: [keyVault('kv-app-prod', { attributes: { publicNetworkAccess: 'Enabled', openToPublicNetwork: true } })],
      findings: [{ resource: 'kv-app-prod', message: 'accepts connections from any public address', evidence: { defaultAction: null } }],
    },
  ],
});

const ownedVault = keyVault('kv-owned', { fields: { owner: { id: 'team-a', kind: 'team', source: 'tag:owner' } } });
testRule(rule('azure-keyvault-missing-owner'), {
  valid: [
    { name: 'items inherit their vault owner', inventory: [ownedVault, vaultSecret(ownedVault, 'a'), vaultKey(ownedVault, 'b')] },
    {
      name: 'a disabled item',
      inventory: [ownedVault, vaultSecret(ownedVault, 'a', { fields: { status: 'inactive' } })],
      options: { inheritVaultOwner: false },
    },
    {
      name: 'access-policy principals are left to Entra',
      inventory: [ownedVault, policyPrincipal('p', [{ vault: ownedVault, permissions: { secrets: ['get'] } }])],
    },
  ],
  invalid: [
    {
      name: 'a vault and its items with no owner',
      inventory: [keyVault('kv-shared-dev'), vaultSecret(keyVault('kv-shared-dev'), 'dev-a'), vaultKey(keyVault('kv-shared-dev'), 'dev-b')],
      findings: [
        { resource: 'kv-shared-dev', severity: 'low', message: 'Vault kv-shared-dev has no owner tag' },
        { resource: 'kv-shared-dev/dev-a', message: 'neither has its vault' },
        { resource: 'kv-shared-dev/dev-b' },
      ],
    },
    {
      name: 'no inheritance when told',
      options: { inheritVaultOwner: false },
      inventory: [ownedVault, vaultKey(ownedVault, 'signing-no-policy')],
      findings: [{ resource: 'kv-owned/signing-no-policy', message: 'has no owner tag.' }],
    },
  ],
});

describe('azure rules through the engine', () => {
  function scan(inventory: Inventory): Finding[] {
    const registry = new Registry().register(corePlugin).register(azurePlugin).register(azureAnalysisPlugin);
    return evaluateRules(registry, inventory, defaultConfig(), TEST_NOW, silentLogger);
  }
  const byRule = (findings: Finding[], ruleId: string) =>
    findings
      .filter((f) => f.ruleId === ruleId && f.resource.provider === 'azure')
      .map((f) => f.resource.name)
      .sort();

  it('every rule has options defaults, OWASP mapping and unique ids', () => {
    const ids = azureRules.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of azureRules) {
      expect(r.meta.id).toMatch(/^azure-(keyvault|rbac)-/);
      expect(r.meta.owasp.length).toBeGreaterThan(0);
      expect(() => r.meta.optionsSchema?.parse({})).not.toThrow();
    }
    expect(rule('azure-keyvault-expired-enabled').meta.category).toBe('improper-offboarding');
    for (const id of ['azure-keyvault-purge-protection', 'azure-keyvault-rbac-disabled', 'azure-keyvault-public-network'])
      expect(rule(id).meta.category).toBe('insecure-configuration');
  });

  it('the neutral rules leave Key Vault kinds to the Key Vault rules (one finding per problem); nothing is called unused', () => {
    const vault = keyVault('kv-app-prod');
    const findings = scan({
      identities: [vault, policyPrincipal('p', [{ vault, permissions: { secrets: ['get'] } }])],
      credentials: [
        vaultSecret(vault, 'old', { fields: { expiresAt: undefined, createdAt: ago(900), lastRotatedAt: ago(900) } }),
        vaultKey(vault, 'k', { fields: { expiresAt: inDays(2000), createdAt: ago(900), lastRotatedAt: ago(900) } }),
      ],
    });
    for (const neutral of ['credential-long-lived', 'credential-not-rotated', 'credential-unused', 'missing-owner'])
      expect(byRule(findings, neutral), neutral).toEqual([]);
    expect(byRule(findings, 'azure-keyvault-no-expiry')).toEqual(['kv-app-prod/old']);
    expect(byRule(findings, 'azure-keyvault-secret-not-rotated')).toEqual(['kv-app-prod/old']);
    expect(findings.find((f) => f.ruleId === 'azure-keyvault-no-expiry')!.cis).toContain('CIS Azure 8.3.3');
  });

  it("treats a fully written-out permission list like `all` (Microsoft's own example policy, through the normaliser)", () => {
    const example = JSON.parse(readFileSync(new URL('../../testkit/azure/examples/getVault.json', import.meta.url), 'utf8')).responses['200'].body;
    const snapshot = {
      nhiscanSnapshot: 'azure',
      version: 1,
      subscriptions: [],
      vaults: [{ vault: example, secrets: [], keys: [] }],
      notCovered: [],
    } as AzureEstateSnapshot;
    const { identities, credentials } = normaliseAzureSnapshot(snapshot, { now: TEST_NOW, source: 'azure' });
    const f = scan({ identities, credentials }).find((x) => x.ruleId === 'azure-keyvault-access-policy-excess')!;
    expect(f.evidence).toMatchObject({ allPermissions: ['keys', 'secrets', 'certificates'] });
  });
});
