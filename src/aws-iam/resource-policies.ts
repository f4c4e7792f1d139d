/**
 * Resource-based policies (KMS keys, Secrets Manager secrets, S3 buckets, Lambda functions, SNS topics,
 * SQS queues), read two ways:
 * - who outside the estate they admit: `*` and unknown accounts, judged like role trust policies (same
 *   principal parsing, same conditions that pin an open principal down), with network conditions
 *   (aws:SourceIp, aws:SourceVpc, aws:SourceVpce) reported as limiting;
 * - what they grant to principals of the scan: within one account a resource policy that names a user or
 *   role grants on its own, so those grants join the principal's effective permissions (`grantsByPrincipal`).
 */
import type { AttachedPolicy, AwsPolicyHolder, PolicyDocument, PolicyStatement } from '../model/aws.js';
import { statementsOf, toArray } from './policy.js';
import { accountOfPrincipal, hasRestrictingCondition, trustStatements, type TrustStatement } from './trust.js';

export type ResourcePolicyIssueKind = 'public' | 'external-account';

export interface ResourcePolicyIssue {
  kind: ResourcePolicyIssueKind;
  statement: number;
  sid?: string;
  /** `*` or the external account id. */
  principal: string;
  actions: string[];
  /** What the actions open: data or credentials, changes (write, permissions), or only metadata. */
  access: 'data' | 'write' | 'metadata';
  /** Network conditions that narrow who can use the grant (from where), explained. */
  networkLimits: string[];
  detail: string;
}

const NETWORK_KEYS = ['aws:sourceip', 'aws:sourcevpc', 'aws:sourcevpce'];

/** Actions that read data or secrets held by the resource (or use the key), per service. */
const DATA_ACTION =
  /^(s3:Get(Object|ObjectVersion)|s3:\*|secretsmanager:(GetSecretValue|\*)|kms:(Decrypt|ReEncrypt\w*|GenerateDataKey\w*|CreateGrant|\*)|sqs:(ReceiveMessage|\*)|sns:(Subscribe|\*)|lambda:(InvokeFunction|GetFunction|\*)|\*)$/i;
const METADATA_ACTION = /^[a-z0-9-]+:(Describe|List|GetBucketLocation|GetKeyPolicy|GetResourcePolicy|GetTopicAttributes|GetQueueAttributes|GetPublicKey)\w*$/i;

export function classifyAccess(actions: string[]): ResourcePolicyIssue['access'] {
  if (actions.some((a) => DATA_ACTION.test(a))) return 'data';
  return actions.every((a) => METADATA_ACTION.test(a)) ? 'metadata' : 'write';
}

export interface ResourcePolicyOptions {
  ownAccount: string;
  knownAccounts: readonly string[];
}

export function analyseResourcePolicy(doc: PolicyDocument | undefined, options: ResourcePolicyOptions): ResourcePolicyIssue[] {
  const known = new Set([options.ownAccount, ...options.knownAccounts]);
  const issues: ResourcePolicyIssue[] = [];
  for (const s of trustStatements(doc)) {
    if (hasRestrictingCondition(s.conditions)) continue;
    const base = baseIssue(s);
    if (s.anyone) issues.push({ ...base, kind: 'public', principal: '*', detail: publicDetail(base) });
    const external = new Set(s.aws.map(accountOfPrincipal).filter((a): a is string => !!a && !known.has(a)));
    for (const account of external) {
      issues.push({
        ...base,
        kind: 'external-account',
        principal: account,
        detail: `account ${account} is neither scanned nor known, and no condition pins it down`,
      });
    }
  }
  return issues;
}

function baseIssue(s: TrustStatement): Omit<ResourcePolicyIssue, 'kind' | 'principal' | 'detail'> {
  const networkLimits = s.conditions
    .filter((c) => NETWORK_KEYS.includes(c.key.toLowerCase()) && !/Not|IfExists$/i.test(c.operator))
    .map((c) => `${c.key} ${c.values.join(', ')}`);
  return { statement: s.index, ...(s.sid ? { sid: s.sid } : {}), actions: s.actions, access: classifyAccess(s.actions), networkLimits };
}

function publicDetail(issue: Pick<ResourcePolicyIssue, 'actions' | 'networkLimits'>): string {
  const what = `grants ${issue.actions.join(', ') || '(no action)'} to any principal of any account`;
  return issue.networkLimits.length
    ? `${what}, but only from the network named by ${issue.networkLimits.join('; ')} (a network limit, not an identity one: anyone with a foothold there can use it)`
    : `${what}, with no condition that pins the caller to your organisation or account`;
}

/**
 * Grants of resource policies to named principals of the same account, as policies to evaluate with the
 * principal's own: principal ARN → one policy per resource. Cross-account grants need the other account's
 * identity policy too; they are reported by `analyseResourcePolicy`, not added here.
 */
export function grantsByPrincipal(holders: readonly AwsPolicyHolder[]): Map<string, AttachedPolicy[]> {
  const out = new Map<string, AttachedPolicy[]>();
  for (const holder of holders) {
    const a = holder.attributes;
    statementsOf(a.policy!).forEach((statement) => {
      if (String(statement.Effect).toLowerCase() !== 'allow' || statement.NotPrincipal !== undefined) return;
      for (const principal of namedPrincipals(statement)) {
        if (accountOfPrincipal(principal) !== a.accountId || principal.endsWith(':root')) continue;
        const granted = asIdentityStatement(statement, a.arn, a.service);
        const list = out.get(principal) ?? [];
        const name = `resource policy of ${holder.kind.replace(/^aws-/, '')} ${holder.name}`;
        const existing = list.find((p) => p.name === name);
        if (existing) (existing.document.Statement as PolicyStatement[]).push(granted);
        else list.push({ name, type: 'inline', document: { Version: '2012-10-17', Statement: [granted] } });
        out.set(principal, list);
      }
    });
  }
  return out;
}

function namedPrincipals(statement: PolicyStatement): string[] {
  const principal = statement.Principal;
  if (!principal || typeof principal !== 'object') return [];
  return Object.entries(principal as Record<string, unknown>)
    .filter(([type]) => type.toLowerCase() === 'aws')
    .flatMap(([, v]) => toArray(v as string | string[]))
    .filter((p) => p.startsWith('arn:'));
}

/**
 * The statement as an identity policy would say it: same actions and conditions, on the resource itself.
 * KMS key policies and secret policies say `Resource: "*"`, meaning "this key/secret".
 */
function asIdentityStatement(statement: PolicyStatement, arn: string, service: string): PolicyStatement {
  const own = [arn, ...(service === 's3' ? [`${arn}/*`] : [])];
  const resources = toArray(statement.Resource)
    .map((r) => (r === '*' ? own : [r]))
    .flat();
  return {
    Effect: 'Allow',
    ...(statement.Action !== undefined ? { Action: statement.Action } : {}),
    ...(statement.NotAction !== undefined ? { NotAction: statement.NotAction } : {}),
    Resource: resources.length ? resources : own,
    ...(statement.Condition ? { Condition: statement.Condition } : {}),
  };
}
