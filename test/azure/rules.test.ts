/**
 * The Azure rules on the fixture estate's inventory (built offline through the same renderers the
 * emulator serves), evaluated by the real rule engine together with the neutral core rules.
 */
import { describe, expect, it } from 'vitest';
import { azurePlugin } from '../../connectors/azure/plugin.js';
import { normaliseAzureSnapshot } from '../../connectors/azure/normalise.js';
import type { AzureEstateSnapshot } from '../../connectors/azure/snapshot.js';
import { corePlugin } from '../../src/core-plugin.js';
import { defaultConfig, type Config } from '../../src/config.js';
import { ownerEnricher } from '../../src/enrichers/owners.js';
import { evaluateRules } from '../../src/evaluate.js';
import { silentLogger } from '../../src/log.js';
import type { Finding, Inventory } from '../../src/model/index.js';
import { Registry } from '../../src/registry.js';
import { azureRules } from '../../rules/azure/index.js';
import { snapshotFromEstate } from '../../testkit/azure/estate.js';
import { fixtureEstate, P, TEST_NOW } from '../../testkit/azure/fixture-estate.js';

function inventoryOf(snapshot: AzureEstateSnapshot): Inventory {
  const { identities, credentials } = normaliseAzureSnapshot(snapshot, { now: TEST_NOW, source: 'azure' });
  const inventory = { identities, credentials };
  const config = defaultConfig();
  ownerEnricher.enrich(inventory, { config, now: TEST_NOW, log: silentLogger });
  return inventory;
}

function scan(config: Partial<Config> = {}, snapshot = snapshotFromEstate(fixtureEstate()) as AzureEstateSnapshot): Finding[] {
  const registry = new Registry().register(corePlugin).register(azurePlugin);
  return evaluateRules(registry, inventoryOf(snapshot), { ...defaultConfig(), ...config }, TEST_NOW, silentLogger);
}

const names = (findings: Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId).map((f) => f.resource.name).sort();

