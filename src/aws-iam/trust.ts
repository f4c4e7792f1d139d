/**
 * Role trust policies (AssumeRolePolicyDocument): who may assume a role. Used twice: by the
 * escalation judge (which roles can this principal assume, which roles can a service run with) and
 * by the trust-policy rules (roles open to anyone, to unknown accounts, to any CI pipeline).
 */
import type { PolicyDocument } from '../model/aws.js';
import { conditionClauses, statementsOf, toArray, type ConditionClause } from './policy.js';

export interface TrustStatement {
  index: number;
  sid?: string;
  /** `Principal: "*"`, `{"AWS": "*"}`, or an Allow with NotPrincipal. */
  anyone: boolean;
  aws: string[];
  service: string[];
  federated: string[];
  actions: string[];
  conditions: ConditionClause[];
}

/** The Allow statements of a trust policy, principals split by type. */
const parsed = new WeakMap<object, TrustStatement[]>();

export function trustStatements(doc: PolicyDocument | undefined): TrustStatement[] {
  if (!doc || typeof doc !== 'object') return [];
  let cached = parsed.get(doc);
  if (!cached) parsed.set(doc, (cached = parseTrustStatements(doc)));
  return cached;
}

function parseTrustStatements(doc: PolicyDocument): TrustStatement[] {
  const out: TrustStatement[] = [];
  statementsOf(doc).forEach((s, index) => {
    if (String(s.Effect).toLowerCase() !== 'allow') return;
    const principal = s.Principal as unknown;
    const entry: TrustStatement = {
      index,
      ...(s.Sid ? { sid: s.Sid } : {}),
      anyone: false,
      aws: [],
      service: [],
      federated: [],
      actions: toArray(s.Action),
      conditions: conditionClauses(s.Condition),
    };
    if (s.NotPrincipal !== undefined) entry.anyone = true;
    if (principal === '*') entry.anyone = true;
    else if (principal && typeof principal === 'object') {
      for (const [type, value] of Object.entries(principal as Record<string, unknown>)) {
        const values = toArray(value);
        const t = type.toLowerCase();
        if (t === 'aws') {
          if (values.includes('*')) entry.anyone = true;
          entry.aws.push(...values.filter((v) => v !== '*'));
        } else if (t === 'service') entry.service.push(...values.map((v) => v.toLowerCase()));
        else if (t === 'federated') entry.federated.push(...values);
      }
    }
    out.push(entry);
  });
  return out;
}

/** Account id named by an AWS principal: `123456789012`, `arn:aws:iam::123456789012:root`, a role ARN. */
export function accountOfPrincipal(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  const m = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(principal);
  return m?.[1];
}

/** Whether a role's trust policy admits a service principal (`ec2.amazonaws.com`). */
export function trustsService(doc: PolicyDocument | undefined, servicePrincipal: string): boolean {
  const want = servicePrincipal.toLowerCase();
  return trustStatements(doc).some((s) => s.service.includes(want) || s.service.some((v) => v.startsWith(`${want.split('.')[0]}.`)));
}

/**
 * Whether a role's trust policy admits a principal directly or through its account (`:root`).
 * Conditions are ignored here on purpose: an attacker satisfies most of them (MFA aside), so the
 * escalation judge errs towards "can assume".
 */
export function trustsPrincipal(doc: PolicyDocument | undefined, principalArn: string, accountId: string): boolean {
  return trustStatements(doc).some(
    (s) => s.anyone || s.aws.some((p) => p === principalArn || p === accountId || (p.endsWith(`:iam::${accountId}:root`) && p.startsWith('arn:'))),
  );
}

/** Condition keys that pin an open (`"*"`) principal down to an organisation, account or caller. */
const RESTRICTING_KEYS = [
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:userid',
  'sts:externalid',
];

export function hasRestrictingCondition(conditions: ConditionClause[]): boolean {
  return conditions.some(
    (c) =>
      RESTRICTING_KEYS.includes(c.key.toLowerCase()) &&
      !/IfExists$/i.test(c.operator) &&
      !/^(Null|StringNotEquals|StringNotLike|ArnNotEquals|ArnNotLike)/i.test(c.operator.replace(/^For(Any|All)Values?:/i, '')) &&
      c.values.length > 0 &&
      !c.values.some((v) => /^\*+$/.test(v)),
  );
}

