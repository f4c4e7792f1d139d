/**
 * The pure step from an Entra snapshot (Graph wire shapes) to nhiscan's inventory. No I/O and no clock
 * but `now`, so the live collector and the offline importer give identical inventories.
 */
import { contractAttributes, makeId, type Credential, type Grant, type Identity, type Owner, type Person } from '../../src/model/index.js';
import {
  KIND_APPLICATION,
  KIND_CERTIFICATE,
  KIND_CLIENT_SECRET,
  KIND_SERVICE_PRINCIPAL,
  MICROSOFT_TENANT_IDS,
  PROVIDER_ENTRA,
  type EntraAppPermission,
  type EntraApplicationAttributes,
  type EntraCredentialAttributes,
  type EntraDelegatedGrant,
  type EntraOwner,
  type EntraServicePrincipalAttributes,
} from '../../src/model/entra.js';
import { toIsoDate } from '../../src/time.js';
import { peopleOfSnapshot } from './people.js';
import type {
  EntraSnapshot,
  GraphApplication,
  GraphDirectoryObject,
  GraphKeyCredential,
  GraphPasswordCredential,
  GraphServicePrincipal,
  GraphSignInActivity,
} from './snapshot.js';

export interface NormalisedEntra {
  identities: Identity[];
  credentials: Credential[];
  /** The tenant's users and deleted users, when the snapshot holds them. */
  people: Person[];
  notCovered: { part: string; reason: string }[];
}

const lower = (s: string) => s.toLowerCase();

export function applicationIdentityId(objectId: string): string {
  return makeId(PROVIDER_ENTRA, KIND_APPLICATION, lower(objectId));
}

export function servicePrincipalIdentityId(objectId: string): string {
  return makeId(PROVIDER_ENTRA, KIND_SERVICE_PRINCIPAL, lower(objectId));
}

function ownerOf(o: GraphDirectoryObject): EntraOwner {
  const odataType = (o['@odata.type'] ?? '').toLowerCase();
  const type = odataType.endsWith('.user') ? 'user' : odataType.endsWith('.serviceprincipal') ? 'servicePrincipal' : 'unknown';
  return {
    id: o.id,
    type,
    ...(o.displayName ? { displayName: o.displayName } : {}),
    ...(o.userPrincipalName ? { userPrincipalName: o.userPrincipalName } : {}),
    ...(typeof o.accountEnabled === 'boolean' ? { accountEnabled: o.accountEnabled } : {}),
    // A bare directoryObject has lost its type: the account behind it is gone.
    ...(odataType.endsWith('.directoryobject') ? { deleted: true } : {}),
  };
}

/** The first active owner becomes the model's `owner`; inactive ones still count for offboarding rules. */
function modelOwner(owners: EntraOwner[]): Owner | undefined {
  const first = owners.find((o) => o.accountEnabled !== false && !o.deleted) ?? owners[0];
  if (!first) return undefined;
  return {
    id: first.userPrincipalName ?? first.id,
    kind: first.type === 'user' ? 'user' : first.type === 'servicePrincipal' ? 'service' : 'unknown',
    source: 'entra:owners',
    ...(first.displayName ? { displayName: first.displayName } : {}),
    active: first.accountEnabled !== false && !first.deleted,
  };
}

function latest(...dates: (string | null | undefined)[]): string | undefined {
  const iso = dates
    .map((d) => toIsoDate(d))
    .filter((d): d is string => !!d)
    .sort();
  return iso[iso.length - 1];
}

function lastSignIn(a: Record<string, GraphSignInActivity | null | undefined | string> | undefined): string | undefined {
  if (!a) return undefined;
  const activities = Object.values(a).filter((v): v is GraphSignInActivity => !!v && typeof v === 'object');
  return latest(...activities.map((v) => v.lastSignInDateTime));
}

