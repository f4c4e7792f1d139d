/**
 * Emulated organisations: `acmeOrg()` exercises every inventory part and every GitHub rule;
 * `largeOrg(n)` is the benchmark's many-repository organisation.
 */
import { randomBytes } from 'node:crypto';
import * as f from './fixtures.js';
import { emptyOrg, type EmulatedOrg, type EmulatedRepo } from './server.js';

function crc32(text: string): number {
  let crc = ~0;
  for (const byte of Buffer.from(text)) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
function base62(n: number, width: number): string {
  let out = '';
  while (n > 0) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(width, '0');
}

/** A structurally valid (checksummed) but random classic GitHub token, built at test time, never committed. */
export function fakeGithubPat(): string {
  const body = Array.from(randomBytes(30), (b) => BASE62[b % 62]).join('');
  return `ghp_${body}${base62(crc32(body), 6)}`;
}

export function repo(org: string, name: string, opts: { archived?: boolean } = {}): EmulatedRepo {
  return { repo: f.minimalRepository(org, name, opts), deployKeys: [], secrets: [], environments: [], hooks: [], files: {} };
}

export interface AcmeOrg {
  org: EmulatedOrg;
  /** Plaintext secrets the emulator returns in alerts: a test asserts none reaches the output. */
  leakedValues: string[];
}

/** Dates are relative to the tests' reference time, 2026-11-29. */
export function acmeOrg(login = 'acme'): AcmeOrg {
  const org = emptyOrg(login);
  const api = repo(login, 'api');
  const web = repo(login, 'web');
  const infra = repo(login, 'infra');
  const legacy = repo(login, 'legacy', { archived: true });
  org.repos.push(api, web, infra, legacy);
  // Enough extra repositories to need several pages at per_page=100.
  for (let i = 0; i < 120; i++) org.repos.push(repo(login, `svc-${String(i).padStart(3, '0')}`));

  api.files['.github/CODEOWNERS'] = `# owners\n* @${login}/platform\n/.github/workflows/ @${login}/ci-admins\nsrc/config/ @carol\n`;
  web.files['CODEOWNERS'] = `* @${login}/frontend\n`;

  api.deployKeys.push(
    f.deployKey(`${login}/api`, { title: 'ci-push', readOnly: false, createdAt: '2024-01-10T00:00:00Z', lastUsed: '2026-11-20T00:00:00Z', addedBy: 'alice' }),
    f.deployKey(`${login}/api`, { title: 'old-mirror', readOnly: true, createdAt: '2026-03-01T00:00:00Z', lastUsed: '2026-04-01T00:00:00Z', addedBy: null }),
  );
  web.deployKeys.push(
    f.deployKey(`${login}/web`, { title: 'fresh', readOnly: true, createdAt: '2026-11-01T00:00:00Z', lastUsed: '2026-11-28T00:00:00Z', addedBy: 'bob' }),
  );
  infra.deployKeys.push(f.deployKey(`${login}/infra`, { title: 'orphan', readOnly: true, createdAt: '2026-10-01T00:00:00Z', lastUsed: null, addedBy: null }));
  legacy.deployKeys.push(f.deployKey(`${login}/legacy`, { title: 'archived-key', readOnly: false, createdAt: '2020-01-01T00:00:00Z' }));

  api.secrets.push(f.repoSecret('NPM_TOKEN', '2023-05-01T00:00:00Z', '2023-06-01T00:00:00Z'), f.repoSecret('SENTRY_DSN', '2026-09-01T00:00:00Z'));
  api.environments.push({
    env: f.environment(`${login}/api`, 'production'),
    secrets: [f.repoSecret('AWS_DEPLOY_KEY', '2022-01-01T00:00:00Z', '2025-01-01T00:00:00Z')],
  });
  api.environments.push({ env: f.environment(`${login}/api`, 'staging'), secrets: [] });
  api.hooks.push(f.hook({ full: `${login}/api` }, { url: 'https://ci.acme.example/hooks/github', events: ['push', 'pull_request'], secret: true }));
  web.hooks.push(
    f.hook({ full: `${login}/web` }, { url: 'https://hooks.slack.example/services/T000/B000/XXXXXXXX', events: ['push'], secret: false, insecureSsl: true }),
  );

  org.actionsSecrets.push(
    { secret: f.orgSecret(login, 'actions', 'SLACK_WEBHOOK', 'all', '2024-01-01T00:00:00Z', '2026-10-01T00:00:00Z'), repos: [] },
    {
      secret: f.orgSecret(login, 'actions', 'DOCKER_PASSWORD', 'selected', '2025-01-01T00:00:00Z', '2026-06-01T00:00:00Z'),
      repos: [`${login}/api`, `${login}/web`],
    },
  );
  org.dependabotSecrets.push({ secret: f.orgSecret(login, 'dependabot', 'NPM_READ_TOKEN', 'private', '2023-01-01T00:00:00Z'), repos: [] });
  org.codespacesSecrets.push({ secret: f.orgSecret(login, 'codespaces', 'DEV_DB_URL', 'selected', '2026-08-01T00:00:00Z'), repos: [`${login}/api`] });

  org.installations.push(
    f.installation(login, { slug: 'ci-superbot', selection: 'all', permissions: { contents: 'write', metadata: 'read', workflows: 'write' } }),
    f.installation(login, { slug: 'renovate', selection: 'selected', permissions: { contents: 'write', pull_requests: 'write' } }),
    f.installation(login, {
      slug: 'old-linter',
      selection: 'selected',
      permissions: { checks: 'write' },
      suspendedAt: '2025-02-01T00:00:00Z',
      suspendedBy: 'org-admin',
    }),
  );

  org.patGrants.push(
    {
      grant: f.patGrant(login, {
        owner: 'dave',
        name: 'release-script',
        selection: 'all',
        permissions: { repository: { contents: 'write', metadata: 'read' } },
        grantedAt: '2026-01-01T00:00:00Z',
        expiresAt: null,
        lastUsedAt: '2026-11-25T00:00:00Z',
      }),
      repos: [],
    },
    {
      grant: f.patGrant(login, {
        owner: 'erin',
        name: 'stale-reader',
        selection: 'subset',
        permissions: { repository: { metadata: 'read', contents: 'read' } },
        grantedAt: '2026-01-01T00:00:00Z',
        expiresAt: '2027-01-15T00:00:00Z',
        lastUsedAt: '2026-03-01T00:00:00Z',
      }),
      repos: [`${login}/api`],
    },
    {
      grant: f.patGrant(login, {
        owner: 'frank',
        name: 'admin-tool',
        selection: 'subset',
        permissions: { repository: { administration: 'write', secrets: 'read' } },
        grantedAt: '2026-11-01T00:00:00Z',
        expiresAt: '2026-12-31T00:00:00Z',
        lastUsedAt: '2026-11-28T00:00:00Z',
      }),
      repos: [`${login}/infra`],
    },
  );
  org.patRequests.push({
    request: f.patRequest(login, {
      owner: 'gina',
      name: 'wants-workflows',
      selection: 'subset',
      permissions: { repository: { workflows: 'write' } },
      grantedAt: '2026-11-27T00:00:00Z',
      expiresAt: '2027-02-01T00:00:00Z',
      lastUsedAt: null,
      reason: 'update CI',
    }),
    repos: [`${login}/api`],
  });

  org.hooks.push(f.hook({ org: login }, { url: 'https://audit.acme.example/github?key=abc', events: ['*'], secret: true }));
  org.workflowPermissions = { default_workflow_permissions: 'write', can_approve_pull_request_reviews: true };

  const leakedValues = [fakeGithubPat(), fakeGithubPat()];
  org.alerts.push(
    {
      alert: f.secretScanningAlert(api.repo, {
        number: 1,
        secretType: 'github_personal_access_token',
        displayName: 'GitHub Personal Access Token',
        secret: leakedValues[0]!,
        validity: 'active',
        bypassedBy: 'alice',
      }),
      locations: [f.commitLocation(`${login}/api`, 'src/config/settings.ts', 12)],
    },
    {
      alert: f.secretScanningAlert(web.repo, {
        number: 7,
        secretType: 'github_personal_access_token',
        displayName: 'GitHub Personal Access Token',
        secret: leakedValues[1]!,
        validity: 'inactive',
      }),
      locations: [f.commitLocation(`${login}/web`, 'README.md', 3)],
    },
  );
  // People: members (a bot account among them, which is no person) and an outside collaborator.
  org.members = [f.simpleUser('alice'), f.simpleUser('Carol'), f.simpleUser('dependabot-helper', 'Bot')];
  org.outsideCollaborators = [f.simpleUser('ext-dev'), f.simpleUser('alice')];
  return { org, leakedValues };
}

/** The benchmark organisation: `n` repositories; one in ten holds a deploy key, a secret, an environment and a hook. */
export function largeOrg(n: number, login = 'bigcorp'): EmulatedOrg {
  const org = emptyOrg(login);
  for (let i = 0; i < n; i++) {
    const r = repo(login, `repo-${String(i).padStart(5, '0')}`);
    if (i % 10 === 0) {
      r.deployKeys.push(
        f.deployKey(r.repo.full_name, {
          title: `key-${i}`,
          readOnly: i % 20 === 0,
          createdAt: '2024-01-01T00:00:00Z',
          lastUsed: '2026-01-01T00:00:00Z',
          addedBy: 'ops',
        }),
      );
      r.secrets.push(f.repoSecret('DEPLOY_TOKEN', '2024-01-01T00:00:00Z'));
      r.environments.push({ env: f.environment(r.repo.full_name, 'prod'), secrets: [f.repoSecret('PROD_KEY', '2025-01-01T00:00:00Z')] });
      r.hooks.push(f.hook({ full: r.repo.full_name }, { url: 'https://ci.bigcorp.example/hook', events: ['push'], secret: i % 30 !== 0 }));
      r.files['.github/CODEOWNERS'] = '* @bigcorp/owners\n';
    }
    org.repos.push(r);
  }
  org.actionsSecrets.push({ secret: f.orgSecret(login, 'actions', 'GLOBAL', 'all', '2024-01-01T00:00:00Z'), repos: [] });
  org.installations.push(f.installation(login, { slug: 'ci', selection: 'all', permissions: { contents: 'write' } }));
  return org;
}
