import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { githubSnapshotImporter } from '../../connectors/github/importer.js';
import { githubRules } from '../../rules/github/index.js';
import { githubAnalysis, githubPlugin } from '../../connectors/github/plugin.js';
import type { Inventory } from '../../src/model/index.js';
import { RULE_TEST_NOW, runRule, testRule } from '../../testkit/rule-tester.js';
import { daysBefore } from '../../testkit/inventory/core.js';
import {
  appInstallation,
  deployKey,
  finegrainedPat,
  githubSecret,
  orgSecret,
  secretScanningAlert,
  webhook,
  workflowToken,
} from '../../testkit/inventory/github.js';
import { testContext } from '../support/context.js';

const ago = (days: number) => daysBefore(RULE_TEST_NOW, days);
const rule = (id: string) => githubRules.find((r) => r.meta.id === id)!;

testRule(rule('github-deploy-key-write-access'), {
  valid: [
    { name: 'read-only key', inventory: [deployKey('acme/api reader')] },
    { name: 'write key, disabled', inventory: [deployKey('acme/api old-pusher', { status: 'inactive', attributes: { readOnly: false } })] },
  ],
  invalid: [
    {
      name: 'active key that can push',
      inventory: [deployKey('acme/api ci-push', { attributes: { readOnly: false, addedBy: 'alice' } })],
      findings: [{ resource: 'acme/api ci-push', severity: 'high', message: 'can push to acme/api', evidence: { readOnly: false, addedBy: 'alice' } }],
    },
  ],
});

testRule(rule('github-deploy-key-unused'), {
  valid: [
    { name: 'used 10 days ago', inventory: [deployKey('k', { createdAt: ago(400), lastUsedAt: ago(10) })] },
    { name: 'server does not track use', inventory: [deployKey('k', { createdAt: ago(400), attributes: { usageTracked: false } })] },
    {
      name: 'idle past the default but within a raised limit',
      options: { maxIdleDays: 300 },
      inventory: [deployKey('k', { createdAt: ago(400), lastUsedAt: ago(200) })],
    },
    { name: 'disabled', inventory: [deployKey('k', { status: 'inactive', createdAt: ago(400) })] },
  ],
  invalid: [
    {
      name: 'idle 200 days',
      inventory: [deployKey('acme/api old-mirror', { createdAt: ago(400), lastUsedAt: ago(200) })],
      findings: [{ resource: 'acme/api old-mirror', message: 'last used 200 days ago' }],
    },
    {
      name: 'never used since added',
      inventory: [deployKey('acme/api unused', { createdAt: ago(120) })],
      findings: [{ resource: 'acme/api unused', message: 'never been used since it was added 120 days ago' }],
    },
  ],
});

testRule(rule('github-deploy-key-not-rotated'), {
  valid: [{ name: 'added 300 days ago', inventory: [deployKey('k', { createdAt: ago(300) })] }],
  invalid: [
    {
      name: 'added 400 days ago',
      inventory: [deployKey('acme/api ci-push', { createdAt: ago(400) })],
      findings: [{ resource: 'acme/api ci-push', message: 'added 400 days ago', evidence: { ageDays: 400, maxAgeDays: 365 } }],
    },
  ],
});

testRule(rule('github-actions-secret-not-rotated'), {
  valid: [
    { name: 'set again 100 days ago', inventory: [githubSecret('acme/api NPM_TOKEN', { createdAt: ago(900), lastRotatedAt: ago(100) })] },
    { name: 'old but no longer active', inventory: [githubSecret('acme/api NPM_TOKEN', { status: 'inactive', createdAt: ago(900) })] },
  ],
  invalid: [
    {
      name: 'repository, environment and organisation secrets of every store',
      inventory: [
        githubSecret('acme/api NPM_TOKEN', { createdAt: ago(500), lastRotatedAt: ago(400) }),
        githubSecret('acme/api (production) AWS_DEPLOY_KEY', { createdAt: ago(700), attributes: { level: 'environment', environment: 'production' } }),
        orgSecret('acme NPM_READ_TOKEN', 'all', { createdAt: ago(380) }),
        githubSecret('acme DEPENDABOT_NPM', { kind: 'dependabot-secret', createdAt: ago(370), attributes: { level: 'organization', store: 'dependabot' } }),
        githubSecret('acme/api FRESH', { createdAt: ago(200) }),
      ],
      findings: [
        { resource: 'acme/api NPM_TOKEN', message: 'repository actions secret "acme/api NPM_TOKEN" was last set 400 days ago', evidence: { ageDays: 400 } },
        { resource: 'acme/api (production) AWS_DEPLOY_KEY', message: 'environment actions secret' },
        { resource: 'acme NPM_READ_TOKEN', message: 'organization actions secret' },
        { resource: 'acme DEPENDABOT_NPM', message: 'organization dependabot secret' },
      ],
    },
    {
      name: 'the age limit is an option',
      options: { maxAgeDays: 100 },
      inventory: [githubSecret('acme/api FRESH', { createdAt: ago(200) })],
      findings: [{ resource: 'acme/api FRESH', evidence: { maxAgeDays: 100 } }],
    },
  ],
});

