/**
 * Multi-hop chains to an administrator, PMapper-style: a graph whose nodes are the scanned principals
 * and whose edges are "can become": assuming a role (its trust policy admits the principal, and the
 * principal may call sts:AssumeRole where needed) or running code as a role (passing it to a service,
 * or taking over compute that runs with it). The shortest chain from each principal to one that is
 * administrator (or can make itself one) is found with one breadth-first search backwards from the
 * administrators.
 *
 * Bounded: edges are computed once per class of principals with the same effective access and account
 * (the common case: thousands of roles share a few dozen policy sets), so the work is
 * O(classes × roles + principals + edges), never principals × roles.
 */
import type { ActionCatalog } from './catalog.js';
import type { EffectiveAccess } from './evaluate.js';
import { ESCALATION_PATHS } from './escalation-paths.js';
import type { EstateView, PrincipalView } from './estate.js';
import { firmTargetGrants } from './judge.js';
import { anyBroad, covers, readKey, scopedGrants, type JudgeInput, type Scoped } from './scope.js';
import type { ChainHop, EscalationFinding } from './types.js';

export const CHAIN_PATH_ID = 'role-chain-to-admin';

/** Paths by which a principal makes itself administrator without becoming anyone else. */
const SELF_ADMIN_PATHS = new Set([
  'iam-create-policy-version',
  'iam-attach-user-policy',
  'iam-put-user-policy',
  'iam-attach-group-policy',
  'iam-put-group-policy',
  'iam-attach-role-policy',
  'iam-put-role-policy',
  'iam-add-user-to-group',
]);

const CODE_PATHS = ESCALATION_PATHS.filter((p) => p.target.kind === 'pass-role' || p.target.kind === 'service-compute');
/** The actions whose grants decide a principal's edges (its class key). */
const EDGE_ACTIONS = [...new Set([...CODE_PATHS.flatMap((p) => p.requires.flat()), 'sts:AssumeRole'].map((a) => a.toLowerCase()))];

export interface ChainNode {
  view: PrincipalView;
  access?: EffectiveAccess;
  escalationPaths: readonly EscalationFinding[];
  base: { adminEquivalent: boolean };
}

interface Edge {
  to: PrincipalView;
  via: string;
}

/** How a terminal node is administrator: equivalent already, or by a path on itself. */
function terminalVia(node: ChainNode): string | undefined {
  if (node.base.adminEquivalent) return 'admin-equivalent';
  return node.escalationPaths.find((p) => p.reach === 'admin' && !p.conditional && SELF_ADMIN_PATHS.has(p.id))?.id;
}

function usesVariables(grants: readonly Scoped[]): boolean {
  return grants.some((g) => g.usesVariables);
}

/** Roles whose trust admits the principal's account (or anyone) and on which its sts:AssumeRole grants apply: shared by its class. */
function assumeEdges(input: JudgeInput): { edges: Edge[]; personal: boolean } {
  const p = input.principal;
  const assume = scopedGrants(input, 'sts:AssumeRole', false);
  const edges: Edge[] = [];
  if (assume.length) {
    const seen = new Set<PrincipalView>();
    for (const list of [input.estate.rolesTrusting(p.accountId), input.estate.rolesTrusting('*')]) {
      for (const role of list) {
        if (seen.has(role) || !assume.some((g) => covers(g, role.arn))) continue;
        seen.add(role);
        edges.push({ to: role, via: 'sts:AssumeRole' });
      }
    }
  }
  return { edges, personal: usesVariables(assume) };
}

/** Roles whose trust names the principal itself: no identity permission needed in the same account. */
function namedTrustEdges(input: JudgeInput): Edge[] {
  const p = input.principal;
  const named = input.estate.rolesTrusting(p.arn);
  if (!named.length) return [];
  const assume = scopedGrants(input, 'sts:AssumeRole', false);
  return named
    .filter((role) => role.arn !== p.arn && (role.accountId === p.accountId || assume.some((g) => covers(g, role.arn))))
    .map((to) => ({ to, via: 'sts:AssumeRole' }));
}

/** Roles the principal can run code as, through the code-running paths it holds without conditions. */
function codeEdges(input: JudgeInput): { edges: Edge[]; personal: boolean } {
  const edges: Edge[] = [];
  let personal = false;
  const account = input.estate.account(input.principal.accountId);
  for (const path of CODE_PATHS) {
    const grants = firmTargetGrants(path, input);
    if (!grants) continue;
    personal ||= usesVariables(grants);
    const trusting = account.rolesByService.get(path.target.servicePrincipal!) ?? [];
    const all = path.target.kind === 'service-compute';
    if (all && !anyBroad(grants, input, path.target.action)) continue;
    for (const role of trusting) {
      if (role.arn === input.principal.arn) continue;
      if (all || grants.some((g) => covers(g, role.arn))) edges.push({ to: role, via: path.id });
    }
  }
  return { edges, personal };
}