/** Well-known OIDC issuers whose tokens any customer of the CI service can obtain. */
export const OIDC_PROVIDERS: readonly { host: string; name: string; subjectKey: string; openSubject: RegExp }[] = [
  // `repo:*` (or `*`) admits every repository on GitHub; `repo:org/*` is the organisation only.
  {
    host: 'token.actions.githubusercontent.com',
    name: 'GitHub Actions',
    subjectKey: 'token.actions.githubusercontent.com:sub',
    openSubject: /^(\*|repo:\*|repo:[^/]*\*[^/]*\/)/i,
  },
  { host: 'gitlab.com', name: 'GitLab CI', subjectKey: 'gitlab.com:sub', openSubject: /^(\*|project_path:\*|project_path:[^/]*\*[^/]*\/)/i },
  { host: 'app.terraform.io', name: 'Terraform Cloud', subjectKey: 'app.terraform.io:sub', openSubject: /^(\*|organization:\*)/i },
];

export type TrustIssueKind = 'any-principal' | 'external-account' | 'oidc-unrestricted';

export interface TrustIssue {
  kind: TrustIssueKind;
  statement: number;
  sid?: string;
  /** The principal that is too open: `*`, an account id, an OIDC provider ARN. */
  principal: string;
  detail: string;
}

export interface TrustAnalysisOptions {
  ownAccount: string;
  knownAccounts: readonly string[];
}

export function analyseTrustPolicy(doc: PolicyDocument | undefined, options: TrustAnalysisOptions): TrustIssue[] {
  const issues: TrustIssue[] = [];
  const known = new Set([options.ownAccount, ...options.knownAccounts]);
  for (const s of trustStatements(doc)) {
    const base = { statement: s.index, ...(s.sid ? { sid: s.sid } : {}) };
    if (s.anyone && !hasRestrictingCondition(s.conditions)) {
      issues.push({
        ...base,
        kind: 'any-principal',
        principal: '*',
        detail:
          'any AWS principal in any account can assume the role: no aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn or sts:ExternalId condition restricts it',
      });
    }
    const hasExternalId = s.conditions.some((c) => c.key.toLowerCase() === 'sts:externalid' && !/IfExists$/i.test(c.operator) && c.values.length > 0);
    const externalAccounts = new Set<string>();
    for (const p of s.aws) {
      const account = accountOfPrincipal(p);
      if (account && !known.has(account)) externalAccounts.add(account);
    }
    if (!hasExternalId && !hasRestrictingCondition(s.conditions)) {
      for (const account of externalAccounts) {
        issues.push({
          ...base,
          kind: 'external-account',
          principal: account,
          detail: `account ${account} is not a known account and no sts:ExternalId condition protects against the confused-deputy problem`,
        });
      }
    }
    for (const federated of s.federated) {
      const provider = OIDC_PROVIDERS.find((p) => federated.toLowerCase().includes(p.host));
      if (provider) {
        const subjects = s.conditions.filter((c) => c.key.toLowerCase() === provider.subjectKey);
        const usable = subjects.filter((c) => !/IfExists$/i.test(c.operator) && !/Not/i.test(c.operator));
        if (!usable.length) {
          issues.push({
            ...base,
            kind: 'oidc-unrestricted',
            principal: federated,
            detail: `${provider.name} OIDC trust without a "${provider.subjectKey}" condition: any ${provider.name} pipeline of any customer can assume the role`,
          });
          continue;
        }
        const wildcard = usable.some((c) => /Like/i.test(c.operator) && c.values.some((v) => provider.openSubject.test(v)));
        if (wildcard) {
          const values = usable.flatMap((c) => c.values).join(', ');
          issues.push({
            ...base,
            kind: 'oidc-unrestricted',
            principal: federated,
            detail: `${provider.name} OIDC trust with a subject wildcard (${values}) that admits pipelines outside your organisation`,
          });
        }
      } else if (federated.toLowerCase() === 'cognito-identity.amazonaws.com') {
        const aud = s.conditions.some((c) => c.key.toLowerCase() === 'cognito-identity.amazonaws.com:aud' && !/IfExists$/i.test(c.operator));
        if (!aud) {
          issues.push({
            ...base,
            kind: 'oidc-unrestricted',
            principal: federated,
            detail: 'Cognito identity trust without a "cognito-identity.amazonaws.com:aud" condition: identities of any identity pool can assume the role',
          });
        }
      }
    }
  }
  return issues;
}
