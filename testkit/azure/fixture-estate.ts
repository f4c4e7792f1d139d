/**
 * A small emulated tenant that exercises every Azure rule, with times relative to the test clock
 * (test/support/context.ts uses 2026-11-29T00:00:00Z). No secret values exist anywhere: the
 * management plane has none to give.
 */
import type { EmuEstate, EmuKey, EmuRoleAssignment, EmuSecret } from './estate.js';
import { guid } from './estate.js';

export const TEST_NOW = new Date('2026-11-29T00:00:00Z');
const NOW_S = Math.floor(TEST_NOW.getTime() / 1000);
const DAY = 86_400;
export const daysAgo = (d: number) => NOW_S - d * DAY;
export const daysAhead = (d: number) => NOW_S + d * DAY;

export const TENANT = guid('tenant');
export const SUB_PROD = guid('sub-prod');
export const SUB_DEV = guid('sub-dev');
export const SUB_OLD = guid('sub-old');

/** Principals named by role so assertions read well. */
export const P = {
  admin: guid('principal-admin'),
  appReader: guid('principal-app-reader'),
  keyUser: guid('principal-key-user'),
  purger: guid('principal-purger'),
  readers: Array.from({ length: 6 }, (_, i) => guid(`principal-reader-${i}`)),
  /** The ci-deployer service principal of the Entra fixture tenant (same deterministic id). */
  ciDeployerSp: guid('sp-ci'),
  automationSp: guid('principal-automation'),
  rbacReaderSp: guid('principal-rbac-reader'),
  platformGroup: guid('group-platform'),
  auditors: guid('group-auditors'),
};

export const ROLE = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
};

/** Role assignments of the production subscription: broad roles for service principals, Key Vault roles on the RBAC vault. */
function prodRoleAssignments(): EmuRoleAssignment[] {
  return [
    {
      name: guid('ra-ci-owner'),
      principalId: P.ciDeployerSp,
      principalType: 'ServicePrincipal',
      roleDefinition: ROLE.owner,
      scope: '',
      createdOn: '2025-03-01T10:00:00Z',
    },
    {
      name: guid('ra-automation-uaa'),
      principalId: P.automationSp,
      principalType: 'ServicePrincipal',
      roleDefinition: ROLE.userAccessAdministrator,
      scope: '',
    },
    { name: guid('ra-admin-contrib'), principalId: P.admin, principalType: 'User', roleDefinition: ROLE.contributor, scope: 'resourceGroups/app-rg' },
    {
      name: guid('ra-rbac-reader'),
      principalId: P.rbacReaderSp,
      principalType: 'ServicePrincipal',
      roleDefinition: ROLE.keyVaultSecretsUser,
      scope: 'resourceGroups/platform-rg/providers/Microsoft.KeyVault/vaults/kv-platform-rbac',
    },
    {
      name: guid('ra-platform-officer'),
      principalId: P.platformGroup,
      principalType: 'Group',
      roleDefinition: ROLE.keyVaultSecretsOfficer,
      scope: 'resourceGroups/platform-rg',
    },
    {
      name: guid('ra-auditors-reader'),
      principalId: P.auditors,
      principalType: 'Group',
      roleDefinition: ROLE.reader,
      scope: '/providers/Microsoft.Management/managementGroups/contoso-root',
    },
  ];
}

const ALL = {
  keys: ['all'],
  secrets: ['all'],
  certificates: ['all'],
};

function secret(name: string, attributes: EmuSecret['attributes'], tags?: Record<string, string>, contentType?: string): EmuSecret {
  return { name, attributes, tags, contentType };
}

function key(name: string, versions: EmuKey['versions'], rotationPolicy?: EmuKey['rotationPolicy'], tags?: Record<string, string>): EmuKey {
  return { name, versions, rotationPolicy, tags, kty: 'RSA', keyOps: ['sign', 'verify'], keySize: 2048 };
}

const rotateAfter = (duration: string, expiry = 'P2Y') => ({
  attributes: { created: daysAgo(100), updated: daysAgo(100), expiryTime: expiry },
  lifetimeActions: [{ trigger: { timeAfterCreate: duration }, action: { type: 'rotate' } }],
});

