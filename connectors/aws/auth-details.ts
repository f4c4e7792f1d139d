/**
 * The `GetAccountAuthorizationDetails` data, in the shape shared by the SDK's output and the AWS CLI's
 * JSON (PascalCase keys). Dates may be Date objects (SDK), `2020-01-01T00:00:00+00:00` (CLI),
 * `…Z` or epoch numbers (re-serialised); documents may be URL-encoded strings or objects.
 */

export interface RawTag {
  Key?: string;
  Value?: string;
}
export interface RawAttached {
  PolicyName?: string;
  PolicyArn?: string;
}
export interface RawInline {
  PolicyName?: string;
  PolicyDocument?: unknown;
}
export interface RawBoundary {
  PermissionsBoundaryType?: string;
  PermissionsBoundaryArn?: string;
}
export type RawDate = string | number | Date | undefined;

export interface RawUser {
  Path?: string;
  UserName?: string;
  UserId?: string;
  Arn?: string;
  CreateDate?: RawDate;
  UserPolicyList?: RawInline[];
  GroupList?: string[];
  AttachedManagedPolicies?: RawAttached[];
  PermissionsBoundary?: RawBoundary;
  Tags?: RawTag[];
}
export interface RawGroup {
  Path?: string;
  GroupName?: string;
  GroupId?: string;
  Arn?: string;
  CreateDate?: RawDate;
  GroupPolicyList?: RawInline[];
  AttachedManagedPolicies?: RawAttached[];
}
export interface RawRole {
  Path?: string;
  RoleName?: string;
  RoleId?: string;
  Arn?: string;
  CreateDate?: RawDate;
  AssumeRolePolicyDocument?: unknown;
  InstanceProfileList?: { InstanceProfileName?: string; Arn?: string }[];
  RolePolicyList?: RawInline[];
  AttachedManagedPolicies?: RawAttached[];
  PermissionsBoundary?: RawBoundary;
  Tags?: RawTag[];
  RoleLastUsed?: { LastUsedDate?: RawDate; Region?: string };
}
export interface RawPolicyVersion {
  Document?: unknown;
  VersionId?: string;
  IsDefaultVersion?: boolean;
  CreateDate?: RawDate;
}
export interface RawPolicy {
  PolicyName?: string;
  PolicyId?: string;
  Arn?: string;
  Path?: string;
  DefaultVersionId?: string;
  AttachmentCount?: number;
  IsAttachable?: boolean;
  CreateDate?: RawDate;
  UpdateDate?: RawDate;
  PolicyVersionList?: RawPolicyVersion[];
}

export interface RawAuthDetails {
  UserDetailList?: RawUser[];
  GroupDetailList?: RawGroup[];
  RoleDetailList?: RawRole[];
  Policies?: RawPolicy[];
  IsTruncated?: boolean;
  Marker?: string;
  /** The AWS CLI's own pagination token when run with `--max-items`. */
  NextToken?: string;
}

const LIST_KEYS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;

/** True when the value looks like (a page of) `get-account-authorization-details` output. */
export function isAuthDetails(value: unknown): value is RawAuthDetails {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return LIST_KEYS.some((k) => Array.isArray(v[k])) && LIST_KEYS.every((k) => v[k] === undefined || Array.isArray(v[k]));
}

/** True when the page says more pages follow (raw API paging or the CLI's `--max-items` paging). */
/** How many of each kind a page (or merged pages) lists: the stats every AWS source reports. */
export function detailCounts(details: RawAuthDetails): { users: number; roles: number; groups: number; policies: number } {
  return {
    users: details.UserDetailList?.length ?? 0,
    roles: details.RoleDetailList?.length ?? 0,
    groups: details.GroupDetailList?.length ?? 0,
    policies: details.Policies?.length ?? 0,
  };
}

export function isTruncatedPage(details: RawAuthDetails): boolean {
  return details.IsTruncated === true || typeof details.NextToken === 'string';
}

/** Concatenates pages; a later duplicate (same ARN) replaces an earlier one. */
export function mergeAuthDetails(pages: RawAuthDetails[]): RawAuthDetails {
  const byArn = <T extends { Arn?: string }>(lists: (T[] | undefined)[]): T[] => {
    const map = new Map<string, T>();
    const anonymous: T[] = [];
    for (const list of lists) {
      for (const item of list ?? []) {
        if (item.Arn) map.set(item.Arn, item);
        else anonymous.push(item);
      }
    }
    return [...map.values(), ...anonymous];
  };
  return {
    UserDetailList: byArn(pages.map((p) => p.UserDetailList)),
    GroupDetailList: byArn(pages.map((p) => p.GroupDetailList)),
    RoleDetailList: byArn(pages.map((p) => p.RoleDetailList)),
    Policies: byArn(pages.map((p) => p.Policies)),
  };
}

/** The 12-digit account id in an IAM ARN (`arn:aws:iam::123456789012:user/x`). */
export function accountOfArn(arn: string | undefined): string | undefined {
  return arn?.split(':')[4] || undefined;
}

/** The first account id found in the export, for naming the account of an import. */
export function accountOfDetails(details: RawAuthDetails): string | undefined {
  const arns = [
    ...(details.UserDetailList ?? []).map((u) => u.Arn),
    ...(details.RoleDetailList ?? []).map((r) => r.Arn),
    ...(details.GroupDetailList ?? []).map((g) => g.Arn),
    ...(details.Policies ?? []).map((p) => p.Arn).filter((a) => a && !a.includes(':iam::aws:')),
  ];
  for (const arn of arns) {
    const account = accountOfArn(arn);
    if (account && /^\d{12}$/.test(account)) return account;
  }
  return undefined;
}
