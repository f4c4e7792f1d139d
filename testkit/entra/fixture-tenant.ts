/**
 * A small emulated tenant that exercises every Entra rule, with times relative to the test clock
 * (2026-11-29T00:00:00Z, test/support/context.ts). The same tenant is the sample estate's
 * (examples/estate/entra/contoso-tenant.json). No secret value exists anywhere: Graph has none to
 * give, only each client secret's three-character `hint`.
 */
import { guid } from '../azure/estate.js';
import { TENANT } from '../azure/fixture-estate.js';
import { assignment, directoryUser, makeTenant, msGraphServicePrincipal, user, type EmuTenant } from './tenant.js';
import type { GraphApplication, GraphPasswordCredential, GraphServicePrincipal } from '../../connectors/entra/snapshot.js';

export const ENTRA_TENANT = TENANT;
export const PARTNER_TENANT = guid('partner-tenant');
const NOW = Date.parse('2026-11-29T00:00:00Z');
const DAY = 86_400_000;
export const iso = (days: number) => new Date(NOW + days * DAY).toISOString().replace('.000Z', 'Z');

/** The hint of payments-api's client secret: the sample repository's leaked secret starts with it. */
export const PAYMENTS_SECRET_HINT = 'Pq8';

export const E = {
  msGraph: guid('sp-msgraph'),
  payments: { app: guid('app-payments'), appId: guid('appid-payments'), sp: guid('sp-payments'), secret: guid('key-payments-secret') },
  ci: { app: guid('app-ci'), appId: guid('appid-ci'), sp: guid('sp-ci'), secret: guid('key-ci-secret') },
  legacy: {
    app: guid('app-legacy'),
    appId: guid('appid-legacy'),
    sp: guid('sp-legacy'),
    secretOld: guid('key-legacy-old'),
    secretNew: guid('key-legacy-new'),
    secretForever: guid('key-legacy-forever'),
    cert: guid('key-legacy-cert'),
    spSecret: guid('key-legacy-sp'),
  },
  partner: { sp: guid('sp-partner'), appId: guid('appid-partner') },
  mi: { sp: guid('sp-mi-orders'), appId: guid('appid-mi-orders') },
  users: { alice: guid('user-alice'), bob: guid('user-bob'), carol: guid('user-carol'), erin: guid('user-erin'), guest: guid('user-guest') },
  roles: { cloudAppAdmin: guid('role-cloud-app-admin'), globalReader: guid('role-global-reader') },
};

const alice = () => user(E.users.alice, 'alice.martin@contoso.example', 'Alice Martin');
const bob = () => user(E.users.bob, 'bob.okafor@contoso.example', 'Bob Okafor', false);

function secret(keyId: string, displayName: string, hint: string, startDays: number, endDays: number): GraphPasswordCredential {
  return { customKeyIdentifier: null, displayName, endDateTime: iso(endDays), hint, keyId, startDateTime: iso(startDays) };
}

function app(id: string, appId: string, displayName: string, extra: Partial<GraphApplication>): GraphApplication {
  return {
    id,
    appId,
    displayName,
    createdDateTime: iso(-700),
    signInAudience: 'AzureADMyOrg',
    publisherDomain: 'contoso.example',
    tags: [],
    passwordCredentials: [],
    keyCredentials: [],
    requiredResourceAccess: [],
    owners: [],
    federatedIdentityCredentials: [],
    ...extra,
  };
}

function sp(id: string, appId: string, displayName: string, extra: Partial<GraphServicePrincipal>): GraphServicePrincipal {
  return {
    id,
    appId,
    displayName,
    createdDateTime: iso(-700),
    servicePrincipalType: 'Application',
    accountEnabled: true,
    appOwnerOrganizationId: ENTRA_TENANT,
    signInAudience: 'AzureADMyOrg',
    tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
    passwordCredentials: [],
    keyCredentials: [],
    appRoles: [],
    owners: [],
    appRoleAssignments: [],
    ...extra,
  };
}

