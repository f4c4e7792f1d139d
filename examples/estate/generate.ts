/**
 * Generates the sample estate's git repository, `payments-api`, with a small realistic history by two
 * people: the `ci-deployer` AWS access key committed (and still at HEAD), a GitHub token committed and
 * removed the next day (a leak that survives only in history), the `payments-api` Entra application's
 * client secret with its tenant and client ids, and placeholders that must not be
 * flagged (AWS documentation keys, `<your-token-here>`, `${VAR}` references).
 *
 *   npx tsx examples/estate/generate.ts        → examples/estate/.generated/payments-api
 *
 * Deterministic (fixed authors, dates and seeds: the same commit ids every time) and idempotent (the
 * repository is rebuilt from scratch). The tokens are generated here at run time with valid structure
 * (checksums, key ids encoding account 123456789012); none is written in this file or committed to
 * nhiscan's own repository, and nothing secret is printed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESTATE_AWS_ACCOUNT, ESTATE_AWS_KEY_ID } from './aws/generate.js';
import { estateGcpKeyFile } from './gcp/generate.js';
import { fakeAwsSecret, fakeEntraClientSecret, fakeGithubToken } from '../../testkit/seeded-tokens.js';
import { E, ENTRA_TENANT, PAYMENTS_SECRET_HINT } from '../../testkit/entra/fixture-tenant.js';

// The same place whether this runs from the source (tsx) or from the build (dist/examples/estate).
const HERE = dirname(fileURLToPath(import.meta.url));
const ESTATE_DIR = HERE.includes(`${sep}dist${sep}`) ? join(HERE, '..', '..', '..', 'examples', 'estate') : HERE;
export const GENERATED_DIR = join(ESTATE_DIR, '.generated');
export const PAYMENTS_REPO = join(GENERATED_DIR, 'payments-api');

/** The `ci-deployer` access key id in account 123456789012: the same in the AWS export and in the repo. */
export function estateAwsKeyId(): string {
  return ESTATE_AWS_KEY_ID;
}

export const ESTATE_AUTHORS = {
  alice: { name: 'Alice Martin', email: 'alice.martin@acme.example' },
  bob: { name: 'Bob Okafor', email: 'bob.okafor@acme.example' },
};

/** The leaked values, derived from fixed seeds. Callers hash them; never print them. */
export function estateSecrets() {
  return {
    awsSecretAccessKey: fakeAwsSecret('estate:ci-deployer'),
    githubToken: fakeGithubToken('estate:release-bot'),
    // payments-api's Entra client secret: its first three characters are the hint Graph shows for it.
    entraClientSecret: fakeEntraClientSecret('estate:payments-api', PAYMENTS_SECRET_HINT),
  };
}

type Author = (typeof ESTATE_AUTHORS)[keyof typeof ESTATE_AUTHORS];

export function generatePaymentsRepo(target = PAYMENTS_REPO): { path: string; commits: string[] } {
  // Built in a scratch folder and moved into place in one rename: test files running in parallel each call
  // this, and none may see the repository half-built or removed. The history is deterministic, so a
  // repository already there with the same HEAD is the same one and stays untouched.
  const scratch = `${target}.tmp-${process.pid}-${Date.now()}`;
  const built = buildPaymentsRepo(scratch);
  const head = built.commits.at(-1);
  if (headOf(target) !== head) {
    rmSync(target, { recursive: true, force: true });
    try {
      renameSync(scratch, target);
      return { path: target, commits: built.commits };
    } catch (error) {
      if (headOf(target) !== head) throw error; // not a parallel call that moved the same repository first
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  return { path: target, commits: built.commits };
}

/** The commit a repository's HEAD points at, or nothing when there is no complete repository there. */
function headOf(repository: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--verify', '-q', 'HEAD'], {
      cwd: repository,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      // The ceiling keeps git from answering with an enclosing repository's HEAD.
      env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', HOME: repository, GIT_CEILING_DIRECTORIES: dirname(repository) },
    }).trim();
  } catch {
    return undefined;
  }
}

