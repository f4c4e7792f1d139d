/**
 * Settings of the `aws` source: `settings.aws` in the config, plus the `--aws-org-role` CLI option.
 * Unknown keys are ignored because `ctx.options` also carries other connectors' CLI options.
 */
import type { z } from 'zod';
import { lazySchema } from '../../../src/zod-lazy.js';

const endpoint = lazySchema((z) => z.string().url());

export const awsSettingsSchema = lazySchema((z) =>
  z.object({
    /** Role to assume in every account of the AWS Organization (`--aws-org-role`). */
    orgRole: z.string().min(1).optional(),
    /** ExternalId to send when assuming `orgRole`, if the role's trust policy requires one. */
    orgExternalId: z.string().min(1).optional(),
    /** Only these account ids of the organization (default: every ACTIVE account). */
    orgAccounts: z.array(z.string().regex(/^\d{12}$/)).optional(),
    /** Region used to sign requests (IAM is global); default: the profile's / AWS_REGION, else us-east-1. */
    region: z.string().min(1).optional(),
    /**
     * Regions whose KMS keys, secrets, Lambda functions, SNS topics and SQS queues are read (S3 is listed
     * once: ListBuckets is global). Default: `region` alone.
     */
    regions: z
      .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'an AWS region looks like eu-west-1 or us-gov-west-1'))
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'each region once')
      .optional(),
    /** Explicit endpoint for every AWS API; AWS_ENDPOINT_URL(_IAM/_STS/_ORGANIZATIONS) work too. */
    endpoint: endpoint.optional(),
    endpoints: z
      .object({
        iam: endpoint.optional(),
        sts: endpoint.optional(),
        organizations: endpoint.optional(),
        kms: endpoint.optional(),
        secretsmanager: endpoint.optional(),
        s3: endpoint.optional(),
        lambda: endpoint.optional(),
        sns: endpoint.optional(),
        sqs: endpoint.optional(),
      })
      .optional(),
    /** SDK attempts per call, with the SDK's adaptive retry mode (backoff, jitter, client-side rate limiting). */
    maxAttempts: z.number().int().min(1).max(30).default(10),
    /** Concurrent API calls per account (key listings), and accounts scanned at once. */
    concurrency: z.number().int().min(1).max(64).default(8),
    accountConcurrency: z.number().int().min(1).max(16).default(2),
    /** GetAccountAuthorizationDetails page size (the API's maximum is 1000). */
    pageSize: z.number().int().min(1).max(1000).default(1000),
    /** First wait between credential-report polls (doubles up to 10 s), and the overall limit. */
    reportPollMs: z.number().int().min(0).default(1000),
    reportTimeoutMs: z.number().int().min(0).default(180_000),
    /** List access key ids (ListAccessKeys for users the report shows with keys); needed for leak correlation. */
    accessKeyIds: z.boolean().default(true),
    /**
     * Read the resource-based policies of KMS keys, Secrets Manager secrets, S3 buckets, Lambda functions, SNS topics
     * and SQS queues in the scan's region or `regions` (secrets and keys are also judged as credentials). Off: IAM only.
     */
    resourcePolicies: z.boolean().default(true),
    /** With `orgRole`: read the organisation's service control policies (ListPolicies, DescribePolicy, ListTargetsForPolicy, ListParents). */
    serviceControlPolicies: z.boolean().default(true),
    /** Per-request timeout. */
    requestTimeoutMs: z.number().int().min(100).default(60_000),
  }),
);

export type AwsSettings = z.infer<typeof awsSettingsSchema>;

export function parseAwsSettings(options: Record<string, unknown>): AwsSettings {
  const known = Object.keys(awsSettingsSchema.shape);
  const picked: Record<string, unknown> = Object.fromEntries(Object.entries(options).filter(([k, v]) => known.includes(k) && v !== undefined));
  if (typeof options['aws-org-role'] === 'string' && options['aws-org-role']) picked.orgRole = options['aws-org-role'];
  const result = awsSettingsSchema.safeParse(picked);
  if (!result.success) {
    throw new Error(`invalid settings.aws: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return result.data;
}