interface Reverse {
  from: PrincipalView[];
  via: string;
}

/** Every principal's shortest chain to an administrator, when it has no direct path to admin. */
export function findChains(nodes: readonly ChainNode[], estate: EstateView, catalog: ActionCatalog): Map<PrincipalView, EscalationFinding> {
  const byView = new Map(nodes.map((n) => [n.view, n]));
  const reverse = buildReverseEdges(nodes, estate, catalog);
  const next = new Map<PrincipalView, Edge>();
  const dist = new Map<PrincipalView, number>();
  const queue: PrincipalView[] = [];
  for (const n of nodes) {
    if (terminalVia(n)) {
      dist.set(n.view, 0);
      queue.push(n.view);
    }
  }
  // A class reached once is reached at its shortest distance: all its members are assigned then.
  const expanded = new Set<PrincipalView[]>();
  for (let i = 0; i < queue.length; i++) {
    const target = queue[i]!;
    const d = dist.get(target)!;
    for (const entry of reverse.get(target) ?? []) {
      if (expanded.has(entry.from)) continue;
      expanded.add(entry.from);
      for (const from of entry.from) {
        if (dist.has(from)) continue;
        dist.set(from, d + 1);
        next.set(from, { to: target, via: entry.via });
        queue.push(from);
      }
    }
  }
  const out = new Map<PrincipalView, EscalationFinding>();
  for (const n of nodes) {
    const d = dist.get(n.view);
    if (!d || n.escalationPaths.some((p) => p.reach === 'admin' && !p.conditional)) continue;
    out.set(n.view, chainFinding(n.view, next, byView));
  }
  return out;
}

/** target → the classes (or single principals) with an edge to it. */
function buildReverseEdges(nodes: readonly ChainNode[], estate: EstateView, catalog: ActionCatalog): Map<PrincipalView, Reverse[]> {
  const classes = new Map<string, { members: PrincipalView[]; edges: Edge[] }>();
  const reverse = new Map<PrincipalView, Reverse[]>();
  const link = (from: PrincipalView[], edges: Edge[]) => {
    // One reverse entry per (class, via) and target: a class's members share their edges.
    for (const e of edges) {
      let list = reverse.get(e.to);
      if (!list) reverse.set(e.to, (list = []));
      list.push({ from, via: e.via });
    }
  };
  for (const n of nodes) {
    if (!n.access || terminalVia(n)) continue;
    const input: JudgeInput = { catalog, access: n.access, principal: n.view, estate };
    const named = namedTrustEdges(input);
    if (named.length) link([n.view], named);
    const key = `${readKey(n.access, catalog, EDGE_ACTIONS)}|${n.view.accountId}|${n.view.kind}`;
    const known = classes.get(key);
    if (known) {
      known.members.push(n.view);
      continue;
    }
    const assume = assumeEdges(input);
    const code = codeEdges(input);
    const edges = [...assume.edges, ...code.edges];
    if (assume.personal || code.personal) link([n.view], edges);
    else classes.set(key, { members: [n.view], edges });
  }
  for (const c of classes.values()) {
    // Members must not count an edge to themselves: such edges are dropped when the class is expanded.
    link(c.members, c.edges);
  }
  return reverse;
}

function chainFinding(start: PrincipalView, next: ReadonlyMap<PrincipalView, Edge>, byView: ReadonlyMap<PrincipalView, ChainNode>): EscalationFinding {
  const hops: ChainHop[] = [];
  let current = start;
  const visited = new Set<PrincipalView>([start]);
  for (let step = next.get(current); step && !visited.has(step.to); step = next.get(current)) {
    hops.push({ from: current.name, to: step.to.name, via: step.via });
    visited.add(step.to);
    current = step.to;
  }
  const how = byView.get(current);
  const via = how ? terminalVia(how) : undefined;
  if (via && via !== 'admin-equivalent') hops.push({ from: current.name, to: 'administrator', via });
  const text = hops.map((h) => `"${h.from}" → "${h.to}" (${h.via})`).join(', then ');
  return {
    id: CHAIN_PATH_ID,
    title: 'Chain of role assumptions and code-running steps to an administrator',
    reach: 'admin',
    conditional: false,
    actions: [],
    targets: [current.name],
    hops,
    reason: `reaches administrator "${current.name}" in ${hops.length} step${hops.length > 1 ? 's' : ''}: ${text}`,
  };
}