function credentialStatus(end: string | undefined, now: Date): Credential['status'] {
  return end && new Date(end).getTime() <= now.getTime() ? 'expired' : 'active';
}

interface Holder {
  on: 'application' | 'servicePrincipal';
  objectId: string;
  appId: string;
  name: string;
  identityId: string;
  tenantId?: string;
  owner?: Owner;
}

interface UsageIndex {
  /** keyId → last sign-in; absent map when the report was not read. */
  byKeyId?: Map<string, string | undefined>;
}

function credentialOf(
  holder: Holder,
  c: GraphPasswordCredential | GraphKeyCredential,
  kind: typeof KIND_CLIENT_SECRET | typeof KIND_CERTIFICATE,
  usage: UsageIndex,
  now: Date,
  source: string,
): Credential {
  const start = toIsoDate(c.startDateTime);
  const end = toIsoDate(c.endDateTime);
  const key = c as GraphKeyCredential & GraphPasswordCredential;
  const attributes: EntraCredentialAttributes = {
    ...(holder.tenantId ? { tenantId: holder.tenantId } : {}),
    keyId: lower(c.keyId),
    on: holder.on,
    holderObjectId: holder.objectId,
    appId: holder.appId,
    ...(c.displayName ? { displayName: c.displayName } : {}),
    ...(kind === KIND_CLIENT_SECRET && key.hint ? { hint: key.hint } : {}),
    ...(kind === KIND_CERTIFICATE && key.type ? { certificateType: key.type } : {}),
    ...(kind === KIND_CERTIFICATE && key.usage ? { usage: key.usage } : {}),
    ...(start ? { startAt: start } : {}),
    usageTracked: !!usage.byKeyId,
    supportsExpiry: true,
  };
  const label = c.displayName ? `${holder.name}/${c.displayName}` : `${holder.name}/${lower(c.keyId).slice(0, 8)}`;
  const lastUsedAt = usage.byKeyId?.get(lower(c.keyId));
  return {
    id: makeId(PROVIDER_ENTRA, kind, `${lower(holder.objectId)}/${lower(c.keyId)}`),
    provider: PROVIDER_ENTRA,
    kind,
    nativeId: lower(c.keyId),
    name: label,
    identityId: holder.identityId,
    ...(holder.tenantId ? { scope: holder.tenantId } : {}),
    ...(holder.owner ? { owner: holder.owner } : {}),
    tags: {},
    ...(start ? { createdAt: start, lastRotatedAt: start } : {}),
    ...(lastUsedAt ? { lastUsedAt } : {}),
    ...(end ? { expiresAt: end } : {}),
    status: credentialStatus(end, now),
    attributes: contractAttributes(attributes),
    source,
  };
}

function credentialsOf(
  holder: Holder,
  obj: { passwordCredentials?: GraphPasswordCredential[]; keyCredentials?: GraphKeyCredential[] },
  usage: UsageIndex,
  now: Date,
  source: string,
): Credential[] {
  return [
    ...(obj.passwordCredentials ?? []).filter((c) => c?.keyId).map((c) => credentialOf(holder, c, KIND_CLIENT_SECRET, usage, now, source)),
    // A certificate is uploaded as two keyCredentials (Verify + Sign) only for SAML signing; both are listed.
    ...(obj.keyCredentials ?? []).filter((c) => c?.keyId).map((c) => credentialOf(holder, c, KIND_CERTIFICATE, usage, now, source)),
  ];
}

/** Lookup tables the normaliser needs across objects. */
interface Index {
  tenantId?: string;
  spById: Map<string, GraphServicePrincipal>;
  spByAppId: Map<string, GraphServicePrincipal>;
  appByAppId: Map<string, GraphApplication>;
  roleName: Map<string, string>;
  spSignIn?: Map<string, string | undefined>;
  usage: UsageIndex;
}

