/**
 * Turns what was collected for one account (authorization details, credential report, access-key
 * listings) into the shared model. The live connector and every importer go through here, so the
 * same account yields the same ids and attributes whichever way it was read.
 */
import { makeId, type Credential, type Identity } from '../../src/model/index.js';
import { toIsoDate } from '../../src/time.js';
import type { AttachedPolicy, AwsAccessKeyAttributes, AwsPrincipalAttributes, PolicyDocument } from '../../src/model/aws.js';
import type { RawAttached, RawAuthDetails, RawBoundary, RawInline, RawPolicy, RawRole, RawTag, RawUser } from './auth-details.js';
import { decodePolicyDocument, PolicyDocumentError } from './documents.js';
import type { ReportKeySlot, ReportRow } from './credential-report.js';

/** One access key as ListAccessKeys (+ GetAccessKeyLastUsed) describes it. */
export interface KeyMetadata {
  accessKeyId: string;
  userName: string;
  status: 'Active' | 'Inactive' | string;
  createDate?: string;
  lastUsedDate?: string;
  lastUsedService?: string;
  lastUsedRegion?: string;
}

export interface AccountSnapshot {
  /** When unknown (e.g. a list-access-keys export alone), taken from the ARNs. */
  accountId?: string;
  details?: RawAuthDetails;
  report?: ReportRow[];
  /** Access keys listed per user, keyed by user name. */
  keys?: KeyMetadata[];
}

export interface BuiltAccount {
  identities: Identity[];
  credentials: Credential[];
  /** Things that could not be read (bad documents, policies absent from the export). */
  problems: { part: string; message: string }[];
}

const EMPTY_DOCUMENT: PolicyDocument = { Version: '2012-10-17', Statement: [] };

export const userId = (arn: string) => makeId('aws', 'iam-user', arn);
export const roleId = (arn: string) => makeId('aws', 'iam-role', arn);
export const rootId = (arn: string) => makeId('aws', 'iam-root', arn);
export const keyId = (nativeId: string) => makeId('aws', 'aws-access-key', nativeId);
/** Stable native id for a key known only from its credential-report slot (the report has no key ids). */
export const slotKeyNativeId = (userArn: string, slot: number) => `${userArn}#key${slot}`;

export function tagsOf(tags: RawTag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key) out[t.Key] = t.Value ?? '';
  return out;
}

export function buildAccount(snapshot: AccountSnapshot, source: string): BuiltAccount {
  const details = snapshot.details;
  const build: Build = {
    source,
    accountId: snapshot.accountId ?? '',
    problems: [],
    identities: [],
    credentials: [],
    reportByArn: new Map((snapshot.report ?? []).map((r) => [r.arn, r])),
    usersByName: new Map(),
  };
  if (details) {
    const resolver = policyResolver(details, build.problems);
    for (const user of details.UserDetailList ?? []) addUser(build, resolver, user);
    for (const role of details.RoleDetailList ?? []) addRole(build, resolver, role);
  }
  const unlisted = addReportRows(
    build,
    snapshot.report ?? [],
    groupBy(snapshot.keys ?? [], (k) => k.userName),
  );
  // Keys listed without a report row (no report, or the fallback path): they carry their own facts.
  for (const [userName, keys] of unlisted) {
    const arn = build.usersByName.get(userName);
    for (const key of keys) build.credentials.push(listedKey(key, arn, build.accountId, source));
  }
  return { identities: build.identities, credentials: build.credentials, problems: build.problems };
}

/** What the phases of `buildAccount` share: the snapshot's indexes and the lists they fill. */
interface Build extends BuiltAccount {
  source: string;
  accountId: string;
  reportByArn: Map<string, ReportRow>;
  /** User name → ARN, for key listings that only name the user. */
  usersByName: Map<string, string>;
}

type Resolver = ReturnType<typeof policyResolver>;

