/**
 * The Entra snapshot and `az ad … list` exports as imports, checked part by part (src/import-check.ts):
 * an application, service principal, credential, owner, grant, role or sign-in record that does not fit
 * Graph's wire shape is skipped and named, and the source becomes `partial`. A top-level part or a
 * relation of the wrong type (`"owners": "x"`, `"notCovered": {}`) is read as not collected (null), never
 * as an empty list: "none" would pass for "no owner" or "no permission". Ambiguous values are read the
 * riskier way: an `accountEnabled` that is not a boolean as enabled, an end date that is not a string as
 * no end date.
 */
import { z } from 'zod';
import { ImportCheck } from '../../src/import-check.js';
import type { EntraSnapshot, GraphApplication, GraphServicePrincipal } from './snapshot.js';

const str = z.string();
const optStr = str.nullish();
const strings = z.array(str).optional();

const passwordCredential = z.looseObject({
  keyId: str.min(1),
  displayName: optStr,
  hint: optStr,
  startDateTime: optStr,
  endDateTime: optStr,
  customKeyIdentifier: optStr,
});
const keyCredential = passwordCredential.extend({ type: optStr, usage: optStr });
const RISKIER_CREDENTIAL = { endDateTime: undefined };
const federatedCredential = z.looseObject({
  id: str.optional(),
  name: str,
  issuer: str,
  subject: optStr,
  audiences: strings,
  description: optStr,
  claimsMatchingExpression: z.looseObject({ value: str.optional() }).nullish(),
});
const directoryObject = z.looseObject({
  '@odata.type': str.optional(),
  id: str.min(1),
  displayName: optStr,
  userPrincipalName: optStr,
  accountEnabled: z.boolean().nullish(),
});
/** An owner whose state is unclear is read as disabled: the offboarding rule then says so rather than stay quiet. */
const RISKIER_OWNER = { accountEnabled: false };
const requiredResourceAccess = z.looseObject({
  resourceAppId: str,
  resourceAccess: z.array(z.looseObject({ id: str, type: str })).optional(),
});
const appRole = z.looseObject({ id: str.min(1), value: optStr, displayName: optStr, allowedMemberTypes: strings, isEnabled: z.boolean().optional() });
const appRoleAssignment = z.looseObject({
  id: str.min(1),
  appRoleId: str,
  createdDateTime: optStr,
  principalId: str,
  principalType: optStr,
  principalDisplayName: optStr,
  resourceId: str,
  resourceDisplayName: optStr,
});
const common = {
  id: str.min(1),
  appId: str.min(1),
  displayName: optStr,
  createdDateTime: optStr,
  signInAudience: optStr,
  tags: strings,
  notes: optStr,
};
const application = z.looseObject({ ...common, publisherDomain: optStr });
const servicePrincipal = z.looseObject({
  ...common,
  servicePrincipalType: optStr,
  accountEnabled: z.boolean().nullish(),
  appOwnerOrganizationId: optStr,
});
/** A disabled service principal is judged less: a value that is not a boolean counts as enabled. */
const RISKIER_SP = { accountEnabled: true, tags: undefined };
const RISKIER_APP = { tags: undefined };
const grant = z.looseObject({ id: str.min(1), clientId: str, consentType: str, principalId: optStr, resourceId: str, scope: optStr });
const directoryRole = z.looseObject({ id: str.min(1), displayName: str, roleTemplateId: str.optional() });
const signIn = z.looseObject({ lastSignInDateTime: optStr }).nullish();
const spSignIn = z.looseObject({
  appId: str.min(1),
  lastSignInActivity: signIn,
  delegatedClientSignInActivity: signIn,
  delegatedResourceSignInActivity: signIn,
  applicationAuthenticationClientSignInActivity: signIn,
  applicationAuthenticationResourceSignInActivity: signIn,
});
const credentialSignIn = z.looseObject({ keyId: str.min(1), appId: str.optional(), signInActivity: signIn });
const notCoveredEntry = z.object({ part: str, reason: str });

/** A relation (`owners`, `appRoleAssignments`…): undefined or null stay so; a non-list is "not collected" (null). */
function relation<T>(check: ImportCheck, value: unknown, schema: z.ZodType<T>, at: string, riskier: Record<string, unknown> = {}): T[] | null | undefined {
  if (value === undefined || value === null) return value;
  if (!Array.isArray(value)) {
    check.note(at, 'not a list; read as not collected');
    return null;
  }
  return check.entries(value, schema, at, riskier);
}

