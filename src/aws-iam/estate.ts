/**
 * What the escalation judge needs to know about everyone else in the scanned accounts: each user's,
 * role's and group's own privilege level, and which roles trust which services. Built once per scan.
 */
import type { PolicyDocument } from '../model/aws.js';
import { trustStatements } from './trust.js';

export interface PrincipalView {
  kind: 'iam-user' | 'iam-role' | 'iam-root' | string;
  arn: string;
  name: string;
  accountId: string;
  partition: string;
  groups: readonly string[];
  /** ARNs of customer-managed policies attached directly or through groups. */
  customerPolicyArns: readonly string[];
  /** Rank of the principal's own (base) privilege level. */
  rank: number;
  trustPolicy?: PolicyDocument;
  /** Data and credential actions it may call, with their resource patterns (lateral reach). */
  data: ReadonlyMap<string, readonly string[]>;
  /** Content key of `data`: principals with the same key have the same access. */
  dataKey: string;
}

export interface AccountView {
  users: PrincipalView[];
  roles: PrincipalView[];
  /** Group name → rank of what membership alone grants. */
  groups: Map<string, number>;
  /** Service principal → roles trusting it, most privileged first. */
  rolesByService: Map<string, PrincipalView[]>;
  rolesByRank: PrincipalView[];
  usersByRank: PrincipalView[];
  /** ARN → principal, for grants that name resources exactly. */
  byArn: Map<string, PrincipalView>;
}

export class EstateView {
  private readonly accounts = new Map<string, AccountView>();
  /** Judgements shared by equivalent principals (see JudgeContext.touchedSelf). */
  readonly judgements = new Map<string, unknown>();
  /** Trusted principal (account id, principal ARN, or `*`) → roles in any scanned account whose trust admits it. */
  private readonly trustIndex = new Map<string, PrincipalView[]>();
  /** Every scanned principal by ARN, across accounts. */
  readonly byArn = new Map<string, PrincipalView>();
  /** Lambda function ARN → the execution role it runs as (from the scanned functions). */
  readonly functionRoles = new Map<string, string>();

  account(accountId: string): AccountView {
    let view = this.accounts.get(accountId);
    if (!view) {
      view = { users: [], roles: [], groups: new Map(), rolesByService: new Map(), rolesByRank: [], usersByRank: [], byArn: new Map() };
      this.accounts.set(accountId, view);
    }
    return view;
  }

  add(principal: PrincipalView): void {
    const view = this.account(principal.accountId);
    view.byArn.set(principal.arn, principal);
    this.byArn.set(principal.arn, principal);
    if (principal.kind === 'iam-user') view.users.push(principal);
    else if (principal.kind === 'iam-role') view.roles.push(principal);
  }

  setGroupRank(accountId: string, group: string, rank: number): void {
    const groups = this.account(accountId).groups;
    groups.set(group, Math.max(groups.get(group) ?? 0, rank));
  }

  /** Roles (most privileged first) whose trust policy admits `trusted` (account id, ARN or `*`). */
  rolesTrusting(trusted: string): readonly PrincipalView[] {
    return this.trustIndex.get(trusted) ?? [];
  }

  /** Sorts and indexes once everything was added. */
  seal(): void {
    for (const view of this.accounts.values()) {
      for (const role of view.roles) {
        const keys = new Set<string>();
        for (const s of trustStatements(role.trustPolicy)) {
          if (s.anyone) keys.add('*');
          for (const p of s.aws) {
            const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(p);
            keys.add(root ? root[1]! : p);
          }
        }
        for (const key of keys) {
          let list = this.trustIndex.get(key);
          if (!list) this.trustIndex.set(key, (list = []));
          list.push(role);
        }
      }
    }
    for (const list of this.trustIndex.values()) list.sort((a, b) => b.rank - a.rank);
    for (const view of this.accounts.values()) {
      view.rolesByRank = [...view.roles].sort((a, b) => b.rank - a.rank);
      view.usersByRank = [...view.users].sort((a, b) => b.rank - a.rank);
      for (const role of view.rolesByRank) {
        const services = new Set<string>();
        // China-partition service principals end in .amazonaws.com.cn; index them under the global name.
        for (const s of trustStatements(role.trustPolicy)) for (const svc of s.service) services.add(svc.replace(/\.amazonaws\.com\.cn$/, '.amazonaws.com'));
        for (const svc of services) {
          let list = view.rolesByService.get(svc);
          if (!list) view.rolesByService.set(svc, (list = []));
          list.push(role);
        }
      }
    }
  }
}

export function partitionOf(arn: string): string {
  return /^arn:([^:]+):/.exec(arn)?.[1] ?? 'aws';
}
