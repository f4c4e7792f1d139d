/**
 * The lineage graph of an inventory: people, identities, credentials, where secrets were found,
 * repositories, vaults and privileges, with the edges that make a leak matter:
 *   owns       owner → identity or credential (with the owner's provenance)
 *   stored-in  credential → code location, vault, repository
 *   unlocks    leaked secret (or a stored secret tagged with its key id) → the live credential it is a copy of
 *              → the identity it authenticates as
 *   can-assume identity → identity it can act as (GCP impersonation)
 *   grants     identity → its privilege (admin-equivalent, an escalation chain)
 * Built from the report's inventory alone, so `nhiscan graph` works on any saved JSON report.
 */
import type { Credential, Identity, Inventory, Owner } from '../model/index.js';
import { liveCredentialIds, taggedCredentialOf } from './stored-copies.js';

export type NodeType = 'person' | 'identity' | 'credential' | 'location' | 'repository' | 'privilege';
export type EdgeType = 'owns' | 'stored-in' | 'unlocks' | 'can-assume' | 'grants';

export interface LineageNode {
  id: string;
  type: NodeType;
  label: string;
  /** Facts the renderers show: a departed owner, an active key, a secret at HEAD… */
  flags?: string[];
}

export interface LineageEdge {
  from: string;
  to: string;
  type: EdgeType;
  label?: string;
}

export interface LineageGraph {
  nodes: LineageNode[];
  edges: LineageEdge[];
}

class GraphBuilder {
  private readonly nodes = new Map<string, LineageNode>();
  private readonly edges = new Map<string, LineageEdge>();

  node(node: LineageNode): string {
    const existing = this.nodes.get(node.id);
    if (!existing) {
      this.nodes.set(node.id, { ...node, ...(node.flags ? { flags: [...node.flags] } : {}) });
      return node.id;
    }
    for (const flag of node.flags ?? []) {
      existing.flags ??= [];
      if (!existing.flags.includes(flag)) existing.flags.push(flag);
    }
    return node.id;
  }

  edge(edge: LineageEdge): void {
    if (edge.from === edge.to) return;
    this.edges.set(`${edge.from}\u0000${edge.type}\u0000${edge.to}`, edge);
  }

  build(): LineageGraph {
    return { nodes: [...this.nodes.values()], edges: [...this.edges.values()] };
  }
}

export function ownerNodeId(owner: Owner): string {
  return owner.personId ?? `owner:${owner.id.toLowerCase()}`;
}

/** The live credential a leaked secret was matched to, whatever the provider's correlation wrote. */
export function matchedCredentialOf(leaked: Credential): string | undefined {
  const a = leaked.attributes as Record<string, unknown>;
  for (const key of ['matchedCredentialId', 'gcpMatchedKeyId', 'entraMatchedCredentialId']) if (typeof a[key] === 'string') return a[key] as string;
  return undefined;
}

/** Privilege worth a node: admin equivalence or admin roles, and escalation paths to admin. */
export function privilegeOf(identity: Identity): { label: string; admin: boolean } | undefined {
  const effective = identity.attributes.effective as
    | {
        adminEquivalent?: boolean;
        privilegeLevel?: string;
        adminRoles?: string[];
        escalation?: { reaches: string[] };
        escalationPaths?: { id: string; reach: string }[];
      }
    | undefined;
  if (!effective) return identity.grants.some((g) => g.level === 'admin') ? { label: 'admin grants', admin: true } : undefined;
  if (effective.adminEquivalent || effective.privilegeLevel === 'admin') {
    return { label: effective.adminRoles?.length ? effective.adminRoles.slice(0, 3).join(', ') : 'admin-equivalent', admin: true };
  }
  const paths = effective.escalationPaths?.filter((p) => p.reach === 'admin').map((p) => p.id) ?? [];
  if (paths.length) return { label: `escalates to admin (${paths.slice(0, 3).join(', ')})`, admin: true };
  if (effective.escalation) return { label: `impersonates to ${effective.escalation.reaches.slice(0, 2).join(', ')}`, admin: true };
  return undefined;
}

function addOwners(b: GraphBuilder, item: Identity | Credential, people: Map<string, { status: string }>): void {
  for (const owner of item.owners ?? (item.owner ? [item.owner] : [])) {
    const departed = owner.active === false || people.get(owner.personId ?? '')?.status === 'departed';
    const id = b.node({
      id: ownerNodeId(owner),
      type: 'person',
      label: owner.displayName ? `${owner.displayName} (${owner.id})` : owner.id,
      ...(departed ? { flags: ['departed'] } : {}),
    });
    b.edge({ from: id, to: item.id, type: 'owns', label: owner.source });
  }
}