function credentialsOf(check: ImportCheck, e: Record<string, unknown>, at: string) {
  return {
    passwordCredentials: check.entries(e.passwordCredentials, passwordCredential, `${at}.passwordCredentials`, RISKIER_CREDENTIAL),
    keyCredentials: check.entries(e.keyCredentials, keyCredential, `${at}.keyCredentials`, RISKIER_CREDENTIAL),
  };
}

export function checkEntraApplication(check: ImportCheck, entry: unknown, at: string): GraphApplication | undefined {
  const app = check.one(entry, application, at, RISKIER_APP);
  if (!app) return undefined;
  const e = app as Record<string, unknown>;
  return {
    ...app,
    ...credentialsOf(check, e, at),
    requiredResourceAccess: check.entries(e.requiredResourceAccess, requiredResourceAccess, `${at}.requiredResourceAccess`),
    owners: relation(check, e.owners, directoryObject, `${at}.owners`, RISKIER_OWNER),
    federatedIdentityCredentials: relation(check, e.federatedIdentityCredentials, federatedCredential, `${at}.federatedIdentityCredentials`),
  } as GraphApplication;
}

export function checkEntraServicePrincipal(check: ImportCheck, entry: unknown, at: string): GraphServicePrincipal | undefined {
  const sp = check.one(entry, servicePrincipal, at, RISKIER_SP);
  if (!sp) return undefined;
  const e = sp as Record<string, unknown>;
  return {
    ...sp,
    ...credentialsOf(check, e, at),
    appRoles: check.entries(e.appRoles, appRole, `${at}.appRoles`),
    owners: relation(check, e.owners, directoryObject, `${at}.owners`, RISKIER_OWNER),
    appRoleAssignments: relation(check, e.appRoleAssignments, appRoleAssignment, `${at}.appRoleAssignments`),
  } as GraphServicePrincipal;
}

function checkList<T>(check: ImportCheck, value: unknown, at: string, one: (check: ImportCheck, entry: unknown, at: string) => T | undefined): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    check.note(at, 'not a list; skipped');
    return [];
  }
  return value.flatMap((entry, i) => one(check, entry, `${at}[${i}]`) ?? []);
}

/** A nhiscan Entra snapshot, each part checked; what was skipped is noted in `check`. */
export function checkEntraSnapshot(raw: Record<string, unknown>, check: ImportCheck): EntraSnapshot {
  const text = (value: unknown, at: string): string | undefined => {
    if (value === undefined || value === null || typeof value === 'string') return (value ?? undefined) as string | undefined;
    check.note(at, 'not a string; ignored');
    return undefined;
  };
  const directoryRoles = relation(check, raw.directoryRoles, directoryRole, '$.directoryRoles')?.map((role, i) => ({
    ...role,
    members: relation(check, (role as Record<string, unknown>).members, directoryObject, `$.directoryRoles[${i}].members`, RISKIER_OWNER),
  }));
  return {
    ...raw,
    tenantId: text(raw.tenantId, '$.tenantId'),
    graphEndpoint: text(raw.graphEndpoint, '$.graphEndpoint'),
    collectedAt: text(raw.collectedAt, '$.collectedAt'),
    applications: checkList(check, raw.applications, '$.applications', checkEntraApplication),
    servicePrincipals: checkList(check, raw.servicePrincipals, '$.servicePrincipals', checkEntraServicePrincipal),
    oauth2PermissionGrants: relation(check, raw.oauth2PermissionGrants, grant, '$.oauth2PermissionGrants') ?? null,
    directoryRoles: directoryRoles ?? null,
    servicePrincipalSignInActivities: relation(check, raw.servicePrincipalSignInActivities, spSignIn, '$.servicePrincipalSignInActivities') ?? null,
    appCredentialSignInActivities: relation(check, raw.appCredentialSignInActivities, credentialSignIn, '$.appCredentialSignInActivities') ?? null,
    notCovered: check.entries(raw.notCovered, notCoveredEntry, '$.notCovered'),
  } as EntraSnapshot;
}