function addUser(build: Build, resolver: Resolver, user: RawUser): void {
  if (!user.Arn || !user.UserName) return;
  const account = accountOf(user.Arn, build.accountId);
  build.usersByName.set(user.UserName, user.Arn);
  const policies: AttachedPolicy[] = [
    ...resolver.managed(user.AttachedManagedPolicies, 'managed'),
    ...resolver.inline(user.UserPolicyList, 'inline', `user ${user.UserName}`),
  ];
  for (const groupName of user.GroupList ?? []) policies.push(...resolver.group(groupName));
  const row = build.reportByArn.get(user.Arn);
  const attributes: AwsPrincipalAttributes = {
    arn: user.Arn,
    accountId: account,
    path: user.Path,
    uniqueId: user.UserId,
    policies,
    groups: user.GroupList ?? [],
    permissionsBoundary: resolver.boundary(user.PermissionsBoundary),
    ...(row ? reportUserFacts(row) : {}),
  };
  build.identities.push({
    id: userId(user.Arn),
    provider: 'aws',
    kind: 'iam-user',
    nativeId: user.Arn,
    name: user.UserName,
    scope: account,
    tags: tagsOf(user.Tags),
    grants: [],
    createdAt: toIsoDate(user.CreateDate),
    lastUsedAt: row ? userLastUsed(row) : undefined,
    status: 'active',
    attributes: strip(attributes),
    source: build.source,
  });
}

function addRole(build: Build, resolver: Resolver, role: RawRole): void {
  if (!role.Arn || !role.RoleName) return;
  const account = accountOf(role.Arn, build.accountId);
  let trustPolicy: PolicyDocument | undefined;
  try {
    trustPolicy =
      role.AssumeRolePolicyDocument === undefined ? undefined : decodePolicyDocument(role.AssumeRolePolicyDocument, `trust policy of role ${role.RoleName}`);
  } catch (error) {
    build.problems.push({ part: `role:${role.RoleName}`, message: (error as Error).message });
  }
  const path = role.Path ?? '/';
  const serviceLinked = path.startsWith('/aws-service-role/');
  const attributes: AwsPrincipalAttributes = {
    arn: role.Arn,
    accountId: account,
    path,
    uniqueId: role.RoleId,
    policies: [...resolver.managed(role.AttachedManagedPolicies, 'managed'), ...resolver.inline(role.RolePolicyList, 'inline', `role ${role.RoleName}`)],
    permissionsBoundary: resolver.boundary(role.PermissionsBoundary),
    trustPolicy,
    roleLastUsedRegion: role.RoleLastUsed?.Region,
    instanceProfiles: (role.InstanceProfileList ?? []).map((p) => p.InstanceProfileName ?? p.Arn ?? '').filter(Boolean),
    serviceLinked: serviceLinked || undefined,
    // Service-linked roles are owned by the AWS service; /aws-reserved/ roles by IAM Identity Center. Neither takes owner tags.
    providerManaged: serviceLinked || path.startsWith('/aws-reserved/') || undefined,
  };
  build.identities.push({
    id: roleId(role.Arn),
    provider: 'aws',
    kind: 'iam-role',
    nativeId: role.Arn,
    name: role.RoleName,
    scope: account,
    tags: tagsOf(role.Tags),
    grants: [],
    createdAt: toIsoDate(role.CreateDate),
    lastUsedAt: toIsoDate(role.RoleLastUsed?.LastUsedDate),
    status: 'active',
    attributes: strip(attributes),
    source: build.source,
  });
}

/**
 * Credential report rows: root, users the details did not cover (report-only import), and every key slot.
 * Returns the listed keys no row claimed.
 */
function addReportRows(build: Build, report: ReportRow[], keysByUser: Map<string, KeyMetadata[]>): Map<string, KeyMetadata[]> {
  for (const row of report) {
    if (!row.arn) continue;
    const account = accountOf(row.arn, build.accountId);
    if (row.isRoot) build.identities.push(rootIdentity(row, account, build.source));
    else if (!build.usersByName.has(row.user)) {
      build.usersByName.set(row.user, row.arn);
      build.identities.push(reportOnlyUser(row, account, build.source));
    }
    const listed = row.isRoot ? [] : (keysByUser.get(row.user) ?? []);
    build.credentials.push(...reportKeys(row, account, listed, build.source));
    if (!row.isRoot) keysByUser.delete(row.user);
  }
  return keysByUser;
}

function rootIdentity(row: ReportRow, account: string, source: string): Identity {
  return {
    id: rootId(row.arn),
    provider: 'aws',
    kind: 'iam-root',
    nativeId: row.arn,
    name: `root (${account})`,
    scope: account,
    tags: {},
    grants: [],
    createdAt: row.createdAt,
    lastUsedAt: userLastUsed(row),
    status: 'active',
    attributes: strip({ arn: row.arn, accountId: account, policies: [], providerManaged: true, ...reportUserFacts(row) } satisfies AwsPrincipalAttributes),
    source,
  };
}

/**
 * Report-only view: no `policies` key, so that merging with an authorization-details import of the
 * same user (engine: first source wins per attribute) never lets an empty list hide the real policies.
 */