function applications(): GraphApplication[] {
  const { payments, ci, legacy } = E;
  return [
    app(payments.app, payments.appId, 'payments-api', {
      owners: [alice()],
      passwordCredentials: [secret(payments.secret, 'payments-prod', PAYMENTS_SECRET_HINT, -165, 200)],
      requiredResourceAccess: [
        { resourceAppId: '00000003-0000-0000-c000-000000000000', resourceAccess: [{ id: 'df021288-bdef-4463-88db-98f22de89214', type: 'Role' }] },
      ],
    }),
    app(ci.app, ci.appId, 'ci-deployer', {
      owners: [bob()],
      passwordCredentials: [secret(ci.secret, 'github-actions', 'Zx1', -300, 65)],
      federatedIdentityCredentials: [
        {
          id: guid('fic-ci-1'),
          name: 'github-any-repo',
          issuer: 'https://token.actions.githubusercontent.com',
          subject: 'repo:contoso/*',
          audiences: ['api://AzureADTokenExchange'],
          description: null,
        },
        {
          id: guid('fic-ci-2'),
          name: 'github-main',
          issuer: 'https://token.actions.githubusercontent.com',
          subject: 'repo:contoso/payments-api:ref:refs/heads/main',
          audiences: ['api://AzureADTokenExchange'],
          description: null,
        },
      ],
    }),
    app(legacy.app, legacy.appId, 'legacy-reporting', {
      createdDateTime: iso(-1500),
      owners: [],
      passwordCredentials: [
        secret(legacy.secretOld, 'old-2025', 'Ab3', -800, -30),
        secret(legacy.secretNew, 'current', 'Cd4', -400, 330),
        secret(legacy.secretForever, 'forever', 'Ef5', -1400, 99 * 365),
      ],
      keyCredentials: [
        {
          customKeyIdentifier: 'A1B2C3',
          displayName: 'CN=legacy-reporting',
          endDateTime: iso(10),
          keyId: legacy.cert,
          startDateTime: iso(-355),
          type: 'AsymmetricX509Cert',
          usage: 'Verify',
        },
      ],
    }),
  ];
}

function servicePrincipals(graph: GraphServicePrincipal): GraphServicePrincipal[] {
  const { payments, ci, legacy, partner, mi } = E;
  const sps = {
    payments: sp(payments.sp, payments.appId, 'payments-api', {}),
    ci: sp(ci.sp, ci.appId, 'ci-deployer', {}),
    legacy: sp(legacy.sp, legacy.appId, 'legacy-reporting', {
      // A secret on the service principal object: invisible in the portal's app registration blade.
      passwordCredentials: [secret(legacy.spSecret, 'sp-backdoor', 'Gh6', -60, 300)],
    }),
    partner: sp(partner.sp, partner.appId, 'Partner CRM Connector', {
      appOwnerOrganizationId: PARTNER_TENANT,
      signInAudience: 'AzureADMultipleOrgs',
      owners: [user(E.users.carol, 'carol.diaz@contoso.example', 'Carol Diaz')],
    }),
    mi: sp(mi.sp, mi.appId, 'func-orders', { servicePrincipalType: 'ManagedIdentity', appOwnerOrganizationId: null, tags: [] }),
  };
  sps.payments.appRoleAssignments = [assignment(guid('ara-payments-1'), sps.payments, graph, 'User.Read.All')];
  sps.ci.appRoleAssignments = [
    assignment(guid('ara-ci-1'), sps.ci, graph, 'Application.ReadWrite.All'),
    assignment(guid('ara-ci-2'), sps.ci, graph, 'Directory.Read.All'),
  ];
  sps.legacy.appRoleAssignments = [assignment(guid('ara-legacy-1'), sps.legacy, graph, 'Mail.Send')];
  sps.partner.appRoleAssignments = [assignment(guid('ara-partner-1'), sps.partner, graph, 'Directory.ReadWrite.All')];
  sps.mi.appRoleAssignments = [assignment(guid('ara-mi-1'), sps.mi, graph, 'User.Read.All')];
  return [graph, ...Object.values(sps)];
}

/**
 * The tenant's people: Alice, Bob (disabled), Carol (enabled here; the sample HR directory says she
 * left, and HR wins), a guest, and Erin, deleted 20 days ago (her UPN renamed as Entra renames it).
 */
function directoryUsers() {
  const { alice, bob, carol, erin, guest } = E.users;
  return {
    users: [
      directoryUser(alice, 'alice.martin@contoso.example', 'Alice Martin', { otherMails: ['alice@example.com'] }),
      directoryUser(bob, 'bob.okafor@contoso.example', 'Bob Okafor', { accountEnabled: false }),
      directoryUser(carol, 'carol.diaz@contoso.example', 'Carol Diaz'),
      directoryUser(guest, 'pat.lee_fabrikam.example#EXT#@contoso.example', 'Pat Lee (Fabrikam)', {
        mail: 'pat.lee@fabrikam.example',
        userType: 'Guest',
      }),
    ],
    deletedUsers: [directoryUser(erin, 'erin.walsh@contoso.example', 'Erin Walsh', { accountEnabled: false, deletedAt: iso(-20) })],
  };
}