testRule(rule('github-org-secret-visible-to-all'), {
  valid: [
    { name: 'selected repositories only', inventory: [orgSecret('acme DEPLOY', 'selected')] },
    { name: 'a repository secret', inventory: [githubSecret('acme/api NPM_TOKEN')] },
    {
      name: 'private visibility when told to ignore it',
      options: { includePrivateVisibility: false },
      inventory: [orgSecret('acme NPM_READ_TOKEN', 'private')],
    },
  ],
  invalid: [
    {
      name: 'visible to all, and to all private repositories',
      inventory: [orgSecret('acme SLACK_WEBHOOK', 'all'), orgSecret('acme NPM_READ_TOKEN', 'private')],
      findings: [
        { resource: 'acme SLACK_WEBHOOK', message: 'visible to every repository of acme' },
        { resource: 'acme NPM_READ_TOKEN', message: 'visible to every private and internal repository' },
      ],
    },
  ],
});

testRule(rule('github-fine-grained-pat-long-lived'), {
  valid: [
    { name: 'expires within the limit', inventory: [finegrainedPat('stale-reader (erin)', { expiresAt: '2027-01-15T00:00:00.000Z' })] },
    { name: 'no expiry but already expired status', inventory: [finegrainedPat('old (x)', { status: 'expired' })] },
  ],
  invalid: [
    {
      name: 'never expires',
      inventory: [finegrainedPat('release-script (dave)')],
      findings: [{ resource: 'release-script (dave)', key: 'no-expiry', message: 'never expires' }],
    },
    {
      name: 'expiry far away',
      inventory: [finegrainedPat('far (x)', { expiresAt: '2028-06-01T00:00:00.000Z' })],
      findings: [{ resource: 'far (x)', key: 'far-expiry', message: 'beyond the 366-day limit' }],
    },
  ],
});

testRule(rule('github-fine-grained-pat-unused'), {
  valid: [
    { name: 'used 4 days ago', inventory: [finegrainedPat('release-script (dave)', { lastUsedAt: ago(4), attributes: { grantedAt: ago(300) } })] },
    { name: 'never used, granted 28 days ago', inventory: [finegrainedPat('admin-tool (frank)', { attributes: { grantedAt: ago(28) } })] },
  ],
  invalid: [
    {
      name: 'last used 273 days ago',
      inventory: [finegrainedPat('stale-reader (erin)', { lastUsedAt: ago(273), attributes: { grantedAt: ago(332) } })],
      findings: [{ resource: 'stale-reader (erin)', message: 'last used 273 days ago' }],
    },
    {
      name: 'never used since granted',
      inventory: [finegrainedPat('idle (x)', { attributes: { grantedAt: ago(120) } })],
      findings: [{ resource: 'idle (x)', message: 'never been used since access was granted 120 days ago' }],
    },
  ],
});

