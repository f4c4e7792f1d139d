/**
 * The Entra snapshot: what the live collector gathers from Microsoft Graph and what the offline importer
 * reads. Every object keeps Graph's own wire shape (the JSON of the v1.0/beta API reference), with the
 * per-object relations the collector fetched embedded the way `$expand` would put them (`owners`,
 * `federatedIdentityCredentials`, `appRoleAssignments`). A relation that could not be read is `null`,
 * never `[]`: "none" and "unknown" must stay apart.
 *
 * No secret value is ever part of it: Graph returns `secretText` only at creation, and the collector
 * drops it defensively should it appear.
 */

export const ENTRA_SNAPSHOT_MARKER = 'entra';
export const ENTRA_SNAPSHOT_VERSION = 1;

export interface GraphPasswordCredential {
  keyId: string;
  displayName?: string | null;
  hint?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
  customKeyIdentifier?: string | null;
}

export interface GraphKeyCredential {
  keyId: string;
  displayName?: string | null;
  type?: string | null;
  usage?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
  customKeyIdentifier?: string | null;
}

export interface GraphFederatedIdentityCredential {
  id?: string;
  name: string;
  issuer: string;
  subject?: string | null;
  audiences?: string[];
  description?: string | null;
  claimsMatchingExpression?: { value?: string; languageVersion?: number } | null;
}

/** A directory object as `/owners` or `/members` list it (`@odata.type` tells users from service principals). */
export interface GraphDirectoryObject {
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  accountEnabled?: boolean | null;
}

export interface GraphRequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: { id: string; type: 'Role' | 'Scope' }[];
}

export interface GraphApplication {
  id: string;
  appId: string;
  displayName?: string | null;
  createdDateTime?: string | null;
  signInAudience?: string | null;
  publisherDomain?: string | null;
  tags?: string[];
  notes?: string | null;
  passwordCredentials?: GraphPasswordCredential[];
  keyCredentials?: GraphKeyCredential[];
  requiredResourceAccess?: GraphRequiredResourceAccess[];
  owners?: GraphDirectoryObject[] | null;
  federatedIdentityCredentials?: GraphFederatedIdentityCredential[] | null;
}

export interface GraphAppRole {
  id: string;
  value?: string | null;
  displayName?: string | null;
  allowedMemberTypes?: string[];
  isEnabled?: boolean;
}

export interface GraphAppRoleAssignment {
  id: string;
  appRoleId: string;
  createdDateTime?: string | null;
  principalId: string;
  principalType?: string | null;
  principalDisplayName?: string | null;
  resourceId: string;
  resourceDisplayName?: string | null;
}

export interface GraphServicePrincipal {
  id: string;
  appId: string;
  displayName?: string | null;
  createdDateTime?: string | null;
  servicePrincipalType?: string | null;
  accountEnabled?: boolean | null;
  appOwnerOrganizationId?: string | null;
  signInAudience?: string | null;
  tags?: string[];
  notes?: string | null;
  passwordCredentials?: GraphPasswordCredential[];
  keyCredentials?: GraphKeyCredential[];
  /** The roles this service principal exposes as a resource (Microsoft Graph's are its permissions). */
  appRoles?: GraphAppRole[];
  owners?: GraphDirectoryObject[] | null;
  /** Assignments where this service principal is the principal (the permissions it holds). */
  appRoleAssignments?: GraphAppRoleAssignment[] | null;
}

export interface GraphOAuth2PermissionGrant {
  id: string;
  clientId: string;
  consentType: string;
  principalId?: string | null;
  resourceId: string;
  scope?: string | null;
}

export interface GraphDirectoryRole {
  id: string;
  displayName: string;
  roleTemplateId?: string;
  members?: GraphDirectoryObject[] | null;
}

export interface GraphSignInActivity {
  lastSignInDateTime?: string | null;
  lastSignInRequestId?: string | null;
}

