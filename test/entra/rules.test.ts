/**
 * The Entra rules and the leak correlation on the fixture tenant (normalised offline from the same
 * objects the emulator serves), each rule asserted on the resources it must and must not report.
 */
import { describe, expect, it } from 'vitest';
import { normaliseEntraSnapshot } from '../../connectors/entra/normalise.js';
import { entraRules } from '../../rules/entra/index.js';
import { broadSubjectReason } from '../../rules/entra/federated-subject-broad.js';
import { correlateEntraLeaks } from '../../src/entra/leaks.js';
import { defaultConfig } from '../../src/config.js';
import type { Credential, Inventory } from '../../src/model/index.js';
import type { Rule } from '../../src/plugin.js';
import { E, entraSnapshotFromTenant, fixtureTenant } from '../../testkit/entra/fixture-tenant.js';

const NOW = new Date('2026-11-29T00:00:00Z');

function inventory(mutate?: (s: ReturnType<typeof entraSnapshotFromTenant>) => void): Inventory {
  const snapshot = entraSnapshotFromTenant(fixtureTenant());
  mutate?.(snapshot);
  const { identities, credentials } = normaliseEntraSnapshot(snapshot, { now: NOW, source: 'entra' });
  return { identities, credentials };
}

function run(id: string, inv: Inventory, options: Record<string, unknown> = {}) {
  const rule = entraRules.find((r) => r.meta.id === id) as Rule;
  const parsed = rule.meta.optionsSchema ? rule.meta.optionsSchema.parse(options) : options;
  return rule.check(inv, parsed, { now: NOW, config: defaultConfig() });
}

const names = (drafts: { resource: { name: string } }[]) => drafts.map((d) => d.resource.name).sort();

describe('entra rules on the fixture tenant', () => {
  const inv = inventory();

  it('credential lifetime: the 99-year secret and the 730-day one beyond a year; certificates judged against 2 years', () => {
    expect(names(run('entra-credential-lifetime', inv))).toEqual(['legacy-reporting/current', 'legacy-reporting/forever']);
    expect(names(run('entra-credential-lifetime', inv, { maxSecretDays: 800 }))).toEqual(['legacy-reporting/forever']);
  });

  it('expired but present, expiring soon without a successor, several active secrets', () => {
    expect(names(run('entra-credential-expired-present', inv))).toEqual(['legacy-reporting/old-2025']);
    expect(names(run('entra-credential-expiring-soon', inv))).toEqual(['legacy-reporting/CN=legacy-reporting']);
    expect(names(run('entra-credential-expiring-soon', inv, { withinDays: 70 }))).toEqual([
      'ci-deployer/github-actions',
      'legacy-reporting/CN=legacy-reporting',
    ]);
    expect(names(run('entra-multiple-active-secrets', inv))).toEqual(['legacy-reporting']);
  });

  it('credential on the service principal object', () => {
    const drafts = run('entra-sp-credential', inv);
    expect(names(drafts)).toEqual(['legacy-reporting/sp-backdoor']);
  });

  it('password where federation would do, and federated subjects that span an organisation', () => {
    expect(names(run('entra-password-not-federated', inv))).toEqual(['ci-deployer/github-actions']);
    const broad = run('entra-federated-subject-broad', inv);
    expect(broad.map((d) => d.key)).toEqual(['github-any-repo']);
    expect(broadSubjectReason({ name: 'x', issuer: 'i', audiences: [], subject: 'repository_owner:contoso' })).toMatch(/organisation/);
    expect(broadSubjectReason({ name: 'x', issuer: 'i', audiences: [], subject: 'repo:contoso/api:environment:prod' })).toBeUndefined();
  });

  it("tier-0: critical with a client secret, high without; directory roles count; Microsoft's own never", () => {
    const drafts = run('entra-tier0-permission', inv);
    const bySp = Object.fromEntries(drafts.map((d) => [d.resource.name, d]));
    expect(Object.keys(bySp).sort()).toEqual(['Partner CRM Connector', 'ci-deployer', 'legacy-reporting']);
    expect(bySp['ci-deployer']!.severity).toBe('critical');
    expect(bySp['ci-deployer']!.message).toMatch(/Application\.ReadWrite\.All/);
    expect(bySp['legacy-reporting']!.message).toMatch(/Cloud Application Administrator/);
    expect(bySp['Partner CRM Connector']!.severity).toBeUndefined();
  });

  it('third-party exposure', () => {
    const drafts = run('entra-third-party-privileged', inv);
    expect(names(drafts)).toEqual(['Partner CRM Connector']);
    expect(drafts[0]!.message).toMatch(/Directory\.ReadWrite\.All \(application\).*Mail\.Read \(delegated, all users\)/);
  });

  it('unused for 90 days: service principals and credentials, only where the reports were read', () => {
    expect(names(run('entra-unused', inv))).toEqual([
      'ci-deployer/github-actions',
      'legacy-reporting',
      'legacy-reporting/CN=legacy-reporting',
      'legacy-reporting/current',
      'legacy-reporting/forever',
    ]);
    const blind = inventory((s) => {
      s.servicePrincipalSignInActivities = null as never;
      s.appCredentialSignInActivities = null as never;
    });
    expect(run('entra-unused', blind)).toEqual([]);
  });

  it('ownership: no owner, and every owner disabled (improper offboarding); unknown owners are not "none"', () => {
    expect(names(run('entra-no-owner', inv))).toEqual(['legacy-reporting']);
    const offboarded = run('entra-owners-offboarded', inv);
    expect(names(offboarded)).toEqual(['ci-deployer']);
    expect(offboarded[0]!.message).toMatch(/bob\.okafor@contoso\.example \(disabled\)/);
    const unknown = inventory((s) => s.applications.forEach((a) => (a.owners = null)));
    expect(run('entra-no-owner', unknown)).toEqual([]);
  });

  it('every rule fires on the fixture tenant (the leak rule with a correlated leak)', () => {
    const withLeak = inventory();
    withLeak.credentials.push(leaked('Pq87Q~'));
    correlateEntraLeaks(withLeak);
    for (const rule of entraRules) expect(run(rule.meta.id, withLeak).length, rule.meta.id).toBeGreaterThan(0);
  });
});