function reportOnlyUser(row: ReportRow, account: string, source: string): Identity {
  return {
    id: userId(row.arn),
    provider: 'aws',
    kind: 'iam-user',
    nativeId: row.arn,
    name: row.user,
    scope: account,
    tags: {},
    grants: [],
    createdAt: row.createdAt,
    lastUsedAt: userLastUsed(row),
    status: 'active',
    attributes: strip({ arn: row.arn, accountId: account, ...reportUserFacts(row) }),
    source,
  };
}

function accountOf(arn: string, fallback: string): string {
  return arn.split(':')[4] || fallback;
}

function reportUserFacts(row: ReportRow): Partial<AwsPrincipalAttributes> {
  return { passwordEnabled: row.passwordEnabled, passwordLastUsed: row.passwordLastUsed, mfaActive: row.mfaActive };
}

function userLastUsed(row: ReportRow): string | undefined {
  const dates = [row.passwordLastUsed, ...row.keys.map((k) => k.lastUsedDate)].filter((d): d is string => !!d);
  return dates.sort().at(-1);
}

/**
 * Report slots matched to listed keys by creation time (a slot's `last_rotated` is its key's
 * CreateDate); when exactly one slot and one key remain unmatched they are paired. Unmatched slots
 * keep a slot-derived id.
 */
function reportKeys(row: ReportRow, account: string, listed: KeyMetadata[], source: string): Credential[] {
  const remaining = [...listed];
  const pairs: [ReportKeySlot, KeyMetadata | undefined][] = row.keys.map((slot) => {
    const i = remaining.findIndex((k) => sameSecond(k.createDate, slot.lastRotated));
    return [slot, i >= 0 ? remaining.splice(i, 1)[0] : undefined];
  });
  const unmatched = pairs.filter(([, k]) => !k);
  if (unmatched.length === 1 && remaining.length === 1) unmatched[0]![1] = remaining.pop();
  const out = pairs.map(([slot, key]) => slotKey(row, account, slot, key, source));
  // Listed keys with no slot (e.g. the report predates them) still count.
  for (const key of remaining) out.push(listedKey(key, row.arn, account, source));
  return out;
}

function slotKey(row: ReportRow, account: string, slot: ReportKeySlot, key: KeyMetadata | undefined, source: string): Credential {
  const nativeId = key?.accessKeyId ?? slotKeyNativeId(row.arn, slot.slot);
  const userName = row.isRoot ? 'root' : row.user;
  const attributes: AwsAccessKeyAttributes = {
    accessKeyId: key?.accessKeyId ?? '',
    userName,
    accountId: account,
    slot: slot.slot,
    lastUsedService: slot.lastUsedService ?? key?.lastUsedService,
    lastUsedRegion: slot.lastUsedRegion ?? key?.lastUsedRegion,
    supportsExpiry: false,
    usageTracked: true,
    isRoot: row.isRoot || undefined,
    idFromReportSlot: key ? undefined : true,
  };
  const createdAt = key?.createDate ?? slot.lastRotated;
  return {
    id: keyId(nativeId),
    provider: 'aws',
    kind: 'aws-access-key',
    nativeId,
    name: key ? `${userName}/${key.accessKeyId}` : `${userName}/key${slot.slot}`,
    identityId: row.isRoot ? rootId(row.arn) : userId(row.arn),
    scope: account,
    tags: {},
    createdAt,
    lastRotatedAt: createdAt,
    lastUsedAt: slot.lastUsedDate ?? key?.lastUsedDate,
    status: (key ? key.status === 'Active' : slot.active) ? 'active' : 'inactive',
    attributes: strip(attributes),
    source,
  };
}

export function listedKey(key: KeyMetadata, userArn: string | undefined, account: string, source: string): Credential {
  const attributes: AwsAccessKeyAttributes = {
    accessKeyId: key.accessKeyId,
    userName: key.userName,
    accountId: (userArn && accountOf(userArn, account)) || account,
    lastUsedService: key.lastUsedService,
    lastUsedRegion: key.lastUsedRegion,
    supportsExpiry: false,
    usageTracked: true,
  };
  return {
    id: keyId(key.accessKeyId),
    provider: 'aws',
    kind: 'aws-access-key',
    nativeId: key.accessKeyId,
    name: `${key.userName}/${key.accessKeyId}`,
    identityId: userArn ? userId(userArn) : undefined,
    scope: attributes.accountId || undefined,
    tags: {},
    createdAt: key.createDate,
    lastRotatedAt: key.createDate,
    lastUsedAt: key.lastUsedDate,
    status: key.status === 'Active' ? 'active' : 'inactive',
    attributes: strip(attributes),
    source,
  };
}

