/**
 * The Google Cloud analysis and rules on the fixture estate's snapshot, evaluated by the real rule
 * engine with the neutral core rules: what each rule catches, the chains it reports, and what it must
 * not flag (system-managed keys, disabled accounts, usage that was not read).
 */
import { describe, expect, it } from 'vitest';
import { gcpAnalysis, gcpPlugin } from '../../connectors/gcp/plugin.js';
import { normaliseGcpSnapshot } from '../../connectors/gcp/normalise.js';
import type { GcpSnapshot } from '../../connectors/gcp/snapshot.js';
import { corePlugin } from '../../src/core-plugin.js';
import { defaultConfig } from '../../src/config.js';
import { ownerEnricher } from '../../src/enrichers/owners.js';
import { evaluateRules } from '../../src/evaluate.js';
import { gcpEnrichers } from '../../src/gcp-iam/index.js';
import { silentLogger } from '../../src/log.js';
import type { Finding, Inventory } from '../../src/model/index.js';
import { gcpServiceAccountAttributes } from '../../src/model/gcp.js';
import { Registry } from '../../src/registry.js';
import { gcpRules } from '../../rules/gcp/index.js';
import { bind, estateAsSnapshot, fixtureGcpEstate, project, sa, serviceAccount } from '../../testkit/gcp/estate.js';

/** The gcp plugin's enrichers and rules: a scan loads them when the inventory holds gcp items. */
const gcpAnalysisPlugin = await gcpAnalysis.load();

const NOW = new Date('2026-12-06T00:00:00Z');

function inventoryOf(snapshot: GcpSnapshot): Inventory {
  const { identities, credentials } = normaliseGcpSnapshot(snapshot, { now: NOW, source: 'gcp' });
  const inventory = { identities, credentials };
  const ctx = { config: defaultConfig(), now: NOW, log: silentLogger };
  ownerEnricher.enrich(inventory, ctx);
  for (const e of gcpEnrichers) e.enrich(inventory, ctx);
  return inventory;
}

function scan(snapshot = estateAsSnapshot(fixtureGcpEstate())): { findings: Finding[]; inventory: Inventory } {
  const registry = new Registry().register(corePlugin).register(gcpPlugin).register(gcpAnalysisPlugin);
  const inventory = inventoryOf(snapshot);
  return { inventory, findings: evaluateRules(registry, inventory, defaultConfig(), NOW, silentLogger) };
}

const named = (findings: Finding[], ruleId: string) =>
  findings
    .filter((f) => f.ruleId === ruleId)
    .map((f) => f.resource.name)
    .sort();

