/**
 * Microsoft Entra inventory builders for rule tests. A test writes the tenant as Graph objects (small
 * helpers below fill the defaults) and `entraInventory` normalises them with the connector's own
 * normaliser, so the attributes are exactly what a scan would produce (src/model/entra.ts).
 */
import { normaliseEntraSnapshot } from '../../connectors/entra/normalise.js';
import {
  emptyEntraSnapshot,
  type EntraSnapshot,
  type GraphApplication,
  type GraphDirectoryObject,
  type GraphKeyCredential,
  type GraphPasswordCredential,
  type GraphServicePrincipal,
} from '../../connectors/entra/snapshot.js';
import type { Inventory } from '../../src/model/index.js';
import { assignment, msGraphServicePrincipal, user } from '../entra/tenant.js';
import { TEST_NOW } from './core.js';

export const ENTRA_TEST_TENANT = '00000000-0000-0000-0000-0000000e0001';
export const OTHER_TENANT = '00000000-0000-0000-0000-0000000e0002';
export const GRAPH_SP_ID = '00000000-0000-0000-0000-0000000e0003';

let counter = 0;
const nextId = (kind: number) => `00000000-0000-4000-${String(8000 + kind)}-${String(++counter).padStart(12, '0')}`;
const day = (offset: number) => new Date(TEST_NOW.getTime() + offset * 86_400_000).toISOString();

/** A client secret valid from `startDays` to `endDays` relative to TEST_NOW. */
export function secretCred(displayName: string, startDays = -30, endDays = 150, hint = 'abc'): GraphPasswordCredential {
  return { keyId: nextId(1), displayName, hint, startDateTime: day(startDays), endDateTime: day(endDays) };
}

export function certCred(displayName: string, startDays = -30, endDays = 300, usage = 'Verify'): GraphKeyCredential {
  return { keyId: nextId(2), displayName, type: 'AsymmetricX509Cert', usage, startDateTime: day(startDays), endDateTime: day(endDays) };
}

export const activeOwner = (name = 'alice') => user(nextId(3), `${name}@contoso.example`, name);
export const disabledOwner = (name = 'bob') => user(nextId(3), `${name}@contoso.example`, name, false);

/** An app registration with one owner, no credentials, no federation. */
export function app(displayName: string, extra: Partial<GraphApplication> = {}): GraphApplication {
  return {
    id: nextId(4),
    appId: nextId(5),
    displayName,
    createdDateTime: day(-400),
    signInAudience: 'AzureADMyOrg',
    passwordCredentials: [],
    keyCredentials: [],
    requiredResourceAccess: [],
    owners: [activeOwner()],
    federatedIdentityCredentials: [],
    ...extra,
  };
}

/** The tenant's service principal of `application` (or a standalone one), no permissions. */
export function sp(displayName: string, extra: Partial<GraphServicePrincipal> & { application?: GraphApplication } = {}): GraphServicePrincipal {
  const { application, ...rest } = extra;
  return {
    id: nextId(6),
    appId: application?.appId ?? nextId(5),
    displayName,
    createdDateTime: day(-400),
    servicePrincipalType: 'Application',
    accountEnabled: true,
    appOwnerOrganizationId: ENTRA_TEST_TENANT,
    passwordCredentials: [],
    keyCredentials: [],
    appRoles: [],
    owners: [],
    appRoleAssignments: [],
    ...rest,
  };
}

/** Gives `principal` Microsoft Graph application permissions (by name). */
export function withGraphPermissions(principal: GraphServicePrincipal, ...permissions: string[]): GraphServicePrincipal {
  const graph = msGraphServicePrincipal(GRAPH_SP_ID);
  principal.appRoleAssignments = permissions.map((p) => assignment(nextId(7), principal, graph, p));
  return principal;
}

export interface EntraTenantSpec extends Partial<Omit<EntraSnapshot, 'applications' | 'servicePrincipals'>> {
  applications?: GraphApplication[];
  servicePrincipals?: GraphServicePrincipal[];
  /** Directory role name → member object ids. */
  roles?: Record<string, string[]>;
}

/** Normalises a small tenant (Microsoft Graph's service principal always included, sign-in reports read and empty by default). */
export function entraInventory(spec: EntraTenantSpec = {}): Inventory {
  const { roles, applications, servicePrincipals, ...rest } = spec;
  const snapshot: EntraSnapshot = {
    ...emptyEntraSnapshot(ENTRA_TEST_TENANT),
    oauth2PermissionGrants: [],
    directoryRoles: Object.entries(roles ?? {}).map(([displayName, members]) => ({
      id: nextId(8),
      displayName,
      members: members.map((id): GraphDirectoryObject => ({ '@odata.type': '#microsoft.graph.servicePrincipal', id })),
    })),
    servicePrincipalSignInActivities: [],
    appCredentialSignInActivities: [],
    ...rest,
    applications: applications ?? [],
    servicePrincipals: [msGraphServicePrincipal(GRAPH_SP_ID), ...(servicePrincipals ?? [])],
  };
  const { identities, credentials } = normaliseEntraSnapshot(snapshot, { now: TEST_NOW, source: 'entra' });
  return { identities, credentials };
}