describe('azure rules', () => {
  const findings = scan();

  it('every rule has options defaults, OWASP mapping and unique ids', () => {
    const ids = azureRules.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of azureRules) {
      expect(rule.meta.id).toMatch(/^azure-keyvault-/);
      expect(rule.meta.owasp.length).toBeGreaterThan(0);
      expect(() => rule.meta.optionsSchema?.parse({})).not.toThrow();
    }
  });

  it('flags secrets and keys with no expiry, citing the CIS control for the vault model', () => {
    expect(names(findings, 'azure-keyvault-no-expiry')).toEqual(['kv-app-prod/db-password']);
    const f = findings.find((x) => x.ruleId === 'azure-keyvault-no-expiry')!;
    expect(f.evidence).toMatchObject({ cisControl: 'CIS Azure 8.3.4' }); // a secret in an access-policy vault
    expect(f.cis).toContain('CIS Azure 8.3.4');
    // Disabled items are not judged; the neutral long-lived rule is taken over for these kinds.
    expect(names(findings, 'credential-long-lived').filter((n) => n.startsWith('kv-'))).toEqual([]);
  });

  it('flags expiry further away than 365 days for secrets and 730 for keys, with configurable limits', () => {
    expect(names(findings, 'azure-keyvault-expiry-too-far')).toEqual(['kv-app-prod/api-token-far', 'kv-app-prod/archive-slow-rotation']);
    const relaxed = scan({ rules: { 'azure-keyvault-expiry-too-far': { options: { maxSecretDays: 900, maxKeyDays: 2000 } } } });
    expect(names(relaxed, 'azure-keyvault-expiry-too-far')).toEqual([]);
  });

  it('flags expired items that are still enabled as improper offboarding', () => {
    expect(names(findings, 'azure-keyvault-expired-enabled')).toEqual(['kv-app-prod/legacy-cert-pass']);
    expect(findings.find((f) => f.ruleId === 'azure-keyvault-expired-enabled')!.category).toBe('improper-offboarding');
  });

  it('judges secret rotation by the current version creation, not by `updated`', () => {
    // stale-webhook: value set 400 days ago, tags edited 5 days ago.
    expect(names(findings, 'azure-keyvault-secret-not-rotated')).toEqual(['kv-app-prod/stale-webhook']);
    expect(names(findings, 'credential-not-rotated').filter((n) => n.startsWith('kv-'))).toEqual([]);
  });

  it('flags keys without a rotation policy or rotating less often than 730 days (CIS 8.3.9)', () => {
    const rotation = findings.filter((f) => f.ruleId === 'azure-keyvault-key-rotation');
    expect(rotation.map((f) => [f.resource.name, f.evidence?.rotationPolicy === null ? 'none' : f.evidence?.rotationIntervalDays]).sort()).toEqual([
      ['kv-app-prod/archive-slow-rotation', 1095],
      ['kv-app-prod/signing-no-policy', 'none'],
    ]);
  });

  it('does not call a rotation policy missing when the key details could not be read', () => {
    const snapshot = snapshotFromEstate(fixtureEstate()) as AzureEstateSnapshot;
    for (const v of snapshot.vaults) for (const k of v.keys ?? []) k.detailsCollected = false;
    expect(names(scan({}, snapshot), 'azure-keyvault-key-rotation')).toEqual([]);
  });

  it('flags access policies with all permissions, purge, or secret get+list, one finding per principal and vault', () => {
    const excess = findings.filter((f) => f.ruleId === 'azure-keyvault-access-policy-excess');
    const byPrincipal = Object.fromEntries(excess.map((f) => [f.resource.name, f]));
    expect(Object.keys(byPrincipal).sort()).toEqual([P.admin, P.appReader, P.purger].sort());
    expect(byPrincipal[P.admin]!.severity).toBe('high');
    expect(byPrincipal[P.admin]!.evidence).toMatchObject({ allPermissions: ['keys', 'secrets', 'certificates'] });
    expect(byPrincipal[P.purger]!.evidence).toMatchObject({ purge: ['secrets'] });
    expect(byPrincipal[P.appReader]!.severity).toBe('medium');
    expect(byPrincipal[P.appReader]!.evidence).toMatchObject({ secretGetList: true });
    // The key user (get/sign/verify) and the readers with `get` only are fine; the RBAC vault's ignored policy grants nothing.
    expect(byPrincipal[P.keyUser]).toBeUndefined();
    expect(excess.every((f) => !String(f.evidence?.vault).includes('kv-platform-rbac'))).toBe(true);
  });

  it('treats a fully written-out permission list like `all` (Microsoft\'s own example policy)', async () => {
    const { readFileSync } = await import('node:fs');
    const example = JSON.parse(readFileSync(new URL('../../testkit/azure/examples/getVault.json', import.meta.url), 'utf8')).responses['200'].body;
    const snapshot = { nhiscanSnapshot: 'azure', version: 1, subscriptions: [], vaults: [{ vault: example, secrets: [], keys: [] }], notCovered: [] } as AzureEstateSnapshot;
    const f = scan({}, snapshot).find((x) => x.ruleId === 'azure-keyvault-access-policy-excess')!;
    expect(f.evidence).toMatchObject({ allPermissions: ['keys', 'secrets', 'certificates'] });
  });

  it('flags a vault whose secrets more than N principals can read', () => {
    expect(names(findings, 'azure-keyvault-many-secret-readers')).toEqual(['kv-shared-dev']);
    expect(findings.find((f) => f.ruleId === 'azure-keyvault-many-secret-readers')!.evidence).toMatchObject({ secretReaders: 6 });
    expect(names(scan({ rules: { 'azure-keyvault-many-secret-readers': { options: { maxSecretReaders: 6 } } } }), 'azure-keyvault-many-secret-readers')).toEqual([]);
  });

  it('flags vault configuration: purge protection, RBAC, public network (CIS 8.3.5-8.3.8)', () => {
    expect(names(findings, 'azure-keyvault-purge-protection')).toEqual(['kv-app-prod']);
    expect(names(findings, 'azure-keyvault-rbac-disabled')).toEqual(['kv-app-prod', 'kv-shared-dev']);
    // kv-shared-dev has public access Enabled but a Deny-by-default firewall: not open.
    expect(names(findings, 'azure-keyvault-public-network')).toEqual(['kv-app-prod']);
    for (const id of ['azure-keyvault-purge-protection', 'azure-keyvault-rbac-disabled', 'azure-keyvault-public-network']) {
      expect(findings.find((f) => f.ruleId === id)!.category).toBe('insecure-configuration');
    }
  });

  it('flags vaults and items with no owner, items inheriting their vault owner, and leaves principals to Entra', () => {
    expect(names(findings, 'azure-keyvault-missing-owner')).toEqual(['kv-shared-dev', 'kv-shared-dev/dev-a', 'kv-shared-dev/dev-b', 'kv-shared-dev/dev-c']);
    // The neutral rule no longer reports any Azure kind (principals included).
    expect(findings.filter((f) => f.ruleId === 'missing-owner' && f.resource.provider === 'azure')).toEqual([]);
    const strict = scan({ rules: { 'azure-keyvault-missing-owner': { options: { inheritVaultOwner: false } } } });
    expect(names(strict, 'azure-keyvault-missing-owner')).toContain('kv-app-prod/signing-no-policy');
  });

  it('never reports Key Vault items as unused (no usage data on the management plane)', () => {
    expect(findings.filter((f) => f.ruleId === 'credential-unused' && f.resource.provider === 'azure')).toEqual([]);
  });
});
