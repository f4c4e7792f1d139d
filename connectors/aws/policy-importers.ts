/**
 * Offline imports of resource-based policies, in the shape the AWS CLI prints them, one output or an
 * array of outputs (`... | jq -s .`) per file (loops in docs/aws.md):
 * - `aws s3api get-bucket-policy` `{"Policy": "..."}`, plus `Bucket` (and `AccountId`) added by the loop;
 * - `aws lambda get-policy` `{"Policy": "...", "RevisionId": "..."}`, plus `FunctionArn` and `Role` from
 *   `list-functions` added by the loop;
 * - `aws sns get-topic-attributes` `{"Attributes": {"Policy": "...", "TopicArn": "...", ...}}`;
 * - `aws sqs get-queue-attributes --attribute-names Policy QueueArn` `{"Attributes": {...}}`.
 * Each entry must name its resource: the SNS and SQS outputs carry its ARN; an S3 or Lambda output
 * without the added name falls back to the ARN its policy's statements name (every bucket-policy
 * statement names the bucket; Lambda writes the function ARN into each statement it adds). An entry
 * that names no resource is skipped and named in `notCovered`; the other entries are still read.
 * Resources get the same ids as the live read, so both merge.
 */
import { basename } from 'node:path';
import type { Resource } from '../../src/model/index.js';
import type { CollectResult, Importer } from '../../src/plugin.js';
import { settingsAccount } from './import-settings.js';
import { arnParts, policyResource, type PolicyResourceKind, type RawPolicyResource } from './resource-policies.js';

type Entry = Record<string, unknown>;
type NotCovered = NonNullable<CollectResult['notCovered']>;

interface PolicyFormat {
  id: string;
  kind: PolicyResourceKind;
  description: string;
  /** Whether one output of the file is of this format. */
  is(entry: Entry): boolean;
  /** The resource the output describes, or why it cannot be told. */
  resourceOf(entry: Entry, account: string | undefined): RawPolicyResource | string;
}

const isObject = (value: unknown): value is Entry => !!value && typeof value === 'object' && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
const attributesOf = (entry: Entry): Entry => (isObject(entry.Attributes) ? entry.Attributes : {});

/** The ARNs every statement of a policy (a JSON string or an object) names as its Resource. */
function policyResources(policy: unknown): string[] {
  let doc = policy;
  if (typeof policy === 'string') {
    try {
      doc = JSON.parse(policy);
    } catch {
      return [];
    }
  }
  if (!isObject(doc)) return [];
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return statements.filter(isObject).flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).filter((r): r is string => typeof r === 'string'));
}

/** The one resource all of a policy's statements name, by `pick` (undefined: none or several). */
function onlyResource(policy: unknown, pick: (arn: string) => string | undefined): string | undefined {
  const found = new Set(policyResources(policy).map(pick));
  return found.size === 1 ? [...found][0] : undefined;
}

