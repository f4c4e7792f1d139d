/**
 * The sample estate's Azure subscription (examples/estate/azure/contoso.json), defined here and
 * rendered through the emulator's Microsoft-example-based renderers so the file has real ARM shapes.
 * Dates are absolute and chosen so every Azure rule fires for years to come.
 *
 * Regenerate: npx tsx testkit/azure/sample-estate.ts > examples/estate/azure/contoso.json
 */
import { pathToFileURL } from 'node:url';
import { guid, snapshotFromEstate, type EmuEstate } from './estate.js';
import { makeAccessKeyId } from '../../connectors/aws/key-id.js';

/** The AWS sample's ci-deployer key id (examples/estate/aws/generate.ts: account 123456789012, serial 4242). */
const ESTATE_AWS_KEY_ID = makeAccessKeyId('123456789012', 4242);

const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const TENANT = guid('contoso-tenant');

export const SAMPLE_PRINCIPALS = {
  opsAdmin: guid('contoso-ops-admin'),
  billingApi: guid('contoso-billing-api'),
  backupJob: guid('contoso-backup-job'),
  signer: guid('contoso-release-signer'),
  deployPipeline: guid('contoso-deploy-pipeline'),
  dev: Array.from({ length: 7 }, (_, i) => guid(`contoso-dev-app-${i}`)),
};

