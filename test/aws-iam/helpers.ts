/** Builders for AWS inventory objects, shaped exactly as src/model/aws.ts describes. */
import type { AttachedPolicy, AwsPrincipalAttributes, PolicyDocument, PolicyStatement } from '../../src/model/aws.js';
import { makeId, type Credential, type Identity, type Inventory } from '../../src/model/index.js';
import { analyseInventory } from '../../src/aws-iam/index.js';
import type { EffectiveSummary, EscalationFinding } from '../../src/aws-iam/types.js';

export const ACCOUNT = '111122223333';

export function doc(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

export function allow(action: string | string[], resource: string | string[] = '*', extra: Partial<PolicyStatement> = {}): PolicyStatement {
  return { Effect: 'Allow', Action: action, Resource: resource, ...extra };
}

export function deny(action: string | string[], resource: string | string[] = '*', extra: Partial<PolicyStatement> = {}): PolicyStatement {
  return { Effect: 'Deny', Action: action, Resource: resource, ...extra };
}

export function inline(name: string, ...statements: PolicyStatement[]): AttachedPolicy {
  return { name, type: 'inline', document: doc(...statements) };
}

export function managed(name: string, document: PolicyDocument, awsManaged = false, account = ACCOUNT): AttachedPolicy {
  return { name, type: 'managed', arn: awsManaged ? `arn:aws:iam::aws:policy/${name}` : `arn:aws:iam::${account}:policy/${name}`, awsManaged, document };
}

export function groupInline(group: string, name: string, ...statements: PolicyStatement[]): AttachedPolicy {
  return { name, type: 'group-inline', group, document: doc(...statements) };
}

export const ADMIN_DOC = doc(allow('*', '*'));

interface PrincipalSpec {
  policies?: AttachedPolicy[];
  boundary?: PolicyDocument;
  groups?: string[];
  account?: string;
  trust?: PolicyDocument;
  tags?: Record<string, string>;
}

export function user(name: string, spec: PrincipalSpec = {}): Identity {
  const account = spec.account ?? ACCOUNT;
  const arn = `arn:aws:iam::${account}:user/${name}`;
  const groups = spec.groups ?? [...new Set((spec.policies ?? []).filter((p) => p?.group).map((p) => p.group!))];
  const attributes: AwsPrincipalAttributes = {
    arn,
    accountId: account,
    policies: spec.policies ?? [],
    groups,
    ...(spec.boundary ? { permissionsBoundary: { arn: `arn:aws:iam::${account}:policy/boundary`, document: spec.boundary } } : {}),
  };
  return { id: makeId('aws', 'iam-user', arn), provider: 'aws', kind: 'iam-user', nativeId: arn, name, scope: account, tags: spec.tags ?? {}, grants: [], attributes: attributes as unknown as Record<string, unknown>, source: 'test' };
}

export function trustingService(service: string): PolicyDocument {
  return doc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });
}

export function trustingAccount(account = ACCOUNT): PolicyDocument {
  return doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' });
}

export function role(name: string, spec: PrincipalSpec = {}): Identity {
  const account = spec.account ?? ACCOUNT;
  const arn = `arn:aws:iam::${account}:role/${name}`;
  const attributes: AwsPrincipalAttributes = {
    arn,
    accountId: account,
    policies: spec.policies ?? [],
    trustPolicy: spec.trust ?? trustingAccount(account),
    ...(spec.boundary ? { permissionsBoundary: { arn: `arn:aws:iam::${account}:policy/boundary`, document: spec.boundary } } : {}),
  };
  return { id: makeId('aws', 'iam-role', arn), provider: 'aws', kind: 'iam-role', nativeId: arn, name, scope: account, tags: spec.tags ?? {}, grants: [], attributes: attributes as unknown as Record<string, unknown>, source: 'test' };
}

export function accessKey(owner: Identity, accessKeyId: string, status: Credential['status'] = 'active'): Credential {
  return {
    id: makeId('aws', 'aws-access-key', accessKeyId),
    provider: 'aws',
    kind: 'aws-access-key',
    nativeId: accessKeyId,
    name: `${owner.name}/${accessKeyId}`,
    identityId: owner.id,
    scope: ACCOUNT,
    tags: {},
    status,
    attributes: { accessKeyId, userName: owner.name, accountId: ACCOUNT, supportsExpiry: false, usageTracked: true },
    source: 'test',
  };
}

export function inventoryOf(...identities: Identity[]): Inventory {
  return { identities, credentials: [] };
}

export function effectiveOf(identity: Identity): EffectiveSummary {
  const e = identity.attributes.effective as EffectiveSummary | undefined;
  if (!e) throw new Error(`no effective summary on ${identity.name}`);
  return e;
}

/** Analyses the given principals together and returns the first one's summary. */
export async function analyse(...identities: Identity[]): Promise<EffectiveSummary> {
  await analyseInventory(inventoryOf(...identities));
  return effectiveOf(identities[0]!);
}

export function path(summary: EffectiveSummary, id: string): EscalationFinding | undefined {
  return summary.escalationPaths.find((p) => p.id === id);
}