const bucketArnOf = (arn: string) => /^(arn:[^:]+:s3:::[^/*?]+)(\/.*)?$/.exec(arn)?.[1];
const functionArnOf = (arn: string) => /^(arn:[^:]+:lambda:[^:]+:\d{12}:function:[^:]+)(:[^:]+)?$/.exec(arn)?.[1];

const s3Format: PolicyFormat = {
  id: 'aws-s3-bucket-policy',
  kind: 'aws-s3-bucket',
  description: 'output of `aws s3api get-bucket-policy` (one, or an array), with the `Bucket` name (and `AccountId`) added (see docs/aws.md)',
  is: (e) => !('RevisionId' in e) && ('Bucket' in e || ('Policy' in e && onlyResource(e.Policy, bucketArnOf) !== undefined)),
  resourceOf(e, account) {
    const name = text(e.Bucket);
    if ('Bucket' in e && !name) return '`Bucket` is not a bucket name';
    const arn = name ? `arn:aws:s3:::${name}` : onlyResource(e.Policy, bucketArnOf);
    if (!arn) return 'no `Bucket`, and the policy does not name one bucket';
    const bucket = arn.slice(arn.indexOf(':::') + 3);
    const accountId = /^\d{12}$/.test(String(e.AccountId)) ? String(e.AccountId) : account;
    if (!accountId) return `the account of bucket ${bucket} is unknown: add \`AccountId\` or set settings.aws.accountId`;
    return { arn, name: bucket, accountId, policy: e.Policy };
  },
};

const lambdaFormat: PolicyFormat = {
  id: 'aws-lambda-policy',
  kind: 'aws-lambda-function',
  description: 'output of `aws lambda get-policy` (one, or an array), optionally with `FunctionArn` and `Role` from `list-functions` added (see docs/aws.md)',
  is: (e) => 'FunctionArn' in e || ('Policy' in e && ('RevisionId' in e || onlyResource(e.Policy, functionArnOf) !== undefined)),
  resourceOf(e) {
    const given = text(e.FunctionArn);
    const arn = given ? functionArnOf(given) : onlyResource(e.Policy, functionArnOf);
    if (!arn) return given ? '`FunctionArn` is not a Lambda function ARN' : 'no `FunctionArn`, and the policy does not name one function';
    const { region, accountId = '' } = arnParts(arn);
    const role = text(e.Role);
    return { arn, name: arn.split(':')[6]!, accountId, ...(region ? { region } : {}), policy: e.Policy, ...(role ? { executionRole: role } : {}) };
  },
};

/** SNS and SQS print the ARN among the attributes. */
function attributesFormat(id: string, kind: PolicyResourceKind, service: 'sns' | 'sqs', arnKey: string, command: string): PolicyFormat {
  const pattern = new RegExp(`^arn:[^:]+:${service}:[^:]+:\\d{12}:[^:]+$`);
  return {
    id,
    kind,
    description: `output of \`${command}\` (one, or an array) (see docs/aws.md)`,
    is: (e) => arnKey in attributesOf(e),
    resourceOf(e) {
      const a = attributesOf(e);
      const arn = text(a[arnKey]);
      if (!arn || !pattern.test(arn)) return `\`Attributes.${arnKey}\` is not ${service === 'sns' ? 'an SNS topic' : 'an SQS queue'} ARN`;
      const { region, accountId = '' } = arnParts(arn);
      return { arn, name: arn.split(':')[5]!, accountId, ...(region ? { region } : {}), policy: a.Policy };
    },
  };
}

const snsFormat = attributesFormat('aws-sns-topic-attributes', 'aws-sns-topic', 'sns', 'TopicArn', 'aws sns get-topic-attributes');
const sqsFormat = attributesFormat(
  'aws-sqs-queue-attributes',
  'aws-sqs-queue',
  'sqs',
  'QueueArn',
  'aws sqs get-queue-attributes --attribute-names Policy QueueArn',
);

function importerOf(format: PolicyFormat): Importer {
  const outputs = (parsed: unknown): unknown[] => (Array.isArray(parsed) ? parsed : [parsed]);
  return {
    id: format.id,
    description: format.description,
    detect: ({ parsed }) => outputs(parsed).some((e) => isObject(e) && format.is(e)),
    read({ path, parsed }, ctx) {
      const file = basename(path);
      const list = Array.isArray(parsed);
      const notCovered: NotCovered = [];
      const resources: Resource[] = [];
      outputs(parsed).forEach((entry, i) => {
        const part = list ? `${file}[${i}]` : file;
        const raw = isObject(entry) && format.is(entry) ? format.resourceOf(entry, settingsAccount(ctx)) : `not ${format.description.split(' (')[0]}`;
        if (typeof raw === 'string') notCovered.push({ part, reason: `${raw}; skipped` });
        else resources.push(policyResource(format.kind, raw, ctx.source.spec));
      });
      return { identities: [], credentials: [], resources, notCovered, stats: { [format.kind.replace(/^aws-/, '')]: resources.length } };
    },
  };
}

// Lambda before S3: a get-policy output without its RevisionId must not be taken for a bucket policy.
export const resourcePolicyImporters: Importer[] = [lambdaFormat, s3Format, snsFormat, sqsFormat].map(importerOf);
