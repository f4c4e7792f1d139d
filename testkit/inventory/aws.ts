/**
 * AWS inventory builders for rule and analysis tests: principals, policies and access keys shaped exactly as
 * src/model/aws.ts describes. A test overrides the model fields (`fields`) and attributes it cares about.
 */
import type {
  AttachedPolicy,
  AwsAccessKeyAttributes,
  AwsPrincipalAttributes,
  AwsSecretAttributes,
  PolicyDocument,
  PolicyStatement,
} from '../../src/model/aws.js';
import { contractAttributes, makeId, type Credential, type Identity } from '../../src/model/index.js';

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
  /** Attributes beyond the policies (password, MFA, service-linked, ...). */
  attributes?: Partial<AwsPrincipalAttributes>;
  /** Model fields (createdAt, lastUsedAt, status, owner, ...). */
  fields?: Partial<Identity>;
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
    ...spec.attributes,
  };
  return {
    id: makeId('aws', 'iam-user', arn),
    provider: 'aws',
    kind: 'iam-user',
    nativeId: arn,
    name,
    scope: account,
    tags: spec.tags ?? {},
    grants: [],
    attributes: contractAttributes(attributes),
    source: 'test',
    ...spec.fields,
  };
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
    ...spec.attributes,
  };
  return {
    id: makeId('aws', 'iam-role', arn),
    provider: 'aws',
    kind: 'iam-role',
    nativeId: arn,
    name,
    scope: account,
    tags: spec.tags ?? {},
    grants: [],
    attributes: contractAttributes(attributes),
    source: 'test',
    ...spec.fields,
  };
}

/** The account's root user: provider-managed, it carries no owner tags. */
export function root(account = ACCOUNT, spec: PrincipalSpec = {}): Identity {
  const arn = `arn:aws:iam::${account}:root`;
  const attributes: AwsPrincipalAttributes = { arn, accountId: account, policies: [], providerManaged: true, ...spec.attributes };
  return {
    id: makeId('aws', 'iam-root', arn),
    provider: 'aws',
    kind: 'iam-root',
    nativeId: arn,
    name: 'root',
    scope: account,
    tags: {},
    grants: [],
    attributes: contractAttributes(attributes),
    source: 'test',
    ...spec.fields,
  };
}

/** An access key of `owner` (its account's root user makes a root key); `fields` sets dates and use, `attributes` the rest. */
export function accessKey(
  owner: Identity,
  accessKeyId: string,
  status: Credential['status'] = 'active',
  spec: { fields?: Partial<Credential>; attributes?: Partial<AwsAccessKeyAttributes> } = {},
): Credential {
  const account = owner.scope ?? ACCOUNT;
  const attributes: AwsAccessKeyAttributes = {
    accessKeyId,
    userName: owner.name,
    accountId: account,
    supportsExpiry: false,
    usageTracked: true,
    ...(owner.kind === 'iam-root' ? { isRoot: true } : {}),
    ...spec.attributes,
  };
  return {
    id: makeId('aws', 'aws-access-key', accessKeyId),
    provider: 'aws',
    kind: 'aws-access-key',
    nativeId: accessKeyId,
    name: `${owner.name}/${accessKeyId}`,
    identityId: owner.id,
    scope: account,
    tags: {},
    status,
    attributes: contractAttributes(attributes),
    source: 'test',
    ...spec.fields,
  };
}

/** A Secrets Manager secret named `name` (`team/app/NAME`) in eu-west-1, its value last changed at `lastChangedAt`. */
export function secretsManagerSecret(
  name: string,
  lastChangedAt: string,
  spec: { fields?: Partial<Credential>; attributes?: Partial<AwsSecretAttributes>; account?: string } = {},
): Credential {
  const account = spec.account ?? ACCOUNT;
  const arn = `arn:aws:secretsmanager:eu-west-1:${account}:secret:${name}-AbCdEf`;
  const attributes: AwsSecretAttributes = {
    arn,
    accountId: account,
    service: 'secretsmanager',
    region: 'eu-west-1',
    rotationEnabled: false,
    lastChangedAt,
    usageTracked: true,
    supportsExpiry: false,
    ...spec.attributes,
  };
  return {
    id: makeId('aws', 'aws-secret', arn),
    provider: 'aws',
    kind: 'aws-secret',
    nativeId: arn,
    name,
    scope: account,
    tags: {},
    createdAt: lastChangedAt,
    lastRotatedAt: lastChangedAt,
    status: 'active',
    attributes: contractAttributes(attributes),
    source: 'test',
    ...spec.fields,
  };
}
