/**
 * The Microsoft Entra ID attribute contract: what connectors/entra writes into `Identity.attributes`
 * and `Credential.attributes`, and what the Entra rules and the leak correlation read (through the
 * accessors below, never through casts of their own).
 *
 * Model (see docs/entra.md):
 * - an app registration is an identity of kind `entra-application`; the service principal that
 *   instantiates an app in a tenant (or a managed identity, or a third-party app's local copy) is an
 *   identity of kind `entra-service-principal`. Permissions are held by service principals, credentials
 *   usually by applications; both are joined by `appId`.
 * - client secrets (`passwordCredentials`) and certificates (`keyCredentials`) are credentials, on the
 *   application or on the service principal object itself (`on`). Their values are never returned by
 *   Graph; only `hint`, the secret's first three characters, is.
 * - federated identity credentials carry no secret and stay attributes of their application.
 */
import { attributesOf, isOfKind, kindGuard, type Credential, type Identity, type WithAttributes } from './index.js';

export const PROVIDER_ENTRA = 'entra';
export const KIND_APPLICATION = 'entra-application';
export const KIND_SERVICE_PRINCIPAL = 'entra-service-principal';
export const KIND_CLIENT_SECRET = 'entra-client-secret';
export const KIND_CERTIFICATE = 'entra-certificate';
export const ENTRA_CREDENTIAL_KINDS: readonly string[] = [KIND_CLIENT_SECRET, KIND_CERTIFICATE];

/** An owner as Graph lists it (`/owners`), with what offboarding needs to know. */
export interface EntraOwner {
  id: string;
  /** `#microsoft.graph.user` → user, `#microsoft.graph.servicePrincipal` → servicePrincipal. */
  type: 'user' | 'servicePrincipal' | 'unknown';
  displayName?: string;
  userPrincipalName?: string;
  /** false when the owning account is disabled. */
  accountEnabled?: boolean;
  /** true when Graph returns the owner as a bare directory object without a type: its account was deleted. */
  deleted?: boolean;
}

export interface EntraFederatedCredential {
  name: string;
  issuer: string;
  subject?: string;
  audiences: string[];
  /** Flexible FICs (`claimsMatchingExpression`) match many subjects by design. */
  claimsMatchingExpression?: string;
}

/** An application permission (app role assignment), resolved to its name through the resource's `appRoles`. */
export interface EntraAppPermission {
  resourceId: string;
  /** e.g. `Microsoft Graph`. */
  resourceName: string;
  /** The resource's appId (Microsoft Graph is 00000003-0000-0000-c000-000000000000). */
  resourceAppId?: string;
  appRoleId: string;
  /** e.g. `RoleManagement.ReadWrite.Directory`; the appRoleId when the resource could not be resolved. */
  permission: string;
}

/** A delegated permission grant (oauth2PermissionGrant). */
export interface EntraDelegatedGrant {
  resourceId: string;
  resourceName: string;
  scopes: string[];
  /** `AllPrincipals` (admin consent for everyone) or `Principal` (one user). */
  consentType: string;
}

/** `Identity.attributes` for kind `entra-application` (an app registration). */
export interface EntraApplicationAttributes {
  tenantId?: string;
  objectId: string;
  appId: string;
  /** AzureADMyOrg, AzureADMultipleOrgs, AzureADandPersonalMicrosoftAccount, PersonalMicrosoftAccount. */
  signInAudience?: string;
  multiTenant: boolean;
  /** Permissions the app asks for (its manifest), as resourceAppId → permission names/ids. */
  requiredResourceAccess: { resourceAppId: string; permissions: { id: string; type: 'Role' | 'Scope'; name?: string }[] }[];
  federatedCredentials: EntraFederatedCredential[];
  /** false when the federated credentials could not be listed: "none" would be a guess. */
  federatedCredentialsCollected: boolean;
  owners: EntraOwner[];
  ownersCollected: boolean;
  /** Object id of the app's service principal in this tenant, when one was collected. */
  servicePrincipalId?: string;
  passwordCredentialCount: number;
  keyCredentialCount: number;
  /** GitHub Actions secrets (`org/repo:NAME`) that hold a client secret of this app (src/entra/actions-secrets.ts). */
  githubSecrets?: string[];
}

export type ServicePrincipalType = 'Application' | 'ManagedIdentity' | 'Legacy' | 'SocialIdp' | (string & {});

/** `Identity.attributes` for kind `entra-service-principal`. */
export interface EntraServicePrincipalAttributes {
  tenantId?: string;
  objectId: string;
  appId: string;
  servicePrincipalType: ServicePrincipalType;
  accountEnabled: boolean;
  /** The tenant that registered the app: another tenant's id means a third-party (multi-tenant) app. */
  appOwnerOrganizationId?: string;
  /** Registered by Microsoft (first-party service). */
  microsoftFirstParty: boolean;
  /** Registered in another tenant than the one scanned, and not by Microsoft. */
  thirdParty: boolean;
  /** Managed identities, Microsoft's and other tenants' apps cannot be owned here. */
  providerManaged: boolean;
  /** Object id of the app registration in this tenant, when it is one of the tenant's own. */
  applicationObjectId?: string;
  owners: EntraOwner[];
  ownersCollected: boolean;
  appPermissions: EntraAppPermission[];
  appPermissionsCollected: boolean;
  delegatedGrants: EntraDelegatedGrant[];
  delegatedGrantsCollected: boolean;
  /** Directory roles the service principal is a member of (e.g. `Global Administrator`). */
  directoryRoles: string[];
  directoryRolesCollected: boolean;
  /** Last sign-in in any flow, from reports/servicePrincipalSignInActivities. */
  lastSignInAt?: string;
  /** false when the sign-in report could not be read (licence or AuditLog.Read.All missing). */
  signInActivityCollected: boolean;
  passwordCredentialCount: number;
  keyCredentialCount: number;
}