function buildIndex(snapshot: EntraSnapshot): Index {
  const spById = new Map(snapshot.servicePrincipals.map((sp) => [lower(sp.id), sp]));
  const spByAppId = new Map(snapshot.servicePrincipals.map((sp) => [lower(sp.appId), sp]));
  const appByAppId = new Map(snapshot.applications.map((a) => [lower(a.appId), a]));
  // appRoleId is unique per resource: key by resource + role.
  const roleName = new Map<string, string>();
  for (const sp of snapshot.servicePrincipals) {
    for (const role of sp.appRoles ?? []) roleName.set(`${lower(sp.id)}/${lower(role.id)}`, role.value ?? role.displayName ?? role.id);
  }
  const spSignIn = snapshot.servicePrincipalSignInActivities
    ? new Map(snapshot.servicePrincipalSignInActivities.map((a) => [lower(a.appId), lastSignIn(a as never)]))
    : undefined;
  const byKeyId = snapshot.appCredentialSignInActivities
    ? new Map<string, string | undefined>(snapshot.appCredentialSignInActivities.map((a) => [lower(a.keyId), toIsoDate(a.signInActivity?.lastSignInDateTime)]))
    : undefined;
  return { tenantId: snapshot.tenantId, spById, spByAppId, appByAppId, roleName, spSignIn, usage: { byKeyId } };
}

function applicationIdentity(app: GraphApplication, index: Index, source: string): Identity {
  const owners = (app.owners ?? []).map(ownerOf);
  const sp = index.spByAppId.get(lower(app.appId));
  const requiredResourceAccess = (app.requiredResourceAccess ?? []).map((r) => {
    const resource = index.spByAppId.get(lower(r.resourceAppId));
    return {
      resourceAppId: r.resourceAppId,
      permissions: (r.resourceAccess ?? []).map((p) => {
        const name = p.type === 'Role' && resource ? index.roleName.get(`${lower(resource.id)}/${lower(p.id)}`) : undefined;
        return { id: p.id, type: p.type, ...(name ? { name } : {}) };
      }),
    };
  });
  const attributes: EntraApplicationAttributes = {
    ...(index.tenantId ? { tenantId: index.tenantId } : {}),
    objectId: app.id,
    appId: app.appId,
    ...(app.signInAudience ? { signInAudience: app.signInAudience } : {}),
    multiTenant: /multipleorgs|personalmicrosoftaccount/i.test(app.signInAudience ?? ''),
    requiredResourceAccess,
    federatedCredentials: (app.federatedIdentityCredentials ?? []).map((f) => ({
      name: f.name,
      issuer: f.issuer,
      ...(f.subject ? { subject: f.subject } : {}),
      audiences: f.audiences ?? [],
      ...(f.claimsMatchingExpression?.value ? { claimsMatchingExpression: f.claimsMatchingExpression.value } : {}),
    })),
    federatedCredentialsCollected: app.federatedIdentityCredentials !== null && app.federatedIdentityCredentials !== undefined,
    owners,
    ownersCollected: app.owners !== null && app.owners !== undefined,
    ...(sp ? { servicePrincipalId: sp.id } : {}),
    passwordCredentialCount: (app.passwordCredentials ?? []).length,
    keyCredentialCount: (app.keyCredentials ?? []).length,
  };
  const owner = modelOwner(owners);
  return {
    id: applicationIdentityId(app.id),
    provider: PROVIDER_ENTRA,
    kind: KIND_APPLICATION,
    nativeId: lower(app.id),
    name: app.displayName ?? app.appId,
    ...(index.tenantId ? { scope: index.tenantId } : {}),
    ...(owner ? { owner } : {}),
    tags: Object.fromEntries((app.tags ?? []).map((t) => [t, 'true'])),
    grants: [],
    ...(toIsoDate(app.createdDateTime) ? { createdAt: toIsoDate(app.createdDateTime) } : {}),
    ...(sp && index.spSignIn?.get(lower(app.appId)) ? { lastUsedAt: index.spSignIn.get(lower(app.appId)) } : {}),
    status: 'active',
    attributes: contractAttributes(attributes),
    source,
  };
}

