/**
 * The emulator's regional services with resource-based policies, each in its real wire protocol (shapes
 * from the AWS API references):
 * - KMS (`TrentService.*`), Secrets Manager (`secretsmanager.*`): JSON 1.1, action in X-Amz-Target;
 * - SQS (`AmazonSQS.*`): JSON 1.0 (the protocol SQS moved to from Query);
 * - S3: REST-XML, path-style (`GET /`, `GET /{bucket}?policy`);
 * - Lambda: REST-JSON (`GET /2015-03-31/functions/`, `GET /2015-03-31/functions/{name}/policy`);
 * - SNS: Query (form-encoded POST, XML responses).
 * The server routes a request here by the service named in its SigV4 credential scope. Only the read
 * actions nhiscan uses are served; any other action is an error, so a write would show in the log as one.
 */
import type { IncomingMessage } from 'node:http';
import type { Doc, EmuAccount } from './model.js';
import { el, escapeXml } from './xml.js';

export const RESOURCE_SERVICES = ['kms', 'secretsmanager', 's3', 'lambda', 'sns', 'sqs'] as const;
export type ResourceService = (typeof RESOURCE_SERVICES)[number];
export const SNS_NS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export interface EmuSecret {
  Name: string;
  CreatedDate: string;
  RotationEnabled?: boolean;
  RotationDays?: number;
  LastRotatedDate?: string;
  LastAccessedDate?: string;
  OwningService?: string;
  Tags?: Record<string, string>;
  Policy?: Doc;
}

export interface EmuKmsKey {
  KeyId: string;
  CreationDate: string;
  KeyManager?: 'CUSTOMER' | 'AWS';
  KeySpec?: string;
  KeyState?: string;
  RotationEnabled?: boolean;
  /** Dates of past rotations. */
  Rotations?: string[];
  Aliases?: string[];
  Tags?: Record<string, string>;
  Policy: Doc;
}

/** `Region`: the only region the resource lives in (absent: it answers in every region, as before regions were modelled). */
interface Regional {
  Region?: string;
}

export interface EmuResources {
  secrets: (EmuSecret & Regional)[];
  keys: (EmuKmsKey & Regional)[];
  buckets: ({ Name: string; CreationDate?: string; Policy?: Doc } & Regional)[];
  functions: ({ FunctionName: string; Role: string; Policy?: Doc } & Regional)[];
  topics: ({ Name: string; Policy?: Doc } & Regional)[];
  queues: ({ Name: string; Policy?: Doc } & Regional)[];
}

/** What a request signed for `region` sees: the regional services' resources of that region; every bucket (ListBuckets is global). */
function inRegion(r: EmuResources, region: string): EmuResources {
  const here = <T extends Regional>(list: T[]) => list.filter((x) => !x.Region || x.Region === region);
  return { secrets: here(r.secrets), keys: here(r.keys), buckets: r.buckets, functions: here(r.functions), topics: here(r.topics), queues: here(r.queues) };
}

export function emptyResources(): EmuResources {
  return { secrets: [], keys: [], buckets: [], functions: [], topics: [], queues: [] };
}

/** The account's resources, created on first use (accounts built before resources existed have none). */
export function resourcesOf(account: EmuAccount): EmuResources {
  return (account.resources ??= emptyResources());
}

export interface ResourceRequest {
  service: ResourceService;
  action: string;
  params: Record<string, string>;
}

export interface ResourceAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class ResourceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The region and service a SigV4-signed request is for (`Credential=AKID/20261206/us-east-1/kms/aws4_request`). */
export function signedScope(req: IncomingMessage): { region: string; service: string } | undefined {
  const m = /Credential=[^/,]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''));
  return m ? { region: m[1]!, service: m[2]! } : undefined;
}

