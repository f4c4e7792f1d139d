/**
 * Writes the sample estate's Google Cloud organization (acme.example, organization 200000000001) as a
 * Cloud Asset Inventory export, the offline form a team without live credentials hands over:
 *   npx tsx examples/estate/gcp/generate.ts   → examples/estate/gcp/asset-export.ndjson
 *
 * It shows every GCP rule: `payments-deployer` holds Editor and has a never-expiring, year-old key, and
 * that key is the one committed in the sample repository (ESTATE_GCP_KEY_ID); `ci-runner` can act as it
 * (a one-hop chain to admin) and is bound to a GitHub Actions provider with no attribute condition; the
 * default compute account keeps Editor; a disabled account keeps an enabled key; Token Creator is granted
 * on the whole project. Key ids are identifiers, not secrets; no key material is in the export.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bind, key, keyIdFor, project, sa, serviceAccount, type EmuGcpEstate } from '../../../testkit/gcp/estate.js';
import { assetExportLines } from '../../../testkit/gcp/exports.js';
import { seededRsaPrivateKeyPem } from '../../../testkit/gcp/seeded-rsa.js';

export const ESTATE_GCP_PROJECT = 'acme-payments-prod';
export const ESTATE_GCP_ACCOUNT = `payments-deployer@${ESTATE_GCP_PROJECT}.iam.gserviceaccount.com`;
/** The key committed in the sample repository: enabled in the export, so the leak is live. */
export const ESTATE_GCP_KEY_ID = keyIdFor('estate:payments-deployer');

/** The committed key file, rebuilt from a seed (never stored in nhiscan's repository). Callers never print it. */
export function estateGcpKeyFile(): string {
  return `${JSON.stringify(
    {
      type: 'service_account',
      project_id: ESTATE_GCP_PROJECT,
      private_key_id: ESTATE_GCP_KEY_ID,
      private_key: seededRsaPrivateKeyPem('estate:payments-deployer'),
      client_email: ESTATE_GCP_ACCOUNT,
      client_id: '114872904417391268102',
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: 'https://oauth2.googleapis.com/token',
    },
    null,
    2,
  )}\n`;
}

export function estateGcp(): EmuGcpEstate {
  const prod = project(ESTATE_GCP_PROJECT, '731829465012', 'folders/310000000001', { env: 'prod', owner: 'payments-team' });
  const data = project('acme-data-dev', '731829465077', 'organizations/200000000001', { env: 'dev' });
  const deployer = serviceAccount(prod, 'payments-deployer', {
    description: 'Deploys payments-api from CI. owner=bob.okafor@acme.example',
    uniqueId: '114872904417391268102',
  });
  const ciRunner = serviceAccount(prod, 'ci-runner', { description: 'GitHub Actions jobs. team=platform' });
  const batch = serviceAccount(prod, 'nightly-batch', { disabled: true, description: 'Retired in 2025. owner=alice.martin@acme.example' });
  const compute = serviceAccount(prod, '731829465012-compute@developer.gserviceaccount.com', { displayName: 'Compute Engine default service account' });
  const etl = serviceAccount(data, 'etl-loader');

  key(prod, deployer, 'estate:payments-deployer', { validAfterTime: '2025-09-15T10:00:00Z' });
  key(prod, batch, 'estate:nightly-batch', { validAfterTime: '2024-11-02T08:00:00Z' });
  key(data, etl, 'estate:etl-loader', { validAfterTime: '2026-10-20T08:00:00Z', validBeforeTime: '2027-01-18T08:00:00Z' });

  bind(prod.policy, 'roles/editor', sa(deployer.account.email), sa(compute.account.email));
  bind(prod.policy, 'roles/viewer', sa(ciRunner.account.email));
  bind(prod.policy, 'roles/iam.serviceAccountTokenCreator', 'group:sre@acme.example');
  bind(deployer.policy, 'roles/iam.serviceAccountUser', sa(ciRunner.account.email));
  bind(data.policy, 'roles/bigquery.dataEditor', sa(etl.account.email));

  const pool = `projects/${prod.project.name.split('/')[1]}/locations/global/workloadIdentityPools/github`;
  prod.pools.push({
    name: pool,
    displayName: 'GitHub Actions',
    state: 'ACTIVE',
    providers: [
      {
        name: `${pool}/providers/github-actions`,
        state: 'ACTIVE',
        attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository' },
        oidc: { issuerUri: 'https://token.actions.githubusercontent.com' },
      },
    ],
  });
  bind(ciRunner.policy, 'roles/iam.workloadIdentityUser', `principalSet://iam.googleapis.com/${pool}/attribute.repository/acme/payments-api`);

  return {
    organization: {
      name: 'organizations/200000000001',
      policy: { version: 1, bindings: [{ role: 'roles/resourcemanager.organizationAdmin', members: ['user:alice.martin@acme.example'] }] },
    },
    folders: [{ name: 'folders/310000000001', parent: 'organizations/200000000001', policy: { version: 1, bindings: [] } }],
    projects: [prod, data],
  };
}

const HERE = dirname(fileURLToPath(import.meta.url));
const GCP_DIR = HERE.includes(`${sep}dist${sep}`) ? join(HERE, '..', '..', '..', '..', 'examples', 'estate', 'gcp') : HERE;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = join(GCP_DIR, 'asset-export.ndjson');
  writeFileSync(path, `${assetExportLines(estateGcp()).join('\n')}\n`);
  console.log(`wrote ${path}; payments-deployer key ${ESTATE_GCP_KEY_ID}`);
}