/** `Credential.attributes` for kinds `entra-client-secret` and `entra-certificate`. */
export interface EntraCredentialAttributes {
  tenantId?: string;
  keyId: string;
  /** Where the credential lives: the app registration, or the service principal object itself. */
  on: 'application' | 'servicePrincipal';
  /** Object id of the object that holds it. */
  holderObjectId: string;
  appId: string;
  displayName?: string;
  /** First three characters of a client secret (Graph's `hint`); not a secret by itself. */
  hint?: string;
  /** Certificate type/usage (`AsymmetricX509Cert`, `Verify`). */
  certificateType?: string;
  usage?: string;
  startAt?: string;
  /** Whether the credential sign-in report was read, so `lastUsedAt` absent means "not used" rather than "unknown". */
  usageTracked: boolean;
  supportsExpiry: true;
}

/* Typed accessors: they check provider and kind, then type the attributes the normaliser wrote. */

export type EntraApplication = WithAttributes<Identity, EntraApplicationAttributes>;
export type EntraServicePrincipal = WithAttributes<Identity, EntraServicePrincipalAttributes>;
export type EntraCredential = WithAttributes<Credential, EntraCredentialAttributes>;

export const isEntraApplication = kindGuard<Identity, EntraApplicationAttributes>(PROVIDER_ENTRA, [KIND_APPLICATION]);
export const isEntraServicePrincipal = kindGuard<Identity, EntraServicePrincipalAttributes>(PROVIDER_ENTRA, [KIND_SERVICE_PRINCIPAL]);

/** A managed Entra credential (never a secret found in code). */
export function isEntraCredential(credential: Credential): credential is EntraCredential {
  return isOfKind(credential, PROVIDER_ENTRA, ENTRA_CREDENTIAL_KINDS) && !credential.secret;
}

export const applicationAttributes = (identity: Identity): EntraApplicationAttributes => attributesOf(identity, isEntraApplication, 'an Entra application');
export const servicePrincipalAttributes = (identity: Identity): EntraServicePrincipalAttributes =>
  attributesOf(identity, isEntraServicePrincipal, 'an Entra service principal');
export const entraCredentialAttributes = (credential: Credential): EntraCredentialAttributes =>
  attributesOf(credential, isEntraCredential, 'an Entra credential');

/** What the leak correlation adds to a leaked client secret matched to an application. */
export interface EntraLeakMatchAttributes {
  entraMatchedCredentialId: string;
  entraMatchedCredentialStatus: Credential['status'];
  entraApplicationName: string;
  entraAppId: string;
  /** Application permissions and directory roles of the app's service principal. */
  entraPermissions: string[];
  entraTier0: string[];
  entraOwners: string[];
  /** How the match was made: the hint alone, or hint plus the app/tenant id found beside the secret. */
  entraMatchedBy: 'hint' | 'hint+appId' | 'hint+tenantId';
}

export function entraLeakMatch(credential: Credential): EntraLeakMatchAttributes | undefined {
  const a = credential.attributes as Partial<EntraLeakMatchAttributes>;
  return typeof a.entraMatchedCredentialId === 'string' ? (a as EntraLeakMatchAttributes) : undefined;
}

/**
 * The Entra application a secret stored outside Entra (a GitHub Actions secret) is linked to, by a leak
 * match or by the repository the app's federated credential trusts; a string or nothing (an imported
 * report may hold any shape).
 */
export function linkedEntraAppId(credential: Credential): string | undefined {
  const appId: unknown = credential.attributes.entraAppId;
  return typeof appId === 'string' && appId ? appId : undefined;
}

export const MICROSOFT_TENANT_IDS = new Set([
  'f8cdef31-a31e-4b4a-93e4-5f571e91255a', // Microsoft Services
  '72f988bf-86f1-41af-91ab-2d7cd011db47', // Microsoft (corp)
]);

/**
 * Tier-0 application permissions: each lets the holder grant itself (or anyone) any other permission
 * or role, so holding one is as good as Global Administrator. Microsoft's own classification of
 * these "privileged" Graph permissions (learn.microsoft.com, "Microsoft Graph permissions reference").
 */
export const TIER0_APP_PERMISSIONS = [
  'RoleManagement.ReadWrite.Directory',
  'AppRoleAssignment.ReadWrite.All',
  'Application.ReadWrite.All',
  'Directory.ReadWrite.All',
];

/** Directory roles that can take over the tenant or any application in it. */
export const TIER0_DIRECTORY_ROLES = [
  'Global Administrator',
  'Privileged Role Administrator',
  'Privileged Authentication Administrator',
  'Application Administrator',
  'Cloud Application Administrator',
];

/** The tier-0 permissions and roles a service principal holds, as display strings. */
export function tier0Of(sp: EntraServicePrincipalAttributes): string[] {
  const perms = sp.appPermissions.filter((p) => TIER0_APP_PERMISSIONS.includes(p.permission)).map((p) => `${p.resourceName}: ${p.permission}`);
  const roles = sp.directoryRoles.filter((r) => TIER0_DIRECTORY_ROLES.includes(r)).map((r) => `directory role: ${r}`);
  return [...new Set([...perms, ...roles])];
}
