/**
 * A Google Cloud snapshot as an import (an nhiscan snapshot, or the one an asset export is turned into),
 * checked part by part (src/import-check.ts): a project, service account, key, binding, pool, activity
 * or recommendation that does not fit the wire shape is skipped and named (never guessed), and the source
 * becomes `partial`. An optional list keeps its absence: no `accountActivities` means usage was not
 * read, which is not the same as none; one that is not a list is read as absent too, and named.
 */
import { z } from 'zod';
import { ImportCheck } from '../../src/import-check.js';
import type { GcpProjectSnapshot, GcpSnapshot, WirePolicy } from './snapshot.js';

const str = z.string();
const optStr = str.optional();
const strings = z.array(str).optional();

export const accountSchema = z.looseObject({
  email: str.regex(/^[^@\s]+@[^@\s]+$/),
  name: optStr,
  projectId: str.min(1).optional(),
  uniqueId: optStr,
  displayName: optStr,
  description: optStr,
  oauth2ClientId: optStr,
  disabled: z.boolean().optional(),
});

export const keySchema = z.looseObject({
  name: str.regex(/\/keys\/[^/]+$/),
  keyAlgorithm: optStr,
  privateKeyType: optStr,
  validAfterTime: optStr,
  validBeforeTime: optStr,
  keyOrigin: optStr,
  keyType: optStr,
  disabled: z.boolean().optional(),
  disableReason: optStr,
  extendedStatus: z.array(z.looseObject({ key: optStr, value: optStr })).optional(),
});

export const bindingSchema = z.looseObject({
  role: str.min(1),
  members: strings,
  condition: z.looseObject({ title: optStr, expression: optStr, description: optStr }).optional(),
});
const project = z.looseObject({
  projectId: str.min(1),
  name: optStr,
  parent: optStr,
  state: optStr,
  displayName: optStr,
  labels: z.record(str, str).optional(),
});
const provider = z.looseObject({
  name: str.min(1),
  displayName: optStr,
  state: optStr,
  disabled: z.boolean().optional(),
  attributeMapping: z.record(str, str).optional(),
  attributeCondition: optStr,
  oidc: z.looseObject({ issuerUri: optStr, allowedAudiences: strings }).optional(),
  aws: z.looseObject({ accountId: optStr }).optional(),
});
const pool = z.looseObject({ name: str.min(1), displayName: optStr, state: optStr, disabled: z.boolean().optional() });
const activityRef = z.looseObject({ fullResourceName: optStr, projectNumber: optStr, serviceAccountId: optStr }).optional();
const activity = z.looseObject({
  fullResourceName: optStr,
  activityType: optStr,
  activity: z.looseObject({ lastAuthenticatedTime: optStr, serviceAccount: activityRef, serviceAccountKey: activityRef }).optional(),
});
const operation = z.looseObject({ action: optStr, resource: optStr, path: optStr, pathFilters: z.record(str, z.unknown()).optional() });
const recommendation = z.looseObject({
  name: str.min(1),
  description: optStr,
  recommenderSubtype: optStr,
  stateInfo: z.looseObject({ state: optStr }).optional(),
  content: z.looseObject({ operationGroups: z.array(z.looseObject({ operations: z.array(operation).optional() })).optional() }).optional(),
});
const notCoveredEntry = z.object({ part: str, reason: str });
const named = z.looseObject({ name: str.min(1), parent: optStr });

/** A policy with its bindings checked one by one; undefined when absent or not an object. */
export function checkPolicy(check: ImportCheck, value: unknown, at: string): WirePolicy | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    check.note(at, 'not an IAM policy object; skipped');
    return undefined;
  }
  const raw = value as Record<string, unknown>;
  return {
    ...raw,
    etag: typeof raw.etag === 'string' ? raw.etag : undefined,
    version: typeof raw.version === 'number' ? raw.version : undefined,
    bindings: optionalList(check, raw.bindings, bindingSchema, `${at}.bindings`),
  } as WirePolicy;
}

/** An optional list: absent stays absent, a non-list is named and read as absent, entries are checked. */
function optionalList<T>(check: ImportCheck, value: unknown, schema: z.ZodType<T>, at: string): T[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    check.note(at, 'not a list; read as not collected');
    return undefined;
  }
  return check.entries(value, schema, at);
}

function checkProject(check: ImportCheck, entry: unknown, at: string): GcpProjectSnapshot | undefined {
  const checked = check.one(entry, z.looseObject({ project }), at);
  if (!checked) return undefined;
  const e = checked as Record<string, unknown>;
  const serviceAccounts = optionalList(check, e.serviceAccounts, z.looseObject({ account: accountSchema }), `${at}.serviceAccounts`);
  return {
    ...checked,
    policy: checkPolicy(check, e.policy, `${at}.policy`),
    serviceAccounts: serviceAccounts?.map((sa, i) => ({
      ...sa,
      keys: optionalList(check, (sa as Record<string, unknown>).keys, keySchema, `${at}.serviceAccounts[${i}].keys`),
      policy: checkPolicy(check, (sa as Record<string, unknown>).policy, `${at}.serviceAccounts[${i}].policy`),
    })),
    workloadIdentityPools: optionalList(check, e.workloadIdentityPools, pool, `${at}.workloadIdentityPools`)?.map((p, i) => ({
      ...p,
      providers: optionalList(check, (p as Record<string, unknown>).providers, provider, `${at}.workloadIdentityPools[${i}].providers`),
    })),
    accountActivities: optionalList(check, e.accountActivities, activity, `${at}.accountActivities`),
    keyActivities: optionalList(check, e.keyActivities, activity, `${at}.keyActivities`),
    roleRecommendations: optionalList(check, e.roleRecommendations, recommendation, `${at}.roleRecommendations`),
    notCovered: optionalList(check, e.notCovered, notCoveredEntry, `${at}.notCovered`),
  } as GcpProjectSnapshot;
}

/** The snapshot with every part checked; what was skipped is noted in `check`. */
export function checkGcpSnapshot(raw: Record<string, unknown>, check: ImportCheck): GcpSnapshot {
  const organization = raw.organization === undefined ? undefined : check.one(raw.organization, named, '$.organization');
  return {
    ...raw,
    nhiscanSnapshot: 'gcp',
    version: 1,
    collectedAt: typeof raw.collectedAt === 'string' ? raw.collectedAt : undefined,
    organization: organization && { ...organization, policy: checkPolicy(check, (organization as Record<string, unknown>).policy, '$.organization.policy') },
    folders: optionalList(check, raw.folders, named, '$.folders')?.map((f, i) => ({
      ...f,
      policy: checkPolicy(check, (f as Record<string, unknown>).policy, `$.folders[${i}].policy`),
    })),
    projects: Array.isArray(raw.projects) ? raw.projects.flatMap((p, i) => checkProject(check, p, `$.projects[${i}]`) ?? []) : [],
    notCovered: optionalList(check, raw.notCovered, notCoveredEntry, '$.notCovered'),
  } as GcpSnapshot;
}