function addLocations(b: GraphBuilder, credential: Credential): void {
  for (const l of credential.locations ?? []) {
    const where = l.repository ?? l.source;
    const loc = b.node({
      id: `location:${where}:${l.path}`,
      type: 'location',
      label: `${l.path}${l.commit ? `@${l.commit.slice(0, 8)}` : ''}`,
      ...(l.presentAtHead ? { flags: ['at HEAD'] } : {}),
    });
    b.edge({ from: credential.id, to: loc, type: 'stored-in' });
    const repo = b.node({ id: `repository:${where}`, type: 'repository', label: where });
    b.edge({ from: loc, to: repo, type: 'stored-in' });
  }
}

export function buildGraph(inventory: Inventory): LineageGraph {
  const b = new GraphBuilder();
  const people = new Map((inventory.people ?? []).map((p) => [p.id, p]));
  for (const p of inventory.people ?? [])
    b.node({
      id: p.id,
      type: 'person',
      label: p.name ? `${p.name} (${p.email ?? p.aliases[0]})` : (p.email ?? p.id),
      ...(p.status === 'departed' ? { flags: ['departed'] } : {}),
    });
  const identities = new Map(inventory.identities.map((i) => [i.id, i]));
  const liveIds = liveCredentialIds(inventory);
  for (const identity of inventory.identities) {
    b.node({
      id: identity.id,
      type: 'identity',
      label: `${identity.kind} ${identity.name}`,
      ...(identity.attributes.human === true ? { flags: ['human'] } : {}),
    });
    addOwners(b, identity, people);
    const privilege = privilegeOf(identity);
    if (privilege)
      b.edge({
        from: identity.id,
        to: b.node({ id: `privilege:${identity.id}`, type: 'privilege', label: privilege.label, flags: privilege.admin ? ['admin'] : [] }),
        type: 'grants',
      });
    const canActAs = (identity.attributes.effective as { canActAs?: { email: string; role: string }[] } | undefined)?.canActAs ?? [];
    for (const target of canActAs) {
      const targetId = `${identity.provider}:${identity.kind}:${target.email}`;
      if (identities.has(targetId)) b.edge({ from: identity.id, to: targetId, type: 'can-assume', label: target.role });
    }
    const vaultId = identity.attributes.vaultId;
    if (typeof vaultId === 'string') b.edge({ from: identity.id, to: vaultId, type: 'stored-in' });
  }
  for (const credential of inventory.credentials) {
    const flags = [credential.status === 'active' && !credential.secret ? 'active' : '', credential.secret ? 'leaked' : ''].filter(Boolean);
    b.node({ id: credential.id, type: 'credential', label: `${credential.kind} ${credential.name}`, ...(flags.length ? { flags } : {}) });
    addOwners(b, credential, people);
    addLocations(b, credential);
    const vaultId = credential.attributes.vaultId;
    if (typeof vaultId === 'string' && identities.has(vaultId)) b.edge({ from: credential.id, to: vaultId, type: 'stored-in' });
    const matched = credential.secret ? matchedCredentialOf(credential) : undefined;
    if (matched) b.edge({ from: credential.id, to: matched, type: 'unlocks' });
    const tagged = taggedCredentialOf(credential, liveIds);
    if (tagged) b.edge({ from: credential.id, to: tagged, type: 'unlocks', label: 'tagged with its key id' });
    if (credential.identityId && identities.has(credential.identityId)) b.edge({ from: matched ?? credential.id, to: credential.identityId, type: 'unlocks' });
  }
  return b.build();
}

/** The part of the graph within `depth` edges of `nodeId` (either direction). */
export function neighbourhood(graph: LineageGraph, nodeId: string, depth = 3): LineageGraph {
  const adjacent = new Map<string, string[]>();
  for (const e of graph.edges) {
    adjacent.set(e.from, [...(adjacent.get(e.from) ?? []), e.to]);
    adjacent.set(e.to, [...(adjacent.get(e.to) ?? []), e.from]);
  }
  const keep = new Set([nodeId]);
  let frontier = [nodeId];
  for (let d = 0; d < depth; d++) {
    frontier = frontier.flatMap((n) => adjacent.get(n) ?? []).filter((n) => !keep.has(n));
    for (const n of frontier) keep.add(n);
  }
  return { nodes: graph.nodes.filter((n) => keep.has(n.id)), edges: graph.edges.filter((e) => keep.has(e.from) && keep.has(e.to)) };
}
