import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { githubSnapshotImporter } from '../../connectors/github/importer.js';
import { githubRules } from '../../rules/github/index.js';
import { githubPlugin } from '../../connectors/github/plugin.js';
import { defaultConfig } from '../../src/config.js';
import type { Inventory } from '../../src/model/index.js';
import type { FindingDraft, Rule } from '../../src/plugin.js';
import { testContext } from '../support/context.js';

const PATH = 'examples/estate/github/acme-org.json';
const NOW = new Date('2026-11-29T00:00:00Z');

async function sampleInventory(): Promise<Inventory> {
  const text = readFileSync(PATH, 'utf8');
  const result = await githubSnapshotImporter.read({ path: PATH, text, parsed: JSON.parse(text) }, testContext(`import:${PATH}`));
  return { identities: result.identities, credentials: result.credentials };
}

function run(rule: Rule, inventory: Inventory, options: Record<string, unknown> = {}): FindingDraft[] {
  const parsed = rule.meta.optionsSchema ? rule.meta.optionsSchema.parse(options) : options;
  return rule.check(inventory, parsed, { now: NOW, config: defaultConfig() });
}

const byId = (id: string) => githubRules.find((r) => r.meta.id === id)!;

describe('GitHub rules on the sample organisation', () => {
  it('every rule fires at least once on the sample estate (the sample covers every rule)', async () => {
    const inventory = await sampleInventory();
    for (const rule of githubRules) expect(run(rule, inventory).length, rule.meta.id).toBeGreaterThan(0);
  });

  it('flags exactly the expected resources', async () => {
    const inventory = await sampleInventory();
    const names = (id: string) => run(byId(id), inventory).map((d) => `${d.resource.name}${d.key ? ` [${d.key}]` : ''}${d.severity ? ` (${d.severity})` : ''}`).sort();
    expect(names('github-deploy-key-write-access')).toEqual(['acme-corp/api ci-push']);
    expect(names('github-deploy-key-unused')).toEqual(['acme-corp/api old-mirror']);
    expect(names('github-deploy-key-not-rotated')).toEqual(['acme-corp/api ci-push']);
    expect(names('github-actions-secret-not-rotated')).toEqual(['acme-corp NPM_READ_TOKEN', 'acme-corp/api (production) AWS_DEPLOY_KEY', 'acme-corp/api NPM_TOKEN']);
    expect(names('github-org-secret-visible-to-all')).toEqual(['acme-corp NPM_READ_TOKEN', 'acme-corp SLACK_WEBHOOK']);
    expect(names('github-fine-grained-pat-long-lived')).toEqual(['release-script (dave) [no-expiry]']);
    expect(names('github-fine-grained-pat-unused')).toEqual(['stale-reader (erin)']);
    expect(names('github-fine-grained-pat-excess-privilege')).toEqual(['admin-tool (frank)', 'release-script (dave)', 'wants-workflows (gina) (low)']);
    expect(names('github-app-installation-excess-privilege')).toEqual([expect.stringMatching(/^ci-superbot/)]);
    expect(names('github-app-installation-suspended')).toEqual([expect.stringMatching(/^old-linter/)]);
    expect(names('github-webhook-insecure')).toEqual(['acme-corp/web webhook → hooks.slack.example [insecure-ssl] (high)', 'acme-corp/web webhook → hooks.slack.example [no-secret]']);
    expect(names('github-workflow-token-excess-privilege')).toEqual(['acme-corp default GITHUB_TOKEN [can-approve-prs]', 'acme-corp default GITHUB_TOKEN [default-write]']);
    expect(names('github-secret-scanning-alert')).toEqual(['acme-corp/api#1 GitHub Personal Access Token (critical)', 'acme-corp/web#7 GitHub Personal Access Token']);
  });

  it('thresholds are options', async () => {
    const inventory = await sampleInventory();
    expect(run(byId('github-deploy-key-unused'), inventory, { maxIdleDays: 300 })).toHaveLength(0);
    expect(run(byId('github-actions-secret-not-rotated'), inventory, { maxAgeDays: 100 }).length).toBe(5);
    expect(run(byId('github-org-secret-visible-to-all'), inventory, { includePrivateVisibility: false }).map((d) => d.resource.name)).toEqual(['acme-corp SLACK_WEBHOOK']);
    expect(run(byId('github-app-installation-excess-privilege'), inventory, { allowedApps: ['ci-superbot'] })).toHaveLength(0);
    expect(() => byId('github-deploy-key-unused').meta.optionsSchema!.parse({ maxIdleDays: -1 })).toThrow();
  });

  it('a far-away expiry is long-lived; one within the limit is not', async () => {
    const inventory = await sampleInventory();
    const stale = inventory.credentials.find((c) => c.attributes.tokenName === 'stale-reader')!; // expires 2027-01-15
    expect(run(byId('github-fine-grained-pat-long-lived'), { identities: [], credentials: [stale] })).toHaveLength(0);
    const far = { ...stale, expiresAt: '2028-06-01T00:00:00.000Z' };
    const drafts = run(byId('github-fine-grained-pat-long-lived'), { identities: [], credentials: [far] });
    expect(drafts).toMatchObject([{ key: 'far-expiry' }]);
  });

  it('a secret-scanning alert publicly leaked is critical even when its validity is unknown', async () => {
    const inventory = await sampleInventory();
    const alert = inventory.credentials.find((c) => c.nativeId === 'acme-corp/web#7')!;
    const leaked = { ...alert, attributes: { ...alert.attributes, validity: 'unknown', publiclyLeaked: true } };
    expect(run(byId('github-secret-scanning-alert'), { identities: [], credentials: [leaked] })[0]!.severity).toBe('critical');
    expect(run(byId('github-secret-scanning-alert'), { identities: [], credentials: [alert] })[0]!.location).toMatchObject({ path: 'README.md', line: 3, repository: 'acme-corp/web' });
  });

  it('rule metadata: ids prefixed, OWASP NHI ids valid, specialisations point at neutral rules, wired into the plugin', () => {
    const neutral = ['credential-not-rotated', 'credential-unused', 'credential-long-lived', 'missing-owner'];
    for (const rule of githubRules) {
      expect(rule.meta.id).toMatch(/^github-[a-z-]+$/);
      expect(rule.meta.owasp.length).toBeGreaterThan(0);
      for (const id of rule.meta.owasp) expect(id).toMatch(/^NHI(10|[1-9])$/);
      if (rule.meta.specialises) expect(neutral).toContain(rule.meta.specialises.rule);
      expect(rule.meta.optionsSchema!.parse({})).toBeTypeOf('object');
    }
    expect(byId('github-org-secret-visible-to-all').meta.owasp).toContain('NHI8');
    expect(byId('github-webhook-insecure').meta.owasp).toContain('NHI4');
    expect(byId('github-app-installation-excess-privilege').meta.owasp).toEqual(['NHI3', 'NHI5']);
    expect(githubPlugin.rules).toBe(githubRules);
    expect(githubPlugin.connectors![0]!.scheme).toBe('github');
  });

  it('owners come from added_by, CODEOWNERS (file and repository) and the token owner', async () => {
    const inventory = await sampleInventory();
    const find = (name: string) => [...inventory.credentials, ...inventory.identities].find((x) => x.name === name)!;
    expect(find('acme-corp/api ci-push').owner?.source).toBe('added_by');
    expect(find('acme-corp/api old-mirror').owner).toMatchObject({ id: 'acme-corp/platform', source: 'codeowners' });
    expect(find('acme-corp/web webhook → hooks.slack.example').owner).toMatchObject({ id: 'acme-corp/frontend' });
    expect(find('release-script (dave)').owner).toMatchObject({ id: 'dave', source: 'token-owner' });
    expect(inventory.credentials.find((c) => c.nativeId === 'acme-corp/api#1')!.owner).toMatchObject({ id: 'carol' });
  });
});
