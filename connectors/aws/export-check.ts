/**
 * AWS exports as imports: each principal, policy and key entry checked against the shape the AWS CLI
 * prints (src/import-check.ts). An entry that does not fit is skipped and named; the rest is read.
 * Policy documents stay free-form (their statements are read by the IAM analysis, which tolerates
 * what it does not understand); their nesting is bounded by the engine before this runs.
 */
import { z } from 'zod';
import { ImportCheck } from '../../src/import-check.js';
import type { RawAuthDetails } from './auth-details.js';

const str = z.string();
const date = z.union([z.string(), z.number()]).nullish();
const tags = z.array(z.looseObject({ Key: str, Value: str.optional() })).optional();
const attached = z.array(z.looseObject({ PolicyArn: str, PolicyName: str.optional() })).optional();
const inline = z.array(z.looseObject({ PolicyName: str, PolicyDocument: z.unknown() })).optional();
const boundary = z.looseObject({ PermissionsBoundaryArn: str.optional(), PermissionsBoundaryType: str.optional() }).optional();

const user = z.looseObject({
  UserName: str,
  Arn: str.optional(),
  UserId: str.optional(),
  Path: str.optional(),
  CreateDate: date,
  UserPolicyList: inline,
  GroupList: z.array(str).optional(),
  AttachedManagedPolicies: attached,
  PermissionsBoundary: boundary,
  Tags: tags,
});
const group = z.looseObject({
  GroupName: str,
  Arn: str.optional(),
  Path: str.optional(),
  CreateDate: date,
  GroupPolicyList: inline,
  AttachedManagedPolicies: attached,
});
const role = z.looseObject({
  RoleName: str,
  Arn: str.optional(),
  Path: str.optional(),
  CreateDate: date,
  AssumeRolePolicyDocument: z.unknown(),
  InstanceProfileList: z.array(z.looseObject({ InstanceProfileName: str.optional(), Arn: str.optional() })).optional(),
  RolePolicyList: inline,
  AttachedManagedPolicies: attached,
  PermissionsBoundary: boundary,
  Tags: tags,
  RoleLastUsed: z.looseObject({ LastUsedDate: date, Region: str.optional() }).optional(),
});
const policy = z.looseObject({
  Arn: str,
  PolicyName: str.optional(),
  DefaultVersionId: str.optional(),
  Path: str.optional(),
  CreateDate: date,
  UpdateDate: date,
  PolicyVersionList: z
    .array(z.looseObject({ Document: z.unknown(), VersionId: str.optional(), IsDefaultVersion: z.boolean().optional(), CreateDate: date }))
    .optional(),
});

/** One page of authorization details with the entries that fit; the rest noted on `check`. */
export function checkAuthDetails(page: RawAuthDetails, check: ImportCheck, prefix = '$'): RawAuthDetails {
  const p = page as Record<string, unknown>;
  return {
    ...page,
    UserDetailList: check.entries(p.UserDetailList, user, `${prefix}.UserDetailList`),
    GroupDetailList: check.entries(p.GroupDetailList, group, `${prefix}.GroupDetailList`),
    RoleDetailList: check.entries(p.RoleDetailList, role, `${prefix}.RoleDetailList`),
    Policies: check.entries(p.Policies, policy, `${prefix}.Policies`),
  } as RawAuthDetails;
}

export const accessKeyEntry = z.looseObject({
  AccessKeyId: str.min(1),
  UserName: str.min(1),
  Status: z.enum(['Active', 'Inactive', 'Expired']).optional(),
  CreateDate: date,
});

/** An entry of `aws secretsmanager list-secrets`, with the `ResourcePolicy` string of `get-resource-policy` when added. */
export const secretEntry = z.looseObject({
  ARN: str.min(1),
  Name: str.optional(),
  Description: str.optional(),
  KmsKeyId: str.optional(),
  RotationEnabled: z.boolean().optional(),
  RotationRules: z.looseObject({ AutomaticallyAfterDays: z.number().optional() }).optional(),
  CreatedDate: date,
  LastRotatedDate: date,
  LastChangedDate: date,
  LastAccessedDate: date,
  DeletedDate: date,
  OwningService: str.optional(),
  Tags: tags,
  ResourcePolicy: z.unknown().optional(),
});

export { ImportCheck };