function leaked(preview: string, decoded?: Record<string, string>): Credential {
  return {
    id: `leak:${preview}`,
    provider: 'azure',
    kind: 'leaked-secret',
    nativeId: 'sha256:abc',
    name: 'azure-ad-client-secret',
    tags: {},
    status: 'unknown',
    locations: [{ source: 'git:repo', repository: 'payments-api', path: 'deploy/azure.env', line: 3, commit: 'a'.repeat(40) }],
    secret: { detector: 'azure-ad-client-secret', hash: 'sha256:abc', preview: `${preview}…(40 chars)`, ...(decoded ? { decoded } : {}) },
    attributes: {},
    source: 'git:repo',
  };
}

describe('leaked client secret correlation', () => {
  it('matches by hint and shows the app, its permissions and owners; the leak rule names them', () => {
    const inv = inventory();
    const leak = leaked('Pq87Q~');
    inv.credentials.push(leak);
    expect(correlateEntraLeaks(inv)).toBe(1);
    expect(leak.identityId).toBe(`entra:entra-application:${E.payments.app}`);
    expect(leak.attributes).toMatchObject({
      entraApplicationName: 'payments-api',
      entraMatchedBy: 'hint',
      entraOwners: ['alice.martin@contoso.example'],
      entraPermissions: ['Microsoft Graph: User.Read.All'],
    });
    const [finding] = run('entra-leaked-secret-active', inv);
    expect(finding!.severity).toBe('high');
    expect(finding!.message).toMatch(/VALID.*payments-api.*User\.Read\.All.*alice/);
    expect(finding!.location).toMatchObject({ path: 'deploy/azure.env', repository: 'payments-api' });
  });

  it('uses the app id found beside the secret to pick between apps sharing a hint, and never guesses', () => {
    const inv = inventory((s) => {
      s.applications[1]!.passwordCredentials![0]!.hint = 'Pq8'; // ci-deployer now shares payments-api's hint
    });
    const ambiguous = leaked('Pq87Q~');
    const pinned = leaked('Pq8xQ~', { clientId: E.ci.appId });
    inv.credentials.push(ambiguous, pinned);
    expect(correlateEntraLeaks(inv)).toBe(1);
    expect(ambiguous.attributes.entraAmbiguousMatches).toBe(2);
    expect(ambiguous.identityId).toBeUndefined();
    expect(pinned.attributes).toMatchObject({
      entraApplicationName: 'ci-deployer',
      entraMatchedBy: 'hint+appId',
      entraTier0: ['Microsoft Graph: Application.ReadWrite.All'],
    });
    expect(run('entra-leaked-secret-active', inv).map((d) => d.severity)).toEqual(['critical']);
  });
});

describe('GitHub Actions secrets holding an Entra client secret', () => {
  it('ties AZURE_CLIENT_SECRET in a repository the app federates with to the app, and the password rule says so', async () => {
    const { correlateActionsSecrets, isClientSecretName } = await import('../../src/entra/actions-secrets.js');
    const inv = inventory();
    const actionsSecret = (repository: string, name: string): Credential => ({
      id: `github:actions-secret:${repository}/${name}`,
      provider: 'github',
      kind: 'actions-secret',
      nativeId: `${repository}/${name}`,
      name: `${repository}/${name}`,
      tags: {},
      status: 'active',
      attributes: { org: 'contoso', level: 'repository', store: 'actions', repository, usageTracked: false, supportsExpiry: false },
      source: 'github:contoso',
    });
    const stored = actionsSecret('contoso/payments-api', 'AZURE_CLIENT_SECRET');
    const elsewhere = actionsSecret('contoso/website', 'AZURE_CLIENT_SECRET');
    const unrelated = actionsSecret('contoso/payments-api', 'NPM_TOKEN');
    inv.credentials.push(stored, elsewhere, unrelated);
    expect(correlateActionsSecrets(inv)).toBe(1);
    expect(stored.attributes).toMatchObject({
      entraApplicationName: 'ci-deployer',
      entraMatchedBy: 'github-repository-federation',
      entraOwners: ['bob.okafor@contoso.example'],
    });
    expect(elsewhere.attributes.entraApplicationName).toBeUndefined();
    expect(unrelated.attributes.entraApplicationName).toBeUndefined();
    const [finding] = run('entra-password-not-federated', inv);
    expect(finding!.message).toMatch(/GitHub Actions secret contoso\/payments-api:AZURE_CLIENT_SECRET/);
    expect(['ARM_CLIENT_SECRET', 'AZURE_CREDENTIALS', 'azure_client_secret'].every(isClientSecretName)).toBe(true);
    expect(isClientSecretName('AZURE_CLIENT_ID')).toBe(false);
  });
});