export interface GraphServicePrincipalSignInActivity {
  id?: string;
  appId: string;
  lastSignInActivity?: GraphSignInActivity | null;
  delegatedClientSignInActivity?: GraphSignInActivity | null;
  delegatedResourceSignInActivity?: GraphSignInActivity | null;
  applicationAuthenticationClientSignInActivity?: GraphSignInActivity | null;
  applicationAuthenticationResourceSignInActivity?: GraphSignInActivity | null;
}

export interface GraphAppCredentialSignInActivity {
  id?: string;
  keyId: string;
  keyType?: string;
  keyUsage?: string;
  appId?: string;
  appObjectId?: string | null;
  servicePrincipalObjectId?: string | null;
  resourceId?: string | null;
  credentialOrigin?: string;
  expirationDateTime?: string | null;
  createdDateTime?: string | null;
  signInActivity?: GraphSignInActivity | null;
}

/**
 * A user as `/users` and `/directory/deletedItems/microsoft.graph.user` list it (v1.0 user resource).
 * Users are people, never NHIs: they are what owners are joined against to know who has left.
 */
export interface GraphUser {
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  otherMails?: string[] | null;
  accountEnabled?: boolean | null;
  /** `Member` or `Guest`. */
  userType?: string | null;
  /** Set on deleted users (the directory keeps them 30 days). */
  deletedDateTime?: string | null;
}

export interface EntraSnapshot {
  nhiscanSnapshot: typeof ENTRA_SNAPSHOT_MARKER;
  version: typeof ENTRA_SNAPSHOT_VERSION;
  tenantId?: string;
  graphEndpoint?: string;
  collectedAt?: string;
  applications: GraphApplication[];
  servicePrincipals: GraphServicePrincipal[];
  /** null when not read (the reason is in `notCovered`). */
  oauth2PermissionGrants: GraphOAuth2PermissionGrant[] | null;
  directoryRoles: GraphDirectoryRole[] | null;
  servicePrincipalSignInActivities: GraphServicePrincipalSignInActivity[] | null;
  appCredentialSignInActivities: GraphAppCredentialSignInActivity[] | null;
  /**
   * Every user and every deleted user: the tenant's people. Absent in snapshots written before users
   * were read (no people then); null when they could not be read (the reason is in `notCovered`).
   */
  users?: GraphUser[] | null;
  deletedUsers?: GraphUser[] | null;
  notCovered: { part: string; reason: string }[];
}

export function emptyEntraSnapshot(tenantId?: string, graphEndpoint?: string): EntraSnapshot {
  return {
    nhiscanSnapshot: ENTRA_SNAPSHOT_MARKER,
    version: ENTRA_SNAPSHOT_VERSION,
    tenantId,
    graphEndpoint,
    applications: [],
    servicePrincipals: [],
    oauth2PermissionGrants: null,
    directoryRoles: null,
    servicePrincipalSignInActivities: null,
    appCredentialSignInActivities: null,
    notCovered: [],
  };
}

export function isEntraSnapshot(value: unknown): value is EntraSnapshot {
  return !!value && typeof value === 'object' && (value as { nhiscanSnapshot?: unknown }).nhiscanSnapshot === ENTRA_SNAPSHOT_MARKER;
}

/** `$select` lists: only what the normaliser reads (keeps 20,000-object pages small). */
export const APPLICATION_SELECT = [
  'id',
  'appId',
  'displayName',
  'createdDateTime',
  'signInAudience',
  'publisherDomain',
  'tags',
  'notes',
  'passwordCredentials',
  'keyCredentials',
  'requiredResourceAccess',
];
export const SERVICE_PRINCIPAL_SELECT = [
  'id',
  'appId',
  'displayName',
  'createdDateTime',
  'servicePrincipalType',
  'accountEnabled',
  'appOwnerOrganizationId',
  'signInAudience',
  'tags',
  'notes',
  'passwordCredentials',
  'keyCredentials',
  'appRoles',
];
export const USER_SELECT = ['id', 'displayName', 'userPrincipalName', 'mail', 'otherMails', 'accountEnabled', 'userType'];
export const DELETED_USER_SELECT = [...USER_SELECT, 'deletedDateTime'];
export const OWNER_SELECT = ['id', 'displayName', 'userPrincipalName', 'accountEnabled'];