describe('gcp rules', () => {
  const { findings, inventory } = scan();

  it('every rule has a unique id, a category, an OWASP mapping and options defaults', () => {
    const ids = gcpRules.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of gcpRules) {
      expect(rule.meta.owasp.length).toBeGreaterThan(0);
      expect(() => rule.meta.optionsSchema?.parse({})).not.toThrow();
    }
  });

  it('keys: user-managed (CIS 1.4), older than 90 days (1.7), never expiring, unused — never the system-managed one', () => {
    // legacy-batch's key is enabled but its account is disabled: judged once, by gcp-disabled-account-enabled-keys.
    expect(named(findings, 'gcp-user-managed-key')).toEqual([expect.stringMatching(/^deployer@/), expect.stringMatching(/^reporting@/)]);
    expect(inventory.credentials.filter((c) => c.attributes.keyType === 'SYSTEM_MANAGED')).toHaveLength(1);
    expect(named(findings, 'gcp-key-not-rotated')).toEqual([expect.stringMatching(/^deployer@/)]);
    expect(named(findings, 'gcp-key-never-expires')).toEqual([expect.stringMatching(/^deployer@/)]);
    // reporting's key last authenticated 65 days ago: under the 90-day limit.
    expect(named(findings, 'gcp-key-unused')).toEqual([]);
    // The neutral rules are taken over for GCP keys: one problem, one finding.
    expect(findings.filter((f) => f.resource.kind === 'gcp-service-account-key' && f.ruleId.startsWith('credential-'))).toEqual([]);
  });

  it('accounts: admin roles (CIS 1.5), default compute with Editor, unused, disabled with enabled keys', () => {
    expect(named(findings, 'gcp-service-account-admin')).toEqual([
      '412345678901-compute@developer.gserviceaccount.com',
      'deployer@prod-payments.iam.gserviceaccount.com',
      'sandbox-bot@dev-sandbox.iam.gserviceaccount.com',
    ]);
    // deployer has an enabled user-managed key: critical.
    expect(findings.find((f) => f.ruleId === 'gcp-service-account-admin' && f.resource.name.startsWith('deployer@'))?.severity).toBe('critical');
    expect(named(findings, 'gcp-default-service-account-editor')).toEqual(['412345678901-compute@developer.gserviceaccount.com']);
    // reporting last authenticated 158 days ago; legacy-batch is disabled (not judged); the default account is not judged as unused.
    // sandbox-bot's project reports activity but none for it: "no authentication recorded".
    expect(named(findings, 'gcp-service-account-unused')).toEqual([
      'reporting@prod-payments.iam.gserviceaccount.com',
      'sandbox-bot@dev-sandbox.iam.gserviceaccount.com',
    ]);
    expect(named(findings, 'gcp-disabled-account-enabled-keys')).toEqual(['legacy-batch@prod-payments.iam.gserviceaccount.com']);
  });

  it('impersonation: project/folder-level Token Creator and SA User (CIS 1.6), the chain to admin, key admin on an admin account', () => {
    const projectLevel = findings.filter((f) => f.ruleId === 'gcp-project-level-impersonation');
    expect(projectLevel.map((f) => f.evidence?.member).sort()).toEqual(['group:release@acme.example', 'group:sre@acme.example']);
    const chain = findings.find((f) => f.ruleId === 'gcp-impersonation-escalation')!;
    expect(chain.resource.name).toBe('ci-runner@prod-payments.iam.gserviceaccount.com');
    expect(chain.message).toContain('ci-runner@prod-payments.iam.gserviceaccount.com → deployer@prod-payments.iam.gserviceaccount.com (serviceAccountUser)');
    expect(chain.evidence?.reaches).toEqual(['roles/editor on projects/prod-payments']);
    expect(findings.filter((f) => f.ruleId === 'gcp-key-admin-on-privileged-account').map((f) => f.evidence?.member)).toEqual(['user:bob.okafor@acme.example']);
  });

  it("the IAM recommender's unused roles: removal of an unused Editor is high, a replacement names the smaller role", () => {
    const unneeded = findings.filter((f) => f.ruleId === 'gcp-unneeded-role');
    expect(unneeded.map((f) => [f.resource.name, f.severity, f.evidence?.replacements])).toEqual([
      ['412345678901-compute@developer.gserviceaccount.com', 'high', []],
      ['deployer@prod-payments.iam.gserviceaccount.com', 'high', ['roles/run.developer']],
    ]);
  });

  it('workload identity: a GitHub Actions provider with no condition, bound to an account, is critical', () => {
    const f = findings.find((x) => x.ruleId === 'gcp-wif-provider-no-condition')!;
    expect(f.severity).toBe('critical');
    expect(f.evidence?.canImpersonate).toEqual(['ci-runner@prod-payments.iam.gserviceaccount.com']);
  });

  it('a key Google found exposed and disabled is reported low; ownership comes from the description convention', () => {
    expect(findings.filter((f) => f.ruleId === 'gcp-key-exposed').map((f) => f.severity)).toEqual(['low']);
    const owners = named(findings, 'gcp-service-account-missing-owner');
    expect(owners).not.toContain('deployer@prod-payments.iam.gserviceaccount.com');
    expect(owners).toContain('reporting@prod-payments.iam.gserviceaccount.com');
    expect(findings.some((f) => f.ruleId === 'missing-owner' && f.resource.provider === 'gcp')).toBe(false);
  });

  it('multi-hop chains are the shortest, bounded at MAX_CHAIN_HOPS, and the search over 5,000 accounts stays linear', () => {
    const p = project('big-estate', '400000000000');
    const admin = serviceAccount(p, 'admin');
    bind(p.policy, 'roles/owner', sa(admin.account.email));
    const accounts = Array.from({ length: 5000 }, (_, i) => serviceAccount(p, `worker-${i}`));
    // worker-i can act as worker-(i+1); worker-4999 as admin: a 5,000-rung ladder.
    accounts.forEach((a, i) => bind((accounts[i + 1] ?? admin).policy, 'roles/iam.serviceAccountTokenCreator', sa(a.account.email)));
    // A shortcut: worker-5 can act as admin directly, so worker-0 is 6 hops away.
    bind(admin.policy, 'roles/iam.serviceAccountUser', sa(accounts[5]!.account.email));
    const big = scan({
      nhiscanSnapshot: 'gcp',
      version: 1,
      projects: [
        {
          project: p.project,
          policy: p.policy,
          serviceAccounts: p.serviceAccounts.map((s) => ({ account: s.account, keys: [], policy: s.policy })),
          accountActivities: [],
          keyActivities: [],
        },
      ],
    });
    const chainOf = (email: string) => gcpServiceAccountAttributes(big.inventory.identities.find((i) => i.name === email)!).effective?.escalation?.hops;
    expect(chainOf(accounts[4998]!.account.email)).toHaveLength(2);
    expect(chainOf(accounts[0]!.account.email)).toHaveLength(6);
    expect(chainOf(accounts[5]!.account.email)).toEqual([{ from: accounts[5]!.account.email, to: admin.account.email, role: 'roles/iam.serviceAccountUser' }]);
    // Past MAX_CHAIN_HOPS (10) the ladder is not followed: workers 0-5 and the 10 rungs nearest admin.
    expect(chainOf(accounts[4989]!.account.email)).toBeUndefined();
    expect(chainOf(accounts[4990]!.account.email)).toHaveLength(10);
    expect(big.findings.filter((f) => f.ruleId === 'gcp-impersonation-escalation')).toHaveLength(16);
  });
});
