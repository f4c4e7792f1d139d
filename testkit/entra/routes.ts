/**
 * The Graph resources the emulator serves, routed from a URL. Shapes follow the Microsoft Graph v1.0
 * and beta API reference (application, servicePrincipal, appRoleAssignment, oauth2PermissionGrant,
 * directoryRole, federatedIdentityCredential, servicePrincipalSignInActivity,
 * appCredentialSignInActivity): the tenant holds objects in those shapes, with their relations
 * embedded; lists serve them without the relations, which are served at their own paths.
 */
import type { EmuTenant } from './tenant.js';

export interface GraphAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface Paging {
  defaultPageSize: number;
  maxPageSize: number;
  nextLink(url: URL, offset: number): string;
  offsetOf(token: string | null): number | undefined;
}

const RELATIONS = new Set(['owners', 'federatedIdentityCredentials', 'appRoleAssignments', 'members']);

/** What a GET without `$select` returns beyond the selected fields: Graph's default property set is large. */
const DEFAULT_EXTRAS: Record<string, Record<string, unknown>> = {
  applications: {
    api: {
      acceptMappedClaims: null,
      knownClientApplications: [],
      requestedAccessTokenVersion: null,
      oauth2PermissionScopes: [],
      preAuthorizedApplications: [],
    },
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    web: { homePageUrl: null, logoutUrl: null, redirectUris: [], implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false } },
    spa: { redirectUris: [] },
    publicClient: { redirectUris: [] },
    identifierUris: [],
    optionalClaims: null,
    parentalControlSettings: { countriesBlockedForMinors: [], legalAgeGroupRule: 'Allow' },
    appRoles: [],
    deletedDateTime: null,
    description: null,
    disabledByMicrosoftStatus: null,
    groupMembershipClaims: null,
    isDeviceOnlyAuthSupported: null,
    isFallbackPublicClient: null,
    serviceManagementReference: null,
    tokenEncryptionKeyId: null,
  },
  servicePrincipals: {
    alternativeNames: [],
    appDescription: null,
    appDisplayName: null,
    appRoleAssignmentRequired: false,
    deletedDateTime: null,
    description: null,
    disabledByMicrosoftStatus: null,
    homepage: null,
    loginUrl: null,
    logoutUrl: null,
    notificationEmailAddresses: [],
    oauth2PermissionScopes: [],
    preferredSingleSignOnMode: null,
    replyUrls: [],
    servicePrincipalNames: [],
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    samlSingleSignOnSettings: null,
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
  },
};

/**
 * Users: a GET without `$select` returns only this default set (no `accountEnabled`, no `userType`),
 * as the user resource's reference says; anything else must be asked for.
 */
const USER_DEFAULT_PROPERTIES = [
  'id',
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
];

function project(item: Record<string, unknown>, select: string[] | undefined, collection: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!select && collection === 'users') select = USER_DEFAULT_PROPERTIES;
  if (select) {
    for (const key of select) if (key in item && !RELATIONS.has(key)) out[key] = item[key];
    return out;
  }
  for (const [k, v] of Object.entries(item)) if (!RELATIONS.has(k)) out[k] = v;
  return { ...DEFAULT_EXTRAS[collection], ...out };
}

