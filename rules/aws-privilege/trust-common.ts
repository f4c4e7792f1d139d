import { z } from 'zod';
import { isAwsPrincipal } from '../../src/model/aws.js';
import { refOf, type Identity, type Inventory } from '../../src/model/index.js';
import type { FindingDraft, RuleContext } from '../../src/plugin.js';
import { analyseTrustPolicy, type TrustIssue, type TrustIssueKind } from '../../src/aws-iam/trust.js';
import { isServiceLinked } from './common.js';

export const knownAccountsOption = z.array(z.string().regex(/^\d{12}$/, 'an AWS account id has 12 digits')).default([]);

/**
 * Accounts trusted without an ExternalId: the rule option, `settings.aws.knownAccounts` in the
 * config, and every account the scan itself covered (a trust between two of your own accounts is
 * not a confused-deputy risk).
 */
export function knownAccounts(inventory: Inventory, fromOptions: readonly string[], context: RuleContext): string[] {
  const fromSettings = context.config.settings?.aws?.knownAccounts;
  const settings = Array.isArray(fromSettings) ? fromSettings.map(String) : [];
  const scanned = inventory.identities.filter((i) => i.provider === 'aws').map((i) => String(i.attributes.accountId ?? i.scope ?? ''));
  return [...new Set([...fromOptions, ...settings, ...scanned].filter((a) => /^\d{12}$/.test(a)))];
}

export function roleTrustFindings(
  inventory: Inventory,
  kind: TrustIssueKind,
  known: string[],
  build: (role: Identity, issue: TrustIssue) => Omit<FindingDraft, 'resource'>,
): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const role of inventory.identities) {
    if (!isAwsPrincipal(role, ['iam-role']) || isServiceLinked(role)) continue;
    const a = role.attributes;
    if (!a.trustPolicy) continue;
    for (const issue of analyseTrustPolicy(a.trustPolicy, { ownAccount: a.accountId ?? role.scope ?? '', knownAccounts: known })) {
      if (issue.kind !== kind) continue;
      out.push({ resource: refOf(role), ...build(role, issue) });
    }
  }
  return out;
}

export function where(issue: TrustIssue): string {
  return issue.sid ? `statement "${issue.sid}"` : `statement ${issue.statement + 1}`;
}