/** An injected fault (throttling, 5xx, access denied) in the service's own error format. */
export function faultAnswer(service: ResourceService, kind: 'throttle' | 'server-error' | 'access-denied', requestId: string): ResourceAnswer {
  const query = service === 's3' || service === 'sns';
  if (kind === 'throttle')
    return resourceError(
      service,
      service === 's3' ? 503 : 400,
      service === 's3' ? 'SlowDown' : query ? 'Throttling' : 'ThrottlingException',
      'Rate exceeded',
      requestId,
    );
  if (kind === 'server-error') return resourceError(service, 503, 'ServiceUnavailable', 'Service is unavailable', requestId);
  return resourceError(service, 403, query ? 'AccessDenied' : 'AccessDeniedException', 'User is not authorized to perform this action', requestId);
}

export function isResourceService(service: string | undefined): service is ResourceService {
  return (RESOURCE_SERVICES as readonly string[]).includes(service ?? '');
}

/** Action and parameters, read the way each protocol carries them. */
export function parseResourceRequest(service: ResourceService, req: IncomingMessage, body: string): ResourceRequest {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const target = String(req.headers['x-amz-target'] ?? '');
  const json = () =>
    Object.fromEntries(
      Object.entries((body ? JSON.parse(body) : {}) as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
  switch (service) {
    case 'kms':
    case 'secretsmanager':
    case 'sqs':
      return { service, action: target.split('.').at(-1) ?? '', params: json() };
    case 'sns': {
      const params = Object.fromEntries(new URLSearchParams(body));
      return { service, action: params.Action ?? '', params };
    }
    case 's3': {
      const bucket = decodeURIComponent(url.pathname.replace(/^\/+/, '').split('/')[0] ?? '');
      const query = Object.fromEntries(url.searchParams);
      if (req.method === 'GET' && !bucket) return { service, action: 'ListBuckets', params: query };
      if (req.method === 'GET' && url.searchParams.has('policy')) return { service, action: 'GetBucketPolicy', params: { Bucket: bucket } };
      return { service, action: `${req.method} ${url.pathname}${url.search}`, params: { Bucket: bucket } };
    }
    case 'lambda': {
      const m = /^\/2015-03-31\/functions\/?(?:([^/]+)\/(policy))?\/?$/.exec(url.pathname);
      if (req.method === 'GET' && m && !m[1]) return { service, action: 'ListFunctions', params: Object.fromEntries(url.searchParams) };
      if (req.method === 'GET' && m?.[2] === 'policy') return { service, action: 'GetPolicy', params: { FunctionName: decodeURIComponent(m[1]!) } };
      return { service, action: `${req.method} ${url.pathname}`, params: {} };
    }
  }
}

/** Answers a request as `account`; `baseUrl` is the emulator's own address (SQS queue URLs point at it). */
export function answerResourceRequest(account: EmuAccount, request: ResourceRequest, region: string, baseUrl: string, requestId: string): ResourceAnswer {
  const r = inRegion(resourcesOf(account), region);
  const ctx: Ctx = { account, r, region, p: request.params, baseUrl };
  try {
    const handler = HANDLERS[request.service][request.action];
    if (!handler) throw new ResourceError(400, 'InvalidAction', `${request.service} does not serve ${request.action} in this emulator`);
    return encode(request, handler(ctx), requestId);
  } catch (error) {
    const e = error instanceof ResourceError ? error : new ResourceError(500, 'InternalFailure', String(error));
    return resourceError(request.service, e.status, e.code, e.message, requestId);
  }
}

/** An error in the service's own format. */
export function resourceError(service: ResourceService, status: number, code: string, message: string, requestId: string): ResourceAnswer {
  switch (service) {
    case 's3':
      return xml(
        status,
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message><RequestId>${requestId}</RequestId></Error>`,
      );
    case 'sns':
      return xml(
        status,
        `<?xml version="1.0"?>\n<ErrorResponse xmlns="${SNS_NS}"><Error><Type>Sender</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    case 'lambda':
      return {
        status,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': code, 'x-amzn-requestid': requestId },
        body: JSON.stringify({ Type: 'User', Message: message }),
      };
    default:
      return { status, headers: { 'content-type': jsonType(service), 'x-amzn-requestid': requestId }, body: JSON.stringify({ __type: code, message }) };
  }
}

interface Ctx {
  account: EmuAccount;
  r: EmuResources;
  region: string;
  p: Record<string, string>;
  baseUrl: string;
}

type Handler = (ctx: Ctx) => unknown;

const epoch = (iso: string | undefined) => (iso ? Date.parse(iso) / 1000 : undefined);
const policyText = (doc: Doc | undefined) => (doc ? JSON.stringify(doc) : undefined);
const secretArn = (c: Ctx, s: EmuSecret) => `arn:aws:secretsmanager:${c.region}:${c.account.accountId}:secret:${s.Name}-AbCdEf`;
const keyArn = (c: Ctx, k: EmuKmsKey) => `arn:aws:kms:${c.region}:${c.account.accountId}:key/${k.KeyId}`;

function notFound(code: string, what: string): never {
  throw new ResourceError(code === 'NoSuchBucketPolicy' || code === 'ResourceNotFoundException' ? 404 : 400, code, `${what} not found`);
}

/** Opaque paging: the token is the next index. */
function paged<T>(items: T[], token: string | undefined, size: number): { page: T[]; next?: string } {
  const start = Number(token ?? 0);
  return { page: items.slice(start, start + size), ...(start + size < items.length ? { next: String(start + size) } : {}) };
}

function secretOf(c: Ctx): EmuSecret {
  const id = c.p.SecretId ?? '';
  return c.r.secrets.find((s) => s.Name === id || secretArn(c, s) === id) ?? notFound('ResourceNotFoundException', `secret ${id}`);
}

function keyOf(c: Ctx): EmuKmsKey {
  const id = c.p.KeyId ?? '';
  return c.r.keys.find((k) => k.KeyId === id || keyArn(c, k) === id) ?? notFound('NotFoundException', `key ${id}`);
}

const HANDLERS: Record<ResourceService, Record<string, Handler>> = {
  secretsmanager: {
    ListSecrets: (c) => {
      const { page, next } = paged(c.r.secrets, c.p.NextToken, Number(c.p.MaxResults ?? 100));
      return {
        SecretList: page.map((s) => ({
          ARN: secretArn(c, s),
          Name: s.Name,
          RotationEnabled: s.RotationEnabled ?? false,
          ...(s.RotationDays ? { RotationRules: { AutomaticallyAfterDays: s.RotationDays } } : {}),
          CreatedDate: epoch(s.CreatedDate),
          LastChangedDate: epoch(s.LastRotatedDate ?? s.CreatedDate),
          LastRotatedDate: epoch(s.LastRotatedDate),
          LastAccessedDate: epoch(s.LastAccessedDate),
          OwningService: s.OwningService,
          Tags: Object.entries(s.Tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
          SecretVersionsToStages: { 'v-1': ['AWSCURRENT'] },
        })),
        ...(next ? { NextToken: next } : {}),
      };
    },
    GetResourcePolicy: (c) => {
      const s = secretOf(c);
      return { ARN: secretArn(c, s), Name: s.Name, ResourcePolicy: policyText(s.Policy) };
    },
  },
  kms: {
    ListKeys: (c) => {
      const { page, next } = paged(c.r.keys, c.p.Marker, Number(c.p.Limit ?? 100));
      return { Keys: page.map((k) => ({ KeyId: k.KeyId, KeyArn: keyArn(c, k) })), Truncated: !!next, ...(next ? { NextMarker: next } : {}) };
    },
    ListAliases: (c) => ({
      Aliases: c.r.keys.flatMap((k) =>
        (k.Aliases ?? []).map((a) => ({
          AliasName: `alias/${a}`,
          AliasArn: `arn:aws:kms:${c.region}:${c.account.accountId}:alias/${a}`,
          TargetKeyId: k.KeyId,
        })),
      ),
      Truncated: false,
    }),
    DescribeKey: (c) => {
      const k = keyOf(c);
      return {
        KeyMetadata: {
          AWSAccountId: c.account.accountId,
          KeyId: k.KeyId,
          Arn: keyArn(c, k),
          CreationDate: epoch(k.CreationDate),
          Enabled: (k.KeyState ?? 'Enabled') === 'Enabled',
          KeyUsage: 'ENCRYPT_DECRYPT',
          KeyState: k.KeyState ?? 'Enabled',
          Origin: 'AWS_KMS',
          KeyManager: k.KeyManager ?? 'CUSTOMER',
          KeySpec: k.KeySpec ?? 'SYMMETRIC_DEFAULT',
          CustomerMasterKeySpec: k.KeySpec ?? 'SYMMETRIC_DEFAULT',
          EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
          MultiRegion: false,
        },
      };
    },
    GetKeyPolicy: (c) => ({ Policy: policyText(keyOf(c).Policy), PolicyName: 'default' }),
    GetKeyRotationStatus: (c) => {
      const k = keyOf(c);
      if ((k.KeySpec ?? 'SYMMETRIC_DEFAULT') !== 'SYMMETRIC_DEFAULT')
        throw new ResourceError(400, 'UnsupportedOperationException', 'rotation of asymmetric keys');
      return { KeyRotationEnabled: k.RotationEnabled ?? false, KeyId: keyArn(c, k), ...(k.RotationEnabled ? { RotationPeriodInDays: 365 } : {}) };
    },
    ListKeyRotations: (c) => {
      const k = keyOf(c);
      return { Rotations: (k.Rotations ?? []).map((d) => ({ KeyId: k.KeyId, RotationDate: epoch(d), RotationType: 'AUTOMATIC' })), Truncated: false };
    },
    ListResourceTags: (c) => ({ Tags: Object.entries(keyOf(c).Tags ?? {}).map(([TagKey, TagValue]) => ({ TagKey, TagValue })), Truncated: false }),
  },
  s3: {
    ListBuckets: (c) => ({
      Owner: { ID: `owner-${c.account.accountId}`, DisplayName: 'owner' },
      Buckets: c.r.buckets.map((b) => ({ Name: b.Name, CreationDate: b.CreationDate ?? '2022-01-01T00:00:00.000Z', BucketRegion: b.Region ?? c.region })),
    }),
    GetBucketPolicy: (c) => {
      const b = c.r.buckets.find((x) => x.Name === c.p.Bucket) ?? notFound('NoSuchBucket', `bucket ${c.p.Bucket}`);
      return policyText(b.Policy) ?? notFound('NoSuchBucketPolicy', `policy of bucket ${b.Name}`);
    },
  },
  lambda: {
    ListFunctions: (c) => {
      const { page, next } = paged(c.r.functions, c.p.Marker, Number(c.p.MaxItems ?? 50));
      return {
        Functions: page.map((f) => ({
          FunctionName: f.FunctionName,
          FunctionArn: `arn:aws:lambda:${c.region}:${c.account.accountId}:function:${f.FunctionName}`,
          Runtime: 'nodejs20.x',
          Role: f.Role,
          Handler: 'index.handler',
          LastModified: '2026-01-01T00:00:00.000+0000',
        })),
        ...(next ? { NextMarker: next } : {}),
      };
    },
    GetPolicy: (c) => {
      const f = c.r.functions.find((x) => x.FunctionName === c.p.FunctionName) ?? notFound('ResourceNotFoundException', `function ${c.p.FunctionName}`);
      return { Policy: policyText(f.Policy) ?? notFound('ResourceNotFoundException', `policy of function ${f.FunctionName}`), RevisionId: 'rev-1' };
    },
  },
  sns: {
    ListTopics: (c) => {
      const { page, next } = paged(c.r.topics, c.p.NextToken, 100);
      return { Topics: page.map((t) => ({ TopicArn: `arn:aws:sns:${c.region}:${c.account.accountId}:${t.Name}` })), NextToken: next };
    },
    GetTopicAttributes: (c) => {
      const t =
        c.r.topics.find((x) => `arn:aws:sns:${c.region}:${c.account.accountId}:${x.Name}` === c.p.TopicArn) ?? notFound('NotFound', `topic ${c.p.TopicArn}`);
      const attributes: Record<string, string | undefined> = {
        TopicArn: c.p.TopicArn,
        Owner: c.account.accountId,
        Policy: policyText(t.Policy),
        DisplayName: t.Name,
      };
      return { Attributes: new SnsMap(attributes) };
    },
  },
  sqs: {
    ListQueues: (c) => {
      const { page, next } = paged(c.r.queues, c.p.NextToken, Number(c.p.MaxResults ?? 1000));
      return { QueueUrls: page.map((q) => `${c.baseUrl}/${c.account.accountId}/${q.Name}`), ...(next ? { NextToken: next } : {}) };
    },
    GetQueueAttributes: (c) => {
      const name = (c.p.QueueUrl ?? '').split('/').at(-1);
      const q = c.r.queues.find((x) => x.Name === name) ?? notFound('AWS.SimpleQueueService.NonExistentQueue', `queue ${c.p.QueueUrl}`);
      const policy = policyText(q.Policy);
      return { Attributes: { QueueArn: `arn:aws:sqs:${c.region}:${c.account.accountId}:${q.Name}`, ...(policy ? { Policy: policy } : {}) } };
    },
  },
};

/** An SNS attribute map serialises as `<entry><key/><value/></entry>` elements. */
class SnsMap {
  constructor(readonly entries: Record<string, string | undefined>) {}
}

function encode(request: ResourceRequest, result: unknown, requestId: string): ResourceAnswer {
  switch (request.service) {
    case 's3':
      if (request.action === 'GetBucketPolicy')
        return { status: 200, headers: { 'content-type': 'application/json', 'x-amz-request-id': requestId }, body: String(result) };
      return xml(200, `<?xml version="1.0" encoding="UTF-8"?>\n${s3Buckets(result as { Owner: object; Buckets: object[] })}`);
    case 'sns':
      return xml(200, snsXml(request.action, result as Record<string, unknown>, requestId));
    case 'lambda':
      return { status: 200, headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId }, body: JSON.stringify(result) };
    default:
      return { status: 200, headers: { 'content-type': jsonType(request.service), 'x-amzn-requestid': requestId }, body: JSON.stringify(result) };
  }
}

function s3Buckets(result: { Owner: object; Buckets: object[] }): string {
  const buckets = result.Buckets.map((b) => el('Bucket', b)).join('');
  return `<ListAllMyBucketsResult xmlns="${S3_NS}">${el('Owner', result.Owner)}<Buckets>${buckets}</Buckets></ListAllMyBucketsResult>`;
}

/** awsQuery XML; a map (SnsMap) is a list of `<entry><key/><value/></entry>` elements, not `<member>`s. */
function snsXml(action: string, result: Record<string, unknown>, requestId: string): string {
  const parts = Object.entries(result).map(([k, v]) =>
    v instanceof SnsMap
      ? `<${k}>${Object.entries(v.entries)
          .flatMap(([key, value]) => (value === undefined ? [] : [`<entry>${el('key', key)}${el('value', value)}</entry>`]))
          .join('')}</${k}>`
      : el(k, v),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${SNS_NS}"><${action}Result>${parts.join('')}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

function jsonType(service: ResourceService): string {
  return service === 'sqs' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
}

function xml(status: number, body: string): ResourceAnswer {
  return { status, headers: { 'content-type': 'text/xml' }, body };
}