function buildPaymentsRepo(target: string): { path: string; commits: string[] } {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const { awsSecretAccessKey, githubToken, entraClientSecret } = estateSecrets();
  const commits: string[] = [];
  const run = (args: string[], author: Author, date: string) =>
    execFileSync('git', args, {
      cwd: target,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: target,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: author.name,
        GIT_COMMITTER_EMAIL: author.email,
        GIT_COMMITTER_DATE: date,
      },
    }).trim();
  const commit = (message: string, author: Author, date: string, files: Record<string, string | null>) => {
    for (const [path, content] of Object.entries(files)) {
      const full = join(target, path);
      if (content === null) rmSync(full);
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    run(['add', '-A'], author, date);
    run(['commit', '-q', '-m', message], author, date);
    commits.push(run(['rev-parse', 'HEAD'], author, date));
  };
  const { alice, bob } = ESTATE_AUTHORS;
  run(['-c', 'init.defaultBranch=main', 'init', '-q'], alice, '2024-03-01T09:00:00Z');

  commit('Initial payments service', alice, '2024-03-01T09:00:00Z', {
    'README.md': '# payments-api\n\nCharges cards and settles invoices. Configuration comes from the environment; see `.env.example`.\n',
    'src/server.js':
      "import { createServer } from 'node:http';\n\nconst databaseUrl = process.env.DATABASE_URL;\nconst githubToken = process.env.GITHUB_TOKEN;\n\ncreateServer((req, res) => res.end('ok')).listen(8080);\n",
    // Placeholders: the AWS documentation example keys, a template marker and an environment reference.
    '.env.example':
      'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nGITHUB_TOKEN=<your-token-here>\nDATABASE_URL=postgres://payments:${DB_PASSWORD}@localhost:5432/payments\n',
  });
  commit('CI: deploy with the ci-deployer user', bob, '2024-03-12T09:45:00Z', {
    'deploy/ci.env': `# used by the deploy job\nAWS_REGION=eu-west-1\nAWS_ACCESS_KEY_ID=${ESTATE_AWS_KEY_ID}\nAWS_SECRET_ACCESS_KEY=${awsSecretAccessKey}\n`,
    '.github/workflows/deploy.yml':
      'name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: set -a && . deploy/ci.env && ./deploy.sh\n',
  });
  commit('Add release script', alice, '2024-05-02T16:20:00Z', {
    'scripts/release.sh': `#!/bin/sh\nset -eu\nexport GITHUB_TOKEN=${githubToken}\ngh release create "v$(cat VERSION)" --generate-notes\n`,
    VERSION: '1.4.0\n',
  });
  commit('Remove hard-coded token from the release script', alice, '2024-05-03T08:05:00Z', {
    'scripts/release.sh':
      '#!/bin/sh\nset -eu\n: "${GITHUB_TOKEN:?set GITHUB_TOKEN in the environment}"\ngh release create "v$(cat VERSION)" --generate-notes\n',
  });
  commit('docker-compose for local development', bob, '2024-09-10T11:30:00Z', {
    'docker-compose.yml':
      'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-changeme}\n  api:\n    build: .\n    environment:\n      DATABASE_URL: postgres://payments:${POSTGRES_PASSWORD}@db:5432/payments\n',
  });
  commit('Sign in to Microsoft Graph as the payments-api app', alice, '2024-10-02T10:15:00Z', {
    'deploy/azure.env': `AZURE_TENANT_ID=${ENTRA_TENANT}\nAZURE_CLIENT_ID=${E.payments.appId}\nAZURE_CLIENT_SECRET=${entraClientSecret}\n`,
  });
  // The payments-deployer service-account key, matched to its live key in the Google Cloud export.
  commit('Deploy to Cloud Run from CI', bob, '2024-10-05T10:15:00Z', {
    'deploy/gcp-deployer.json': estateGcpKeyFile(),
  });
  // Keeps the generated repository out of nhiscan's own git status.
  if (target === PAYMENTS_REPO) writeFileSync(join(GENERATED_DIR, '.gitignore'), '*\n');
  return { path: target, commits };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { path, commits } = generatePaymentsRepo();
  console.log(`wrote ${path} (${commits.length} commits); ci-deployer key id ${ESTATE_AWS_KEY_ID} in account ${ESTATE_AWS_ACCOUNT}`);
}