function sameSecond(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && Math.floor(Date.parse(a) / 1000) === Math.floor(Date.parse(b) / 1000);
}

/** Resolves managed policy ARNs and group names against the export's own catalogue. */
function policyResolver(details: RawAuthDetails, problems: BuiltAccount['problems']) {
  const policies = new Map<string, RawPolicy>();
  for (const p of details.Policies ?? []) if (p.Arn) policies.set(p.Arn, p);
  const groups = new Map((details.GroupDetailList ?? []).filter((g) => g.GroupName).map((g) => [g.GroupName!, g]));
  const documents = new Map<string, PolicyDocument | undefined>();
  const reported = new Set<string>();

  const managedDocument = (arn: string): PolicyDocument | undefined => {
    if (documents.has(arn)) return documents.get(arn);
    const policy = policies.get(arn);
    let document: PolicyDocument | undefined;
    if (policy) document = defaultVersionDocument(policy, arn, problems);
    else if (!reported.has(arn)) {
      reported.add(arn);
      problems.push({ part: `policy:${arn}`, message: `managed policy ${arn} is attached but not in the export (import every page of a multi-page export)` });
    }
    documents.set(arn, document);
    return document;
  };

  const managed = (list: RawAttached[] | undefined, type: 'managed' | 'group-managed', group?: string): AttachedPolicy[] =>
    (list ?? [])
      .filter((a) => a.PolicyArn)
      .map((a) => {
        const document = managedDocument(a.PolicyArn!);
        return strip({
          name: a.PolicyName ?? a.PolicyArn!.split('/').at(-1)!,
          arn: a.PolicyArn,
          type,
          group,
          awsManaged: a.PolicyArn!.includes(':iam::aws:policy/'),
          document: document ?? EMPTY_DOCUMENT,
          unresolved: document ? undefined : true,
        });
      });

  const inline = (list: RawInline[] | undefined, type: 'inline' | 'group-inline', owner: string, group?: string): AttachedPolicy[] =>
    (list ?? []).flatMap((p) => {
      try {
        return [
          strip({
            name: p.PolicyName ?? '(unnamed)',
            type,
            group,
            document: decodePolicyDocument(p.PolicyDocument, `inline policy ${p.PolicyName} of ${owner}`),
          }),
        ];
      } catch (error) {
        if (!(error instanceof PolicyDocumentError)) throw error;
        problems.push({ part: `${owner.replace(' ', ':')}`, message: error.message });
        return [];
      }
    });

  const group = (name: string): AttachedPolicy[] => {
    const g = groups.get(name);
    if (!g) {
      if (!reported.has(`group:${name}`)) {
        reported.add(`group:${name}`);
        problems.push({ part: `group:${name}`, message: `group ${name} is referenced but not in the export (import every page of a multi-page export)` });
      }
      return [];
    }
    return [...managed(g.AttachedManagedPolicies, 'group-managed', name), ...inline(g.GroupPolicyList, 'group-inline', `group ${name}`, name)];
  };

  const boundary = (b: RawBoundary | undefined): AwsPrincipalAttributes['permissionsBoundary'] => {
    if (!b?.PermissionsBoundaryArn) return undefined;
    return strip({ arn: b.PermissionsBoundaryArn, document: managedDocument(b.PermissionsBoundaryArn) });
  };

  return { managed, inline, group, boundary };
}

/** The default version's document of a managed policy; a missing or unreadable one is a problem, not an error. */
function defaultVersionDocument(policy: RawPolicy, arn: string, problems: BuiltAccount['problems']): PolicyDocument | undefined {
  const versions = policy.PolicyVersionList ?? [];
  const version =
    versions.find((v) => v.IsDefaultVersion === true) ??
    versions.find((v) => v.VersionId && v.VersionId === policy.DefaultVersionId) ??
    (versions.length === 1 ? versions[0] : undefined);
  try {
    if (version) return decodePolicyDocument(version.Document, `managed policy ${arn}`);
    problems.push({ part: `policy:${arn}`, message: `managed policy ${arn} has no default version document in the export` });
  } catch (error) {
    if (!(error instanceof PolicyDocumentError)) throw error;
    problems.push({ part: `policy:${arn}`, message: error.message });
  }
  return undefined;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    map.set(k, [...(map.get(k) ?? []), item]);
  }
  return map;
}

/** Drops undefined fields so reports and merges stay clean. */
function strip<T extends object>(value: T): T & Record<string, unknown> {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value as T & Record<string, unknown>;
}