testRule(rule('github-fine-grained-pat-excess-privilege'), {
  valid: [
    {
      name: 'read-only on a subset',
      inventory: [finegrainedPat('stale-reader (erin)', { attributes: { permissions: { repository: { metadata: 'read', contents: 'read' } } } })],
    },
    {
      name: 'write everywhere, when that is not flagged',
      options: { flagAllRepositoriesWrite: false },
      inventory: [finegrainedPat('release-script (dave)', { attributes: { repositorySelection: 'all', permissions: { repository: { contents: 'write' } } } })],
    },
    {
      name: 'pending request, when requests are not judged',
      options: { includeRequests: false },
      inventory: [finegrainedPat('wants-workflows (gina)', { pending: true, attributes: { permissions: { repository: { workflows: 'write' } } } })],
    },
  ],
  invalid: [
    {
      name: 'sensitive write, write to every repository, and a pending request (low)',
      inventory: [
        finegrainedPat('admin-tool (frank)', { attributes: { permissions: { repository: { administration: 'write', secrets: 'read' } } } }),
        finegrainedPat('release-script (dave)', {
          attributes: { repositorySelection: 'all', permissions: { repository: { contents: 'write', metadata: 'read' } } },
        }),
        finegrainedPat('wants-workflows (gina)', { pending: true, attributes: { permissions: { repository: { workflows: 'write' } } } }),
      ],
      findings: [
        {
          resource: 'admin-tool (frank)',
          severity: 'high',
          message: 'has write/admin on administration:write',
          evidence: { sensitivePermissions: ['administration:write'] },
        },
        { resource: 'release-script (dave)', severity: 'high', message: 'write access (contents:write) to all repositories' },
        {
          resource: 'wants-workflows (gina)',
          severity: 'low',
          message: 'Pending request for fine-grained token "wants-workflows (gina)" asks for',
          evidence: { pending: true },
        },
      ],
    },
  ],
});

testRule(rule('github-app-installation-excess-privilege'), {
  valid: [
    { name: 'selected repositories', inventory: [appInstallation('renovate', { attributes: { permissions: { contents: 'write', pull_requests: 'write' } } })] },
    {
      name: 'all repositories, read only',
      inventory: [appInstallation('reader', { attributes: { repositorySelection: 'all', permissions: { contents: 'read' } } })],
    },
    {
      name: 'an allowed app',
      options: { allowedApps: ['ci-superbot'] },
      inventory: [appInstallation('ci-superbot', { attributes: { repositorySelection: 'all', permissions: { contents: 'write' } } })],
    },
  ],
  invalid: [
    {
      name: 'all repositories with sensitive write',
      inventory: [
        appInstallation('ci-superbot', {
          attributes: { repositorySelection: 'all', permissions: { contents: 'write', metadata: 'read', workflows: 'write' } },
        }),
      ],
      findings: [
        { resource: 'ci-superbot (installation 1)', severity: 'high', message: 'installed on all repositories of acme with contents:write, workflows:write' },
      ],
    },
  ],
});

testRule(rule('github-app-installation-suspended'), {
  valid: [{ name: 'active installation', inventory: [appInstallation('renovate')] }],
  invalid: [
    {
      name: 'suspended but installed',
      inventory: [
        appInstallation('old-linter', {
          status: 'suspended',
          attributes: { suspendedAt: '2025-02-01T00:00:00.000Z', suspendedBy: 'carol', permissions: { checks: 'write' } },
        }),
      ],
      findings: [
        {
          resource: 'old-linter (installation 1)',
          severity: 'low',
          message: 'suspended since 2025-02-01 (by carol) but is still installed with 1 permissions',
        },
      ],
    },
  ],
});

testRule(rule('github-webhook-insecure'), {
  valid: [
    { name: 'secret set, TLS verified', inventory: [webhook('acme/web webhook → hooks.example')] },
    { name: 'inactive insecure hook', inventory: [webhook('acme/web old hook', { attributes: { active: false, secretSet: false, insecureSsl: true } })] },
  ],
  invalid: [
    {
      name: 'no secret and TLS verification off',
      inventory: [webhook('acme/web webhook → hooks.slack.example', { attributes: { secretSet: false, insecureSsl: true } })],
      findings: [
        { resource: 'acme/web webhook → hooks.slack.example', key: 'insecure-ssl', severity: 'high' },
        { resource: 'acme/web webhook → hooks.slack.example', key: 'no-secret', severity: 'medium', message: 'cannot be authenticated' },
      ],
    },
    {
      name: 'inactive hooks when asked',
      options: { includeInactive: true },
      inventory: [webhook('old hook', { attributes: { active: false, secretSet: false } })],
      findings: [{ resource: 'old hook', key: 'no-secret' }],
    },
  ],
});

