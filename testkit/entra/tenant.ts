/**
 * The emulated Entra tenant: Graph objects in the API reference's shapes, relations embedded (the
 * emulator serves them at their own paths), and builders shared by the fixture tenant, the sample
 * estate and the bench's large tenant.
 */
import type {
  GraphAppCredentialSignInActivity,
  GraphAppRole,
  GraphApplication,
  GraphDirectoryObject,
  GraphDirectoryRole,
  GraphOAuth2PermissionGrant,
  GraphServicePrincipal,
  GraphServicePrincipalSignInActivity,
  GraphUser,
} from '../../connectors/entra/snapshot.js';

export interface EmuTenant {
  tenantId: string;
  displayName: string;
  applications: GraphApplication[];
  servicePrincipals: GraphServicePrincipal[];
  oauth2PermissionGrants: GraphOAuth2PermissionGrant[];
  directoryRoles: GraphDirectoryRole[];
  servicePrincipalSignInActivities: GraphServicePrincipalSignInActivity[];
  appCredentialSignInActivities: GraphAppCredentialSignInActivity[];
  /** The tenant's users (`/users`) and deleted users (`/directory/deletedItems/microsoft.graph.user`). */
  users?: GraphUser[];
  deletedUsers?: GraphUser[];
  /** Lookup by object id, built once (large tenants are routed per request). */
  index(): { apps: Map<string, GraphApplication>; sps: Map<string, GraphServicePrincipal> };
}

export function makeTenant(parts: Omit<EmuTenant, 'index'>): EmuTenant {
  let cached: ReturnType<EmuTenant['index']> | undefined;
  return {
    ...parts,
    index() {
      cached ??= { apps: new Map(parts.applications.map((a) => [a.id, a])), sps: new Map(parts.servicePrincipals.map((s) => [s.id, s])) };
      return cached;
    },
  };
}

/** Microsoft Graph's own service principal, with the application permissions (appRoles) the rules name; ids as Microsoft publishes them. */
export const MS_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const MICROSOFT_SERVICES_TENANT = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
export const GRAPH_ROLES: Record<string, string> = {
  'RoleManagement.ReadWrite.Directory': '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8',
  'Application.ReadWrite.All': '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9',
  'AppRoleAssignment.ReadWrite.All': '06b708a9-e830-4db3-a914-8e69da51d44f',
  'Directory.ReadWrite.All': '19dbc75e-c2e2-444c-a770-ec69d8559fc7',
  'Directory.Read.All': '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
  'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
  'Mail.Send': 'b633e1c5-b582-4048-a93e-9f11b44c7e96',
  'AuditLog.Read.All': 'b0afded3-3588-46d8-8b3d-9842eff778da',
};

export function graphAppRoles(): GraphAppRole[] {
  return Object.entries(GRAPH_ROLES).map(([value, id]) => ({ id, value, displayName: value, allowedMemberTypes: ['Application'], isEnabled: true }));
}

export function user(id: string, upn: string, displayName: string, accountEnabled = true): GraphDirectoryObject {
  return { '@odata.type': '#microsoft.graph.user', id, displayName, userPrincipalName: upn, accountEnabled };
}

/** A user as `/users` holds it; `deletedDays` ago makes it a deleted user, its UPN renamed as Entra renames it. */
export function directoryUser(id: string, upn: string, displayName: string, extra: Partial<GraphUser> & { deletedAt?: string } = {}): GraphUser {
  const { deletedAt, ...rest } = extra;
  return {
    id,
    displayName,
    userPrincipalName: deletedAt ? `${id.replace(/-/g, '')}${upn}` : upn,
    mail: upn,
    otherMails: [],
    accountEnabled: true,
    userType: 'Member',
    ...(deletedAt ? { deletedDateTime: deletedAt } : {}),
    ...rest,
  };
}

export function msGraphServicePrincipal(id: string): GraphServicePrincipal {
  return {
    id,
    appId: MS_GRAPH_APP_ID,
    displayName: 'Microsoft Graph',
    servicePrincipalType: 'Application',
    accountEnabled: true,
    appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT,
    signInAudience: 'AzureADMultipleOrgs',
    tags: [],
    passwordCredentials: [],
    keyCredentials: [],
    appRoles: graphAppRoles(),
    owners: [],
    appRoleAssignments: [],
  };
}

export function assignment(id: string, principal: GraphServicePrincipal, resource: GraphServicePrincipal, roleName: string, created?: string) {
  const role = resource.appRoles?.find((r) => r.value === roleName);
  if (!role) throw new Error(`${resource.displayName} has no app role ${roleName}`);
  return {
    id,
    appRoleId: role.id,
    createdDateTime: created ?? '2025-01-10T10:00:00Z',
    principalDisplayName: principal.displayName ?? null,
    principalId: principal.id,
    principalType: 'ServicePrincipal',
    resourceDisplayName: resource.displayName ?? null,
    resourceId: resource.id,
  };
}