export function fixtureEstate(): EmuEstate {
  return {
    tenantId: TENANT,
    subscriptions: [
      {
        subscriptionId: SUB_PROD,
        displayName: 'Contoso Prod',
        roleAssignments: prodRoleAssignments(),
        vaults: [
          {
            name: 'kv-app-prod',
            resourceGroup: 'app-rg',
            location: 'westeurope',
            tags: { owner: 'payments-team@contoso.example' },
            properties: {
              enableSoftDelete: true,
              softDeleteRetentionInDays: 90,
              enableRbacAuthorization: false,
              publicNetworkAccess: 'Enabled',
              accessPolicies: [
                { tenantId: TENANT, objectId: P.admin, permissions: ALL },
                { tenantId: TENANT, objectId: P.appReader, permissions: { secrets: ['get', 'list'] } },
                { tenantId: TENANT, objectId: P.keyUser, permissions: { keys: ['get', 'sign', 'verify'] } },
                { tenantId: TENANT, objectId: P.purger, permissions: { secrets: ['get', 'purge'] } },
              ],
            },
            secrets: [
              secret('db-password', { enabled: true, created: daysAgo(30), updated: daysAgo(30) }, { owner: 'dba@contoso.example' }, 'text/plain'),
              secret('api-token-far', { enabled: true, created: daysAgo(20), updated: daysAgo(20), exp: daysAhead(800) }),
              secret('legacy-cert-pass', { enabled: true, created: daysAgo(500), updated: daysAgo(500), exp: daysAgo(10) }),
              secret('stale-webhook', { enabled: true, created: daysAgo(400), updated: daysAgo(5), exp: daysAhead(100) }),
              secret('fresh-ok', { enabled: true, created: daysAgo(10), updated: daysAgo(10), exp: daysAhead(80) }, { owner: 'app@contoso.example' }),
              secret('disabled-old', { enabled: false, created: daysAgo(900), updated: daysAgo(900) }),
            ],
            keys: [
              key('signing-no-policy', [{ enabled: true, created: daysAgo(200), updated: daysAgo(200), exp: daysAhead(300) }]),
              key(
                'cmk-rotated',
                [
                  { enabled: true, created: daysAgo(280), updated: daysAgo(280), exp: daysAgo(100) },
                  { enabled: true, created: daysAgo(50), updated: daysAgo(50), exp: daysAhead(500) },
                ],
                rotateAfter('P90D'),
                { owner: 'security@contoso.example' },
              ),
              key('archive-slow-rotation', [{ enabled: true, created: daysAgo(30), updated: daysAgo(30), exp: daysAhead(1500) }], rotateAfter('P3Y', 'P5Y')),
            ],
          },
          {
            name: 'kv-platform-rbac',
            resourceGroup: 'platform-rg',
            location: 'westeurope',
            tags: { team: 'platform' },
            properties: {
              enableSoftDelete: true,
              enableRbacAuthorization: true,
              enablePurgeProtection: true,
              publicNetworkAccess: 'Disabled',
              // Present but ignored by Azure under RBAC: they must not become grants.
              accessPolicies: [{ tenantId: TENANT, objectId: P.admin, permissions: ALL }],
            },
            secrets: [
              secret(
                'sp-client-secret',
                { enabled: true, created: daysAgo(40), updated: daysAgo(40), exp: daysAhead(140) },
                { owner: 'platform@contoso.example' },
              ),
            ],
            keys: [],
          },
        ],
      },
      {
        subscriptionId: SUB_DEV,
        displayName: 'Contoso Dev',
        vaults: [
          {
            name: 'kv-shared-dev',
            resourceGroup: 'dev-rg',
            location: 'northeurope',
            properties: {
              enableRbacAuthorization: false,
              enablePurgeProtection: true,
              publicNetworkAccess: 'Enabled',
              networkAcls: { bypass: 'AzureServices', defaultAction: 'Deny', ipRules: [{ value: '203.0.113.0/24' }], virtualNetworkRules: [] },
              accessPolicies: P.readers.map((objectId) => ({ tenantId: TENANT, objectId, permissions: { secrets: ['get'] } })),
            },
            secrets: [
              secret('dev-a', { enabled: true, created: daysAgo(5), updated: daysAgo(5), exp: daysAhead(30) }),
              secret('dev-b', { enabled: true, created: daysAgo(5), updated: daysAgo(5), exp: daysAhead(30) }),
              secret('dev-c', { enabled: true, created: daysAgo(5), updated: daysAgo(5), exp: daysAhead(30) }),
            ],
            keys: [],
          },
        ],
      },
      { subscriptionId: SUB_OLD, displayName: 'Contoso Retired', state: 'Disabled', vaults: [] },
    ],
  };
}