function appPermissionsOf(sp: GraphServicePrincipal, index: Index): EntraAppPermission[] | undefined {
  if (!sp.appRoleAssignments) return undefined;
  return sp.appRoleAssignments.map((a) => {
    const resource = index.spById.get(lower(a.resourceId));
    const name = index.roleName.get(`${lower(a.resourceId)}/${lower(a.appRoleId)}`);
    return {
      resourceId: a.resourceId,
      resourceName: a.resourceDisplayName ?? resource?.displayName ?? a.resourceId,
      ...(resource ? { resourceAppId: resource.appId } : {}),
      appRoleId: a.appRoleId,
      // The all-zero role id is the "default access" assignment, which grants no permission.
      permission: name ?? (/^0{8}-/.test(a.appRoleId) ? 'default access' : a.appRoleId),
    };
  });
}

function delegatedGrantsOf(sp: GraphServicePrincipal, snapshot: EntraSnapshot, index: Index): EntraDelegatedGrant[] | undefined {
  if (!snapshot.oauth2PermissionGrants) return undefined;
  return snapshot.oauth2PermissionGrants
    .filter((g) => lower(g.clientId) === lower(sp.id))
    .map((g) => ({
      resourceId: g.resourceId,
      resourceName: index.spById.get(lower(g.resourceId))?.displayName ?? g.resourceId,
      scopes: (g.scope ?? '').split(/\s+/).filter(Boolean),
      consentType: g.consentType,
    }));
}

function rolesByMember(snapshot: EntraSnapshot): Map<string, string[]> | undefined {
  if (!snapshot.directoryRoles) return undefined;
  const out = new Map<string, string[]>();
  for (const role of snapshot.directoryRoles) {
    for (const m of role.members ?? []) out.set(lower(m.id), [...(out.get(lower(m.id)) ?? []), role.displayName]);
  }
  return out;
}

function grantsOf(perms: EntraAppPermission[], delegated: EntraDelegatedGrant[], roles: string[]): Grant[] {
  return [
    ...perms
      .filter((p) => p.permission !== 'default access')
      .map((p): Grant => ({
        resource: p.resourceName,
        actions: [p.permission],
        effect: 'allow',
        via: 'appRoleAssignment',
        level: /ReadWrite|\.Write|FullControl|\.All$/i.test(p.permission) && !/^[^.]+\.Read\.All$/i.test(p.permission) ? 'write' : 'read',
      })),
    ...delegated.map((g): Grant => ({
      resource: g.resourceName,
      actions: g.scopes,
      effect: 'allow',
      via: `oauth2PermissionGrant (${g.consentType})`,
      level: g.scopes.some((s) => /ReadWrite|Write/i.test(s)) ? 'write' : 'read',
    })),
    ...roles.map((r): Grant => ({ resource: 'directory', actions: [r], effect: 'allow', via: 'directoryRole', level: 'admin' })),
  ];
}

