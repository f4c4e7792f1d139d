/**
 * Groups placements that hold one secret (see reuse-placements.ts), each member with how it joined and how sure
 * that is. Two ways in:
 * - exact: the same SHA-256 (a value found in code), or the same live credential (a leak matched by key id, a
 *   stored secret tagged with the credential's id). Entra leaks matched by the three-character `hint` alone are
 *   `medium`, with the app or tenant id beside them `high`.
 * - correlation: stored secrets with the same normalised name whose values were set within `windowMs` of the
 *   first of them. Members that name different targets (tags, the Entra app an Actions secret belongs to, the
 *   credential a tag names) are never joined; a name too generic to mean one thing (`password`, `token`) joins
 *   only members that name the same target. Same name and target: `high`; same name and time only: `medium`.
 */
import { CONFIDENCE_RANK, type MatchedBy, type Placement, type ReuseConfidence } from './reuse-placements.js';

export interface ReuseMember {
  placement: Placement;
  by: MatchedBy;
  confidence: ReuseConfidence;
}

export interface ReuseGroup {
  members: ReuseMember[];
  /** The live credential every linked member points to, when there is one. */
  linkId?: string;
  /** The normalised name that joined stored members, when a name did. */
  nameKey?: string;
}

export interface GroupingOptions {
  windowMs: number;
  genericNames: RegExp;
}

class UnionFind {
  private readonly parent: number[];
  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) i = this.parent[i] = this.parent[this.parent[i]!]!;
    return i;
  }
  union(a: number, b: number): void {
    this.parent[this.find(a)] = this.find(b);
  }
}

/** Clusters of one name whose values were set within the window of the cluster's first member. */
function timeClusters(indices: number[], placements: Placement[], windowMs: number): number[][] {
  const timed = indices
    .map((i) => [i, Date.parse(placements[i]!.setAt ?? '')] as const)
    .filter(([, at]) => !Number.isNaN(at))
    .sort((a, b) => a[1] - b[1]);
  const clusters: number[][] = [];
  let current: number[] = [];
  let start = 0;
  for (const [i, at] of timed) {
    if (current.length && at - start > windowMs) {
      clusters.push(current);
      current = [];
    }
    if (!current.length) start = at;
    current.push(i);
  }
  if (current.length) clusters.push(current);
  return clusters.filter((c) => c.length > 1);
}

const targetOf = (p: Placement) => p.link?.id ?? p.target;

/** Which members of one name-and-time cluster join, and how: never across two different targets. */
interface Join {
  members: number[];
  by: MatchedBy;
  confidence: ReuseConfidence;
}

function joinCluster(cluster: number[], placements: Placement[], generic: boolean): Join[] {
  const byTarget = new Map<string, number[]>();
  const untargeted: number[] = [];
  for (const i of cluster) {
    const target = targetOf(placements[i]!);
    if (!target) untargeted.push(i);
    else if (byTarget.has(target)) byTarget.get(target)!.push(i);
    else byTarget.set(target, [i]);
  }
  const joins: Join[] = [...byTarget.values()].filter((m) => m.length > 1).map((members) => ({ members, by: 'name+target', confidence: 'high' }));
  // Untargeted members join a single known target, or each other when the name means one thing; several targets leave them ambiguous.
  if (!generic && untargeted.length && byTarget.size <= 1) {
    const members = [...untargeted, ...([...byTarget.values()][0] ?? [])];
    if (members.length > 1) joins.push({ members, by: 'name+update-time', confidence: 'medium' });
  }
  return joins;
}

function better(a: ReuseMember | undefined, confidence: ReuseConfidence): boolean {
  return !a || CONFIDENCE_RANK[confidence] > CONFIDENCE_RANK[a.confidence];
}

/** The placements grouped by the secret they hold; every placement is in exactly one group. */
export function groupPlacements(placements: Placement[], options: GroupingOptions): ReuseGroup[] {
  const uf = new UnionFind(placements.length);
  const how: (ReuseMember | undefined)[] = placements.map((placement) =>
    placement.link
      ? { placement, by: placement.link.by, confidence: placement.link.confidence }
      : placement.from === 'code'
        ? { placement, by: 'hash', confidence: 'exact' }
        : undefined,
  );
  const firstByKey = new Map<string, number>();
  placements.forEach((p, i) => {
    const key = p.link ? `link:${p.link.id}` : p.from === 'code' ? `hash:${p.credential.secret!.hash}` : undefined;
    if (!key) return;
    const first = firstByKey.get(key);
    if (first === undefined) firstByKey.set(key, i);
    else uf.union(i, first);
  });
  const byName = new Map<string, number[]>();
  placements.forEach((p, i) => {
    if (!p.nameKey) return;
    if (byName.has(p.nameKey)) byName.get(p.nameKey)!.push(i);
    else byName.set(p.nameKey, [i]);
  });
  const joinedNames: [number, string][] = [];
  for (const [nameKey, indices] of byName) {
    for (const cluster of timeClusters(indices, placements, options.windowMs)) {
      for (const join of joinCluster(cluster, placements, options.genericNames.test(nameKey))) {
        for (const i of join.members) {
          uf.union(i, join.members[0]!);
          if (better(how[i], join.confidence)) how[i] = { placement: placements[i]!, by: join.by, confidence: join.confidence };
        }
        joinedNames.push([join.members[0]!, nameKey]);
      }
    }
  }
  const groups = new Map<number, ReuseGroup>();
  placements.forEach((p, i) => {
    const root = uf.find(i);
    const group = groups.get(root) ?? { members: [] };
    group.members.push(how[i] ?? { placement: p, by: 'name+update-time', confidence: 'low' });
    if (p.link) group.linkId = p.link.id;
    groups.set(root, group);
  });
  // The first name that joined a group names it (a group joined by one name, plus its exact links, is the usual case).
  for (const [member, nameKey] of joinedNames) groups.get(uf.find(member))!.nameKey ??= nameKey;
  return [...groups.values()];
}

/**
 * How sure nhiscan is that the value is in two places or more: the second-best member's confidence (one member
 * alone is a value whose hash was seen in several repositories: exact).
 */
export function groupConfidence(group: ReuseGroup): ReuseConfidence {
  const ranked = group.members.map((m) => m.confidence).sort((a, b) => CONFIDENCE_RANK[b] - CONFIDENCE_RANK[a]);
  return ranked[1] ?? ranked[0] ?? 'low';
}