export function sampleEstate(): EmuEstate {
  const P = SAMPLE_PRINCIPALS;
  return {
    tenantId: TENANT,
    subscriptions: [
      {
        subscriptionId: guid('contoso-production'),
        displayName: 'Contoso Production',
        // RBAC: the deploy pipeline's service principal is Owner of the whole subscription; the billing API
        // reads the platform vault's secrets through Key Vault Secrets User on that vault.
        roleAssignments: [
          {
            name: guid('contoso-ra-deploy-owner'),
            principalId: P.deployPipeline,
            principalType: 'ServicePrincipal',
            roleDefinition: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
            scope: '',
            createdOn: '2025-02-01T09:00:00Z',
          },
          {
            name: guid('contoso-ra-billing-kv'),
            principalId: P.billingApi,
            principalType: 'ServicePrincipal',
            roleDefinition: '4633458b-17de-408a-b874-0445c86b69e6',
            scope: 'resourceGroups/platform-prod/providers/Microsoft.KeyVault/vaults/contoso-platform-kv',
          },
          {
            name: guid('contoso-ra-ops-contrib'),
            principalId: P.opsAdmin,
            principalType: 'User',
            roleDefinition: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
            scope: 'resourceGroups/platform-prod',
          },
        ],
        vaults: [
          {
            name: 'contoso-billing-kv',
            resourceGroup: 'billing-prod',
            location: 'westeurope',
            tags: { owner: 'billing-team@contoso.example', env: 'prod' },
            properties: {
              enableSoftDelete: true,
              softDeleteRetentionInDays: 90,
              enablePurgeProtection: false,
              enableRbacAuthorization: false,
              publicNetworkAccess: 'Enabled',
              accessPolicies: [
                {
                  tenantId: TENANT,
                  objectId: P.opsAdmin,
                  permissions: { keys: ['all'], secrets: ['all'], certificates: ['all'] },
                },
                { tenantId: TENANT, objectId: P.billingApi, permissions: { secrets: ['get', 'list'] } },
                { tenantId: TENANT, objectId: P.backupJob, permissions: { secrets: ['get', 'list', 'backup', 'purge'], keys: ['get', 'backup'] } },
              ],
            },
            secrets: [
              {
                name: 'stripe-api-key',
                contentType: 'text/plain',
                attributes: { enabled: true, created: at('2023-02-14T09:30:00Z'), updated: at('2025-11-02T10:00:00Z') },
              },
              {
                name: 'sql-admin-password',
                attributes: { enabled: true, created: at('2024-01-10T08:00:00Z'), updated: at('2024-01-10T08:00:00Z'), exp: at('2025-06-30T00:00:00Z') },
              },
              {
                name: 'partner-sftp-password',
                attributes: { enabled: true, created: at('2026-03-01T12:00:00Z'), updated: at('2026-03-01T12:00:00Z'), exp: at('2036-03-01T00:00:00Z') },
              },
              { name: 'old-smtp-password', attributes: { enabled: false, created: at('2021-05-05T00:00:00Z'), updated: at('2022-01-01T00:00:00Z') } },
              {
                name: 'webhook-signing-secret',
                tags: { owner: 'payments-oncall@contoso.example' },
                attributes: { enabled: true, created: at('2026-09-01T00:00:00Z'), updated: at('2026-09-01T00:00:00Z'), exp: at('2030-09-01T00:00:00Z') },
              },
            ],
            keys: [
              {
                name: 'invoice-signing',
                kty: 'RSA',
                keyOps: ['sign', 'verify'],
                keySize: 3072,
                versions: [{ enabled: true, created: at('2022-08-01T00:00:00Z'), updated: at('2022-08-01T00:00:00Z') }],
              },
              {
                name: 'billing-db-cmk',
                kty: 'RSA-HSM',
                keyOps: ['wrapKey', 'unwrapKey'],
                keySize: 4096,
                tags: { owner: 'dba@contoso.example' },
                rotationPolicy: {
                  attributes: { created: at('2025-01-01T00:00:00Z'), updated: at('2025-01-01T00:00:00Z'), expiryTime: 'P5Y' },
                  lifetimeActions: [{ trigger: { timeAfterCreate: 'P3Y' }, action: { type: 'rotate' } }],
                },
                versions: [{ enabled: true, created: at('2025-01-01T00:00:00Z'), updated: at('2025-01-01T00:00:00Z'), exp: at('2030-01-01T00:00:00Z') }],
              },
            ],
          },
          {
            name: 'contoso-platform-kv',
            resourceGroup: 'platform-prod',
            location: 'westeurope',
            tags: { team: 'platform' },
            properties: {
              enableSoftDelete: true,
              softDeleteRetentionInDays: 90,
              enablePurgeProtection: true,
              enableRbacAuthorization: true,
              publicNetworkAccess: 'Disabled',
              accessPolicies: [],
            },
            secrets: [
              {
                name: 'aks-sp-client-secret',
                tags: { owner: 'platform@contoso.example' },
                attributes: { enabled: true, created: at('2026-10-01T00:00:00Z'), updated: at('2026-10-01T00:00:00Z') },
              },
              {
                // A copy of the AWS ci-deployer key leaked in the sample repository, tagged with its key id: the
                // quick start's secret-reuse finding.
                name: 'aws-secret-access-key',
                contentType: 'text/plain',
                tags: { owner: 'platform@contoso.example', accessKeyId: ESTATE_AWS_KEY_ID },
                attributes: { enabled: true, created: at('2024-03-12T10:10:00Z'), updated: at('2024-03-12T10:10:00Z'), exp: at('2027-03-12T00:00:00Z') },
              },
            ],
            keys: [
              {
                name: 'release-signing',
                kty: 'EC-HSM',
                keyOps: ['sign', 'verify'],
                rotationPolicy: {
                  attributes: { created: at('2026-01-01T00:00:00Z'), updated: at('2026-01-01T00:00:00Z'), expiryTime: 'P13M' },
                  lifetimeActions: [{ trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'rotate' } }],
                },
                versions: [
                  { enabled: true, created: at('2026-01-01T00:00:00Z'), updated: at('2026-01-01T00:00:00Z'), exp: at('2027-01-31T00:00:00Z') },
                  { enabled: true, created: at('2026-11-02T00:00:00Z'), updated: at('2026-11-02T00:00:00Z'), exp: at('2028-01-01T00:00:00Z') },
                ],
              },
            ],
          },
        ],
      },
      {
        subscriptionId: guid('contoso-development'),
        displayName: 'Contoso Development',
        vaults: [
          {
            name: 'contoso-dev-shared-kv',
            resourceGroup: 'dev-shared',
            location: 'northeurope',
            properties: {
              enableSoftDelete: true,
              softDeleteRetentionInDays: 7,
              enablePurgeProtection: true,
              enableRbacAuthorization: false,
              publicNetworkAccess: 'Enabled',
              networkAcls: { bypass: 'AzureServices', defaultAction: 'Deny', ipRules: [{ value: '198.51.100.0/24' }], virtualNetworkRules: [] },
              accessPolicies: P.dev.map((objectId) => ({ tenantId: TENANT, objectId, permissions: { secrets: ['get'] } })),
            },
            secrets: [
              {
                name: 'dev-db-connection',
                attributes: { enabled: true, created: at('2026-11-01T00:00:00Z'), updated: at('2026-11-01T00:00:00Z'), exp: at('2027-05-01T00:00:00Z') },
              },
              {
                name: 'dev-queue-key',
                attributes: { enabled: true, created: at('2026-11-01T00:00:00Z'), updated: at('2026-11-01T00:00:00Z'), exp: at('2027-05-01T00:00:00Z') },
              },
            ],
            keys: [],
          },
        ],
      },
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const snapshot = { ...snapshotFromEstate(sampleEstate()), collectedAt: '2026-11-29T00:00:00.000Z' };
  process.stdout.write(`${JSON.stringify(snapshot, null, 2)}\n`);
}