function servicePrincipalIdentity(
  sp: GraphServicePrincipal,
  snapshot: EntraSnapshot,
  index: Index,
  memberRoles: Map<string, string[]> | undefined,
  source: string,
): Identity {
  const owners = (sp.owners ?? []).map(ownerOf);
  const ownerOrg = sp.appOwnerOrganizationId ?? undefined;
  const microsoft = !!ownerOrg && MICROSOFT_TENANT_IDS.has(lower(ownerOrg));
  const type = sp.servicePrincipalType ?? 'Application';
  const thirdParty = !!ownerOrg && !microsoft && !!index.tenantId && lower(ownerOrg) !== lower(index.tenantId);
  const app = index.appByAppId.get(lower(sp.appId));
  const perms = appPermissionsOf(sp, index);
  const delegated = delegatedGrantsOf(sp, snapshot, index);
  const roles = memberRoles?.get(lower(sp.id));
  const attributes: EntraServicePrincipalAttributes = {
    ...(index.tenantId ? { tenantId: index.tenantId } : {}),
    objectId: sp.id,
    appId: sp.appId,
    servicePrincipalType: type,
    accountEnabled: sp.accountEnabled !== false,
    ...(ownerOrg ? { appOwnerOrganizationId: ownerOrg } : {}),
    microsoftFirstParty: microsoft,
    thirdParty,
    providerManaged: type === 'ManagedIdentity' || microsoft || thirdParty,
    ...(app ? { applicationObjectId: app.id } : {}),
    owners,
    ownersCollected: sp.owners !== null && sp.owners !== undefined,
    appPermissions: perms ?? [],
    appPermissionsCollected: !!perms,
    delegatedGrants: delegated ?? [],
    delegatedGrantsCollected: !!delegated,
    directoryRoles: roles ?? [],
    directoryRolesCollected: !!memberRoles,
    ...(index.spSignIn?.get(lower(sp.appId)) ? { lastSignInAt: index.spSignIn.get(lower(sp.appId)) } : {}),
    signInActivityCollected: !!index.spSignIn,
    passwordCredentialCount: (sp.passwordCredentials ?? []).length,
    keyCredentialCount: (sp.keyCredentials ?? []).length,
  };
  const owner = modelOwner(owners);
  return {
    id: servicePrincipalIdentityId(sp.id),
    provider: PROVIDER_ENTRA,
    kind: KIND_SERVICE_PRINCIPAL,
    nativeId: lower(sp.id),
    name: sp.displayName ?? sp.appId,
    ...(index.tenantId ? { scope: index.tenantId } : {}),
    ...(owner ? { owner } : {}),
    tags: Object.fromEntries((sp.tags ?? []).map((t) => [t, 'true'])),
    grants: grantsOf(perms ?? [], delegated ?? [], roles ?? []),
    ...(toIsoDate(sp.createdDateTime) ? { createdAt: toIsoDate(sp.createdDateTime) } : {}),
    ...(attributes.lastSignInAt ? { lastUsedAt: attributes.lastSignInAt } : {}),
    status: sp.accountEnabled === false ? 'inactive' : 'active',
    attributes: contractAttributes(attributes),
    source,
  };
}

export function normaliseEntraSnapshot(snapshot: EntraSnapshot, options: { now: Date; source: string }): NormalisedEntra {
  const { now, source } = options;
  const index = buildIndex(snapshot);
  const memberRoles = rolesByMember(snapshot);
  const identities: Identity[] = [];
  const credentials: Credential[] = [];
  const seen = new Set<string>();
  for (const app of snapshot.applications) {
    const identity = applicationIdentity(app, index, source);
    if (seen.has(identity.id)) continue;
    seen.add(identity.id);
    identities.push(identity);
    const holder: Holder = {
      on: 'application',
      objectId: app.id,
      appId: app.appId,
      name: identity.name,
      identityId: identity.id,
      tenantId: index.tenantId,
      owner: identity.owner,
    };
    credentials.push(...credentialsOf(holder, app, index.usage, now, source));
  }
  for (const sp of snapshot.servicePrincipals) {
    const identity = servicePrincipalIdentity(sp, snapshot, index, memberRoles, source);
    if (seen.has(identity.id)) continue;
    seen.add(identity.id);
    identities.push(identity);
    const holder: Holder = {
      on: 'servicePrincipal',
      objectId: sp.id,
      appId: sp.appId,
      name: identity.name,
      identityId: identity.id,
      tenantId: index.tenantId,
      owner: identity.owner,
    };
    credentials.push(...credentialsOf(holder, sp, index.usage, now, source));
  }
  return { identities, credentials, people: peopleOfSnapshot(snapshot, source), notCovered: [...snapshot.notCovered] };
}