testRule(rule('github-workflow-token-excess-privilege'), {
  valid: [
    { name: 'read-only default', inventory: [workflowToken()] },
    {
      name: 'PR approval, when not flagged',
      options: { flagPullRequestApproval: false },
      inventory: [workflowToken({ attributes: { canApprovePullRequestReviews: true } })],
    },
  ],
  invalid: [
    {
      name: 'read-write default that may approve pull requests',
      inventory: [workflowToken({ attributes: { defaultWorkflowPermissions: 'write', canApprovePullRequestReviews: true } })],
      findings: [
        { resource: 'acme default GITHUB_TOKEN', key: 'default-write', message: 'read-write GITHUB_TOKEN' },
        { resource: 'acme default GITHUB_TOKEN', key: 'can-approve-prs' },
      ],
    },
    {
      name: 'a repository whose own setting is write (its organisation defaults to read)',
      inventory: [
        workflowToken(),
        workflowToken({
          name: 'acme/legacy default GITHUB_TOKEN',
          nativeId: 'acme/legacy',
          attributes: { repository: 'acme/legacy', defaultWorkflowPermissions: 'write' },
        }),
      ],
      findings: [{ resource: 'acme/legacy default GITHUB_TOKEN', key: 'default-write', message: 'repository acme/legacy get a read-write GITHUB_TOKEN' }],
    },
  ],
});

testRule(rule('github-secret-scanning-alert'), {
  valid: [{ name: 'no alert', inventory: [deployKey('acme/api reader')] }],
  invalid: [
    {
      name: 'critical when still valid or publicly leaked, high otherwise; located at its first place',
      inventory: [
        secretScanningAlert('acme/api#1 GitHub Personal Access Token', { status: 'active', attributes: { repository: 'acme/api', validity: 'active' } }),
        secretScanningAlert('acme/web#7 GitHub Personal Access Token', {
          attributes: { number: 7 },
          locations: [{ source: 'github:acme', repository: 'acme/web', path: 'README.md', line: 3, commit: 'c0ffee' }],
        }),
        secretScanningAlert('acme/web#8 GitHub Personal Access Token', { attributes: { number: 8, validity: 'unknown', publiclyLeaked: true } }),
      ],
      findings: [
        { resource: 'acme/api#1 GitHub Personal Access Token', severity: 'critical', message: 'still valid' },
        {
          resource: 'acme/web#7 GitHub Personal Access Token',
          severity: 'high',
          message: 'Open secret-scanning alert #7 in acme/web',
          location: { path: 'README.md', line: 3, repository: 'acme/web' },
        },
        { resource: 'acme/web#8 GitHub Personal Access Token', severity: 'critical', message: 'also leaked publicly' },
      ],
    },
  ],
});

describe('GitHub rules: metadata and the sample organisation', () => {
  const PATH = 'examples/estate/github/acme-org.json';
  async function sampleInventory(): Promise<Inventory> {
    const text = readFileSync(PATH, 'utf8');
    const result = await githubSnapshotImporter.read({ path: PATH, text, parsed: JSON.parse(text) }, testContext(`import:${PATH}`));
    return { identities: result.identities, credentials: result.credentials };
  }

  it('every rule fires at least once on the sample estate (the sample covers every rule)', async () => {
    const inventory = await sampleInventory();
    for (const r of githubRules) expect((await runRule(r, { inventory })).length, r.meta.id).toBeGreaterThan(0);
  });

  it('rule metadata: ids prefixed, OWASP NHI ids valid, specialisations point at neutral rules, wired into the plugin', async () => {
    const neutral = ['credential-not-rotated', 'credential-unused', 'credential-long-lived', 'missing-owner'];
    for (const r of githubRules) {
      expect(r.meta.id).toMatch(/^github-[a-z-]+$/);
      expect(r.meta.owasp.length).toBeGreaterThan(0);
      for (const id of r.meta.owasp) expect(id).toMatch(/^NHI(10|[1-9])$/);
      if (r.meta.specialises) expect(neutral).toContain(r.meta.specialises.rule);
      expect(r.meta.optionsSchema!.parse({})).toBeTypeOf('object');
    }
    expect(rule('github-org-secret-visible-to-all').meta.owasp).toContain('NHI8');
    expect(rule('github-webhook-insecure').meta.owasp).toContain('NHI4');
    expect(rule('github-app-installation-excess-privilege').meta.owasp).toEqual(['NHI3', 'NHI5']);
    expect(() => rule('github-deploy-key-unused').meta.optionsSchema!.parse({ maxIdleDays: -1 })).toThrow();
    expect((await githubAnalysis.load()).rules).toBe(githubRules);
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