export function fixtureTenant(): EmuTenant {
  const graph = msGraphServicePrincipal(E.msGraph);
  const sps = servicePrincipals(graph);
  const member = (id: string) => {
    const s = sps.find((x) => x.id === id)!;
    return { '@odata.type': '#microsoft.graph.servicePrincipal', id: s.id, displayName: s.displayName ?? null };
  };
  const { payments, ci, legacy, partner, mi } = E;
  return makeTenant({
    tenantId: ENTRA_TENANT,
    displayName: 'Contoso',
    ...directoryUsers(),
    applications: applications(),
    servicePrincipals: sps,
    oauth2PermissionGrants: [
      {
        id: guid('grant-partner'),
        clientId: partner.sp,
        consentType: 'AllPrincipals',
        principalId: null,
        resourceId: E.msGraph,
        scope: 'User.Read Mail.Read offline_access',
      },
    ],
    directoryRoles: [
      {
        id: E.roles.cloudAppAdmin,
        displayName: 'Cloud Application Administrator',
        roleTemplateId: '158c047a-c907-4556-b7ef-446551a6b5f7',
        members: [member(legacy.sp)],
      },
      { id: E.roles.globalReader, displayName: 'Global Reader', roleTemplateId: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451', members: [alice()] },
    ],
    servicePrincipalSignInActivities: [
      {
        id: guid('sia-payments'),
        appId: payments.appId,
        lastSignInActivity: { lastSignInDateTime: iso(-5), lastSignInRequestId: guid('req-1') },
        applicationAuthenticationClientSignInActivity: { lastSignInDateTime: iso(-5), lastSignInRequestId: guid('req-1') },
      },
      { id: guid('sia-ci'), appId: ci.appId, lastSignInActivity: { lastSignInDateTime: iso(-2), lastSignInRequestId: guid('req-2') } },
      { id: guid('sia-legacy'), appId: legacy.appId, lastSignInActivity: { lastSignInDateTime: iso(-200), lastSignInRequestId: guid('req-3') } },
      { id: guid('sia-mi'), appId: mi.appId, lastSignInActivity: { lastSignInDateTime: iso(-1), lastSignInRequestId: guid('req-4') } },
      { id: guid('sia-partner'), appId: partner.appId, lastSignInActivity: { lastSignInDateTime: iso(-3), lastSignInRequestId: guid('req-5') } },
    ],
    appCredentialSignInActivities: [
      {
        id: guid('csa-payments'),
        keyId: payments.secret,
        keyType: 'clientSecret',
        keyUsage: 'verify',
        appId: payments.appId,
        appObjectId: payments.app,
        servicePrincipalObjectId: payments.sp,
        credentialOrigin: 'application',
        expirationDateTime: iso(200),
        createdDateTime: iso(-165),
        signInActivity: { lastSignInDateTime: iso(-5), lastSignInRequestId: guid('req-6') },
      },
      {
        id: guid('csa-ci'),
        keyId: ci.secret,
        keyType: 'clientSecret',
        keyUsage: 'verify',
        appId: ci.appId,
        appObjectId: ci.app,
        servicePrincipalObjectId: ci.sp,
        credentialOrigin: 'application',
        expirationDateTime: iso(65),
        createdDateTime: iso(-300),
        signInActivity: { lastSignInDateTime: iso(-120), lastSignInRequestId: guid('req-7') },
      },
      {
        id: guid('csa-legacy-new'),
        keyId: legacy.secretNew,
        keyType: 'clientSecret',
        keyUsage: 'verify',
        appId: legacy.appId,
        appObjectId: legacy.app,
        servicePrincipalObjectId: legacy.sp,
        credentialOrigin: 'application',
        expirationDateTime: iso(330),
        createdDateTime: iso(-400),
        signInActivity: { lastSignInDateTime: iso(-200), lastSignInRequestId: guid('req-8') },
      },
    ],
  });
}

/** The snapshot the collector would produce for a tenant, built offline (for rule tests and the sample estate). */
export function entraSnapshotFromTenant(tenant: EmuTenant, graphEndpoint = 'https://graph.microsoft.com') {
  const clone = <T>(v: T): T => structuredClone(v);
  return {
    nhiscanSnapshot: 'entra' as const,
    version: 1 as const,
    tenantId: tenant.tenantId,
    graphEndpoint,
    applications: clone(tenant.applications),
    servicePrincipals: clone(tenant.servicePrincipals),
    oauth2PermissionGrants: clone(tenant.oauth2PermissionGrants),
    directoryRoles: clone(tenant.directoryRoles),
    servicePrincipalSignInActivities: clone(tenant.servicePrincipalSignInActivities),
    appCredentialSignInActivities: clone(tenant.appCredentialSignInActivities),
    users: clone(tenant.users ?? []),
    deletedUsers: clone(tenant.deletedUsers ?? []),
    notCovered: [],
  };
}
