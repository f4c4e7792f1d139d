/**
 * What the AWS privilege analysis stores on `Identity.attributes.effective` (kinds iam-user,
 * iam-role, iam-root) and what the aws-privilege rules read. Compact and JSON-safe: it ends up in
 * the JSON report next to each identity.
 */

export const PRIVILEGE_LEVELS = ['none', 'read', 'write', 'high', 'admin'] as const;
export type PrivilegeLevel = (typeof PRIVILEGE_LEVELS)[number];

export function levelRank(level: PrivilegeLevel): number {
  return PRIVILEGE_LEVELS.indexOf(level);
}

/**
 * What an escalation path reaches, strongest first:
 * - `admin`: full control of the account;
 * - `escalation`: privileges beyond the principal's own (or arbitrary ones, when the scope is `*`);
 * - `unknown`: a narrow scope whose privileges are not visible offline;
 * - `latent`: exploitable in principle, but nothing in scope is more privileged than the principal today;
 * - `self`: only acts on the principal itself (e.g. creating its own access key).
 */
export const REACHES = ['self', 'latent', 'unknown', 'escalation', 'admin'] as const;
export type Reach = (typeof REACHES)[number];

export function reachRank(reach: Reach): number {
  return REACHES.indexOf(reach);
}

/** One action as it contributes to a finding: where it is allowed and which policies allow it. */
export interface ActionEvidence {
  action: string;
  resources: string[];
  sources: string[];
  /** Condition keys that decide the grant at request time. */
  conditionKeys?: string[];
}

export interface EscalationFinding {
  /** Path id from ESCALATION_PATHS; the finding key. */
  id: string;
  title: string;
  reach: Reach;
  /** Some required action is allowed only under conditions that cannot be judged offline. */
  conditional: boolean;
  conditionKeys?: string[];
  actions: ActionEvidence[];
  /** Named principals or resources the path reaches (most privileged first), when known. */
  targets?: string[];
  /** Not more privileged, but data or credentials the principal lacks (judged as `escalation`). */
  lateral?: boolean;
  /** Multi-hop chains: each step from one principal to the next, in order. */
  hops?: ChainHop[];
  /** Why this reach: the resource judgement, in words. */
  reason: string;
}

/** One step of a chain: `from` becomes `to` through `via` (sts:AssumeRole, or a path id). */
export interface ChainHop {
  from: string;
  to: string;
  via: string;
}

export interface SensitiveFinding {
  action: string;
  kind: 'credentials' | 'data';
  conditional: boolean;
  conditionKeys?: string[];
  resources: string[];
  sources: string[];
}

export interface EffectiveSummary {
  privilegeLevel: PrivilegeLevel;
  /** Level from the principal's own permissions, before escalation paths are counted. */
  baseLevel: PrivilegeLevel;
  adminEquivalent: boolean;
  /** `all-actions` (every action on every resource), `iam-full-control` (can grant itself anything). */
  adminReasons: string[];
  /** Policies with an unconditional `Allow * on *` statement (CIS AWS 1.16), even if capped. */
  fullAdminPolicies: string[];
  allowedActionCount: number;
  /** Allowed on every resource without conditions. */
  unrestrictedActionCount: number;
  conditionalActionCount: number;
  deniedActionCount: number;
  boundary: 'none' | 'applied' | 'unresolved';
  boundaryCappedActionCount: number;
  /** The most powerful unrestricted actions (Permissions management and Write first), capped. */
  unrestrictedActions: string[];
  escalationPaths: EscalationFinding[];
  /** True when some escalation path reaches admin without conditions. */
  escalatesToAdmin: boolean;
  sensitiveActions: SensitiveFinding[];
  /** Action patterns that matched no action AWS publishes (typos, or newer than the dataset). */
  unknownActionPatterns: string[];
  /** Dataset the evaluation used. */
  dataset: string;
  /** Service control policies applied (`none` when the account has none in the scan). */
  scp?: 'none' | 'applied';
  /** Actions the identity policies allow that service control policies remove. */
  scpCappedActionCount?: number;
  /** Conditions decided offline from known facts (scan time, MFA of key-only users, principal tags). */
  conditionsDecided?: number;
}

/** `Credential.attributes` added by the leak correlation on `leaked-secret` credentials. */
export interface LeakMatchAttributes {
  matchedCredentialId: string;
  matchedKeyStatus: string;
  matchedIdentityName?: string;
  privilegeLevel?: PrivilegeLevel;
  adminEquivalent?: boolean;
  escalationPathIds?: string[];
}