function list(url: URL, items: Record<string, unknown>[], paging: Paging, collection: string, context: string): GraphAnswer {
  const offset = paging.offsetOf(url.searchParams.get('$skiptoken'));
  if (offset === undefined)
    return { status: 400, body: { error: { code: 'Directory_ExpiredPageToken', message: 'The specified page token value has expired.' } } };
  const top = Number(url.searchParams.get('$top')) || paging.defaultPageSize;
  const size = Math.min(top, paging.maxPageSize);
  const select = url.searchParams
    .get('$select')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const value = items.slice(offset, offset + size).map((i) => project(i, select, collection));
  const body: Record<string, unknown> = { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#${context}`, value };
  if (offset + size < items.length) body['@odata.nextLink'] = paging.nextLink(url, offset + size);
  return { status: 200, body };
}

function filterOf(url: URL): string | undefined {
  return url.searchParams.get('$filter') ?? undefined;
}

/** Answers a GET, or undefined when nothing lives at the path (404). */
export function routeGraph(tenant: EmuTenant, method: string, url: URL, paging: Paging): GraphAnswer | undefined {
  if (method !== 'GET') return undefined;
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [version, collection, id, rel] = parts;
  if (version !== 'v1.0' && version !== 'beta') return undefined;
  const idx = tenant.index();
  switch (collection) {
    case 'organization':
      return list(url, [{ id: tenant.tenantId, displayName: tenant.displayName }], paging, 'organization', 'organization');
    case 'applications': {
      if (!id) return list(url, tenant.applications as never, paging, 'applications', 'applications');
      const app = idx.apps.get(id);
      if (!app) return undefined;
      if (rel === 'owners') return list(url, (app.owners ?? []) as never, paging, 'owners', 'directoryObjects');
      if (rel === 'federatedIdentityCredentials')
        return list(url, (app.federatedIdentityCredentials ?? []) as never, paging, 'fic', `applications('${id}')/federatedIdentityCredentials`);
      return rel ? undefined : { status: 200, body: project(app as never, undefined, 'applications') };
    }
    case 'servicePrincipals': {
      if (!id) {
        const filter = filterOf(url);
        const managed = filter && /servicePrincipalType eq 'ManagedIdentity'/.test(filter);
        if (filter && !managed) return { status: 400, body: { error: { code: 'Request_UnsupportedQuery', message: 'Unsupported query.' } } };
        // Managed identities are served only to a client that asks for them.
        const items = tenant.servicePrincipals.filter((sp) => (sp.servicePrincipalType === 'ManagedIdentity') === !!managed);
        return list(url, items as never, paging, 'servicePrincipals', 'servicePrincipals');
      }
      const sp = idx.sps.get(id);
      if (!sp) return undefined;
      if (rel === 'owners') return list(url, (sp.owners ?? []) as never, paging, 'owners', 'directoryObjects');
      if (rel === 'appRoleAssignments')
        return list(url, (sp.appRoleAssignments ?? []) as never, paging, 'ara', `servicePrincipals('${id}')/appRoleAssignments`);
      return rel ? undefined : { status: 200, body: project(sp as never, undefined, 'servicePrincipals') };
    }
    case 'users':
      return id ? undefined : list(url, (tenant.users ?? []) as never, paging, 'users', 'users');
    case 'directory':
      // The cast segment is required: Graph refuses `/directory/deletedItems` without a type.
      if (id === 'deletedItems' && rel === 'microsoft.graph.user')
        return list(url, (tenant.deletedUsers ?? []) as never, paging, 'users', 'directory/deletedItems/microsoft.graph.user');
      return undefined;
    case 'oauth2PermissionGrants':
      return list(url, tenant.oauth2PermissionGrants as never, paging, 'grants', 'oauth2PermissionGrants');
    case 'directoryRoles': {
      if (!id) return list(url, tenant.directoryRoles as never, paging, 'directoryRoles', 'directoryRoles');
      const role = tenant.directoryRoles.find((r) => r.id === id);
      return role && rel === 'members' ? list(url, (role.members ?? []) as never, paging, 'members', 'directoryObjects') : undefined;
    }
    case 'reports':
      if (version !== 'beta') return undefined;
      if (id === 'servicePrincipalSignInActivities')
        return list(url, tenant.servicePrincipalSignInActivities as never, paging, 'r', 'reports/servicePrincipalSignInActivities');
      if (id === 'appCredentialSignInActivities')
        return list(url, tenant.appCredentialSignInActivities as never, paging, 'r', 'reports/appCredentialSignInActivities');
      return undefined;
    default:
      return undefined;
  }
}
