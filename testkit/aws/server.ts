/**
 * A loopback emulator of the IAM and STS query APIs (form-encoded POST, XML responses) and the
 * Organizations JSON 1.1 API, for testing the real SDK clients without AWS. It
 * - serves the actions nhiscan's collector and the bench's per-user baseline call, with Marker paging;
 * - runs the credential report flow (STARTED → INPROGRESS → COMPLETE after N polls);
 * - tells accounts apart by the access key id in the SigV4 Authorization header (AssumeRole mints keys
 *   mapped to the target account);
 * - injects faults per action (throttling, 5xx, malformed XML, access denied, connection reset, a request
 *   that is never answered, a response whose body stops half-way);
 * - records every call so tests can assert the scanner stayed read-only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeAccessKeyId } from '../../connectors/aws/key-id.js';
import { ephemeralSecret, type Doc, type EmuAccount, type EmuKey, type EmuUser } from './model.js';
import { errorResponse, response } from './xml.js';
import { organizationPolicyAction, type EmuOrganizationPolicies } from './organization-policies.js';
import { answerResourceRequest, faultAnswer, isResourceService, parseResourceRequest, signedScope, type ResourceService } from './resources.js';
import type { Chaos } from '../chaos.js';

export const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export interface Fault {
  /** Action name (`GetAccountAuthorizationDetails`), or `*` for every action. */
  action: string;
  /**
   * `hang`: the request is read and never answered (the socket stays open until the client gives up);
   * `stall`: 200 and the first bytes of the body are sent, then nothing more.
   */
  kind: 'throttle' | 'server-error' | 'malformed' | 'access-denied' | 'reset' | 'hang' | 'stall';
  /** How many calls fail before the action works again; `Infinity` for always. Default 1. */
  times?: number;
  /** Only for requests made as this account. */
  account?: string;
  /** Seconds, sent as Retry-After with throttling. */
  retryAfter?: number;
}

export interface EmulatorOptions {
  accounts: EmuAccount[];
  /** Caller access key id → account; unknown keys act as the first account. */
  keyAccounts?: Record<string, string>;
  /** Polls of GenerateCredentialReport before the report is COMPLETE. Default 2. */
  reportPolls?: number;
  /** The caller may not generate/read the credential report (AccessDenied). */
  reportDenied?: boolean;
  faults?: Fault[];
  /** Random faults on the requests no scripted fault takes (the fault soak, testkit/chaos.ts). */
  chaos?: Chaos;
  /** Accounts listed by Organizations ListAccounts (default: all emulated accounts, ACTIVE). */
  organization?: { Id: string; Name: string; Status?: 'ACTIVE' | 'SUSPENDED' }[];
  /** Service control policies and the organisation tree (Organizations policy actions). */
  organizationPolicies?: EmuOrganizationPolicies;
  /** Accounts where AssumeRole is refused. */
  denyAssumeRoleInto?: string[];
  /** Only access key ids in `keyAccounts` are accepted; any other gets STS's 403 InvalidClientTokenId (a revoked or unknown key). */
  rejectUnknownKeys?: boolean;
  /** Delay before every response, to model a real API's round trip (benchmarks). */
  latencyMs?: number;
}

export interface LoggedCall {
  service: 'iam' | 'sts' | 'organizations' | ResourceService;
  action: string;
  account: string;
  params: Record<string, string>;
  status: number;
}

export class AwsEmulator {
  readonly log: LoggedCall[] = [];
  private server?: Server;
  private readonly accounts: Map<string, EmuAccount>;
  private readonly keyAccounts = new Map<string, string>();
  private readonly reportPolls = new Map<string, number>();
  private readonly faults: (Fault & { remaining: number })[];
  private seq = 0;
  private readonly detailCache = new Map<string, ReturnType<typeof authorizationDetailEntries>>();
  url = '';

  constructor(private readonly options: EmulatorOptions) {
    this.accounts = new Map(options.accounts.map((a) => [a.accountId, a]));
    for (const [k, v] of Object.entries(options.keyAccounts ?? {})) this.keyAccounts.set(k, v);
    this.faults = (options.faults ?? []).map((f) => ({ ...f, remaining: f.times ?? 1 }));
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  actions(): string[] {
    return [...new Set(this.log.map((c) => c.action))].sort();
  }

  count(action?: string): number {
    return action ? this.log.filter((c) => c.action === action).length : this.log.length;
  }

  addFault(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const account = this.callerAccount(req);
    const requestId = `req-${++this.seq}`;
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    const scope = signedScope(req);
    if (isResourceService(scope?.service)) return this.resourceRequest(scope.service, scope.region, req, body, account, res, requestId);
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') return this.organizations(target, body, account, res, requestId);
    const params = Object.fromEntries(new URLSearchParams(body));
    const action = params.Action ?? '';
    const service = params.Version === '2011-06-15' ? 'sts' : 'iam';
    const ns = service === 'sts' ? STS_NS : IAM_NS;
    const send = (status: number, xml: string, headers: Record<string, string> = {}) => {
      this.log.push({ service, action, account: account.accountId, params, status });
      res.writeHead(status, { 'content-type': 'text/xml', ...headers }).end(xml);
    };
    const fault = this.takeFault(action, account.accountId, params);
    if (fault) {
      this.log.push({ service, action, account: account.accountId, params, status: 0 });
      this.log.at(-1)!.status = this.sendFault(fault, res, ns, requestId);
      return;
    }
    try {
      if (this.options.rejectUnknownKeys) {
        const key = /Credential=([A-Z0-9]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
        if (!key || !this.keyAccounts.has(key)) throw new ApiError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
      }
      const result = service === 'sts' ? this.sts(action, params, account) : this.iam(action, params, account);
      send(200, response(action, ns, result, requestId));
    } catch (error) {
      if (error instanceof ApiError) send(error.status, errorResponse(ns, error.code, error.message, requestId));
      else send(500, errorResponse(ns, 'InternalFailure', String(error), requestId, 'Receiver'));
    }
  }

  /** KMS, Secrets Manager, S3, Lambda, SNS and SQS (testkit/aws/resources.ts), with the same fault injection. */
  private resourceRequest(
    service: ResourceService,
    region: string,
    req: IncomingMessage,
    body: string,
    account: EmuAccount,
    res: ServerResponse,
    requestId: string,
  ): void {
    const request = parseResourceRequest(service, req, body);
    const entry: LoggedCall = { service, action: request.action, account: account.accountId, params: request.params, status: 0 };
    this.log.push(entry);
    const fault = this.takeFault(request.action, account.accountId, request.params);
    if (fault && fault.kind !== 'throttle' && fault.kind !== 'server-error' && fault.kind !== 'access-denied') {
      entry.status = this.sendFault(fault, res, '', requestId);
      return;
    }
    const answer = fault ? faultAnswer(service, fault.kind as 'throttle', requestId) : answerResourceRequest(account, request, region, this.url, requestId);
    entry.status = answer.status;
    res.writeHead(answer.status, answer.headers).end(answer.body);
  }

  private takeFault(action: string, account: string, params: Record<string, string>): Fault | undefined {
    const fault = this.faults.find((f) => f.remaining > 0 && (f.action === action || f.action === '*') && (!f.account || f.account === account));
    if (fault) fault.remaining--;
    return fault ?? this.chaosFault(action, account, params);
  }

  private chaosFault(action: string, account: string, params: Record<string, string>): Fault | undefined {
    const chaos = this.options.chaos;
    const kind = chaos?.pick(`${account} ${action} ${new URLSearchParams(params).toString()}`);
    if (!chaos || !kind) return undefined;
    if (kind === 'throttle') return { action, kind, retryAfter: chaos.retryAfterSeconds };
    return { action, kind };
  }

  private sendFault(fault: Fault, res: ServerResponse, ns: string, requestId: string): number {
    switch (fault.kind) {
      case 'throttle':
        res
          .writeHead(400, { 'content-type': 'text/xml', ...(fault.retryAfter ? { 'retry-after': String(fault.retryAfter) } : {}) })
          .end(errorResponse(ns, 'Throttling', 'Rate exceeded', requestId));
        return 400;
      case 'server-error':
        res.writeHead(503, { 'content-type': 'text/xml' }).end(errorResponse(ns, 'ServiceUnavailable', 'Service is unavailable', requestId, 'Receiver'));
        return 503;
      case 'access-denied':
        res.writeHead(403, { 'content-type': 'text/xml' }).end(errorResponse(ns, 'AccessDenied', 'User is not authorized to perform this action', requestId));
        return 403;
      case 'malformed':
        res
          .writeHead(200, { 'content-type': 'text/xml' })
          .end(
            `<?xml version="1.0"?>\n<GetAccountAuthorizationDetailsResponse xmlns="${ns}"><GetAccountAuthorizationDetailsResult><UserDetailList><member><UserName>tru`,
          );
        return 200;
      case 'reset':
        res.socket?.destroy();
        return 0;
      case 'hang':
        // Never answered: stop() closes the socket if the client has not given up by then.
        return 0;
      case 'stall':
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.write(`<?xml version="1.0"?>\n<ResponseMetadata xmlns="${ns}">`);
        return 200;
    }
  }

  private callerAccount(req: IncomingMessage): EmuAccount {
    const auth = String(req.headers.authorization ?? '');
    const key = /Credential=([A-Z0-9]+)\//.exec(auth)?.[1];
    const id = (key && this.keyAccounts.get(key)) ?? this.options.accounts[0]!.accountId;
    return this.accounts.get(id) ?? this.options.accounts[0]!;
  }

  private sts(action: string, params: Record<string, string>, account: EmuAccount): Record<string, unknown> {
    switch (action) {
      case 'GetCallerIdentity':
        return { Arn: `arn:aws:iam::${account.accountId}:user/nhiscan`, UserId: 'AIDAEMULATEDSCANNER01', Account: account.accountId };
      case 'AssumeRole': {
        const roleArn = params.RoleArn ?? '';
        const target = roleArn.split(':')[4] ?? '';
        if (!this.accounts.has(target) || this.options.denyAssumeRoleInto?.includes(target)) {
          throw new ApiError(403, 'AccessDenied', `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
        }
        const keyId = makeAccessKeyId(target, 1000 + ++this.seq, 'ASIA');
        this.keyAccounts.set(keyId, target);
        const name = roleArn.split('/').at(-1);
        return {
          Credentials: {
            AccessKeyId: keyId,
            SecretAccessKey: ephemeralSecret(),
            SessionToken: ephemeralSecret(),
            Expiration: new Date(Date.now() + 3_600_000).toISOString(),
          },
          AssumedRoleUser: {
            Arn: `arn:aws:sts::${target}:assumed-role/${name}/${params.RoleSessionName}`,
            AssumedRoleId: `AROAEMULATED:${params.RoleSessionName}`,
          },
        };
      }
      default:
        throw new ApiError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
    }
  }

  private organizations(target: string, body: string, account: EmuAccount, res: ServerResponse, requestId: string): void {
    const action = target.split('.').at(-1) ?? '';
    const input = body ? (JSON.parse(body) as { NextToken?: string; MaxResults?: number; PolicyId?: string; ChildId?: string; Filter?: string }) : {};
    const params = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, String(v)]));
    const send = (status: number, value: unknown) => {
      this.log.push({ service: 'organizations', action, account: account.accountId, params, status });
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId }).end(JSON.stringify(value));
    };
    const fault = this.takeFault(action, account.accountId, params);
    if (fault?.kind === 'access-denied') return send(400, { __type: 'AccessDeniedException', Message: "You don't have permissions to access this resource." });
    if (fault?.kind === 'throttle') return send(400, { __type: 'TooManyRequestsException', Message: 'Rate exceeded' });
    if (fault) return send(500, { __type: 'ServiceException', Message: 'Service is unavailable' });
    const policies = organizationPolicyAction(action, input, this.options.organizationPolicies ?? { policies: [] }, account.accountId);
    if (policies) return send(policies.status, policies.body);
    if (action !== 'ListAccounts') return send(400, { __type: 'UnknownOperationException', message: action });
    const all = (
      this.options.organization ?? [...this.accounts.values()].map((a) => ({ Id: a.accountId, Name: `account-${a.accountId}`, Status: 'ACTIVE' as const }))
    ).map((a) => ({
      Id: a.Id,
      Arn: `arn:aws:organizations::${account.accountId}:account/o-emulated/${a.Id}`,
      Email: `aws+${a.Id}@example.com`,
      Name: a.Name,
      Status: a.Status ?? 'ACTIVE',
      JoinedMethod: 'CREATED',
      JoinedTimestamp: 1_577_836_800,
    }));
    const start = Number(input.NextToken ?? 0);
    const size = input.MaxResults ?? 2;
    const page = all.slice(start, start + size);
    send(200, { Accounts: page, ...(start + size < all.length ? { NextToken: String(start + size) } : {}) });
  }

  private iam(action: string, p: Record<string, string>, account: EmuAccount): Record<string, unknown> | undefined {
    const user = () => account.users.get(p.UserName ?? '') ?? notFound(`user ${p.UserName}`);
    const role = () => account.roles.get(p.RoleName ?? '') ?? notFound(`role ${p.RoleName}`);
    const group = () => account.groups.get(p.GroupName ?? '') ?? notFound(`group ${p.GroupName}`);
    switch (action) {
      case 'GetAccountAuthorizationDetails':
        return this.authorizationDetails(account, p);
      case 'GenerateCredentialReport': {
        if (this.options.reportDenied) throw new ApiError(403, 'AccessDenied', 'not authorized to perform: iam:GenerateCredentialReport');
        const polls = (this.reportPolls.get(account.accountId) ?? 0) + 1;
        this.reportPolls.set(account.accountId, polls);
        const needed = this.options.reportPolls ?? 2;
        const State = polls === 1 && needed > 0 ? 'STARTED' : polls > needed ? 'COMPLETE' : 'INPROGRESS';
        return { State, Description: State === 'COMPLETE' ? 'No report exists. Starting a new report generation task' : 'Report generation in progress' };
      }
      case 'GetCredentialReport': {
        if (this.options.reportDenied) throw new ApiError(403, 'AccessDenied', 'not authorized to perform: iam:GetCredentialReport');
        const polls = this.reportPolls.get(account.accountId) ?? 0;
        if (polls === 0) throw new ApiError(410, 'ReportNotPresent', 'Credential report not present');
        if (polls <= (this.options.reportPolls ?? 2)) throw new ApiError(404, 'ReportInProgress', 'Credential report is being generated');
        return { Content: Buffer.from(credentialReportCsv(account)).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2026-11-28T12:00:00Z' };
      }
      case 'ListUsers':
        return page([...account.users.values()].map(userSummary), p, 'Users');
      case 'ListRoles':
        return page(
          [...account.roles.values()].map((r) => ({
            Path: r.Path,
            RoleName: r.RoleName,
            RoleId: r.RoleId,
            Arn: r.Arn,
            CreateDate: r.CreateDate,
            AssumeRolePolicyDocument: enc(r.Trust),
            MaxSessionDuration: 3600,
          })),
          p,
          'Roles',
        );
      case 'ListGroups':
        return page([...account.groups.values()].map(groupSummary), p, 'Groups');
      case 'GetRole': {
        const r = role();
        return {
          Role: {
            Path: r.Path,
            RoleName: r.RoleName,
            RoleId: r.RoleId,
            Arn: r.Arn,
            CreateDate: r.CreateDate,
            AssumeRolePolicyDocument: enc(r.Trust),
            MaxSessionDuration: 3600,
            PermissionsBoundary: boundary(r.Boundary),
            Tags: tags(r.Tags),
            RoleLastUsed: r.LastUsed ?? {},
          },
        };
      }
      case 'ListUserTags':
        return page(tags(user().Tags), p, 'Tags');
      case 'ListGroupsForUser': {
        const u = user();
        return page(
          u.Groups.map((g) => account.groups.get(g))
            .filter((g) => g)
            .map((g) => groupSummary(g!)),
          p,
          'Groups',
        );
      }
      case 'ListAttachedUserPolicies':
        return page(attachedList(account, user().Attached), p, 'AttachedPolicies');
      case 'ListAttachedRolePolicies':
        return page(attachedList(account, role().Attached), p, 'AttachedPolicies');
      case 'ListAttachedGroupPolicies':
        return page(attachedList(account, group().Attached), p, 'AttachedPolicies');
      case 'ListUserPolicies':
        return page(Object.keys(user().Inline), p, 'PolicyNames');
      case 'ListRolePolicies':
        return page(Object.keys(role().Inline), p, 'PolicyNames');
      case 'ListGroupPolicies':
        return page(Object.keys(group().Inline), p, 'PolicyNames');
      case 'GetUserPolicy':
        return { UserName: p.UserName, PolicyName: p.PolicyName, PolicyDocument: enc(user().Inline[p.PolicyName ?? ''] ?? notFound(`policy ${p.PolicyName}`)) };
      case 'GetRolePolicy':
        return { RoleName: p.RoleName, PolicyName: p.PolicyName, PolicyDocument: enc(role().Inline[p.PolicyName ?? ''] ?? notFound(`policy ${p.PolicyName}`)) };
      case 'GetGroupPolicy':
        return {
          GroupName: p.GroupName,
          PolicyName: p.PolicyName,
          PolicyDocument: enc(group().Inline[p.PolicyName ?? ''] ?? notFound(`policy ${p.PolicyName}`)),
        };
      case 'ListPolicies':
        return page(
          [...account.policies.values()]
            .filter((x) => p.Scope !== 'Local' || !x.Arn.includes(':iam::aws:'))
            .map((x) => ({
              PolicyName: x.PolicyName,
              PolicyId: x.PolicyId,
              Arn: x.Arn,
              Path: x.Path,
              DefaultVersionId: x.DefaultVersionId,
              AttachmentCount: 1,
              IsAttachable: true,
              CreateDate: x.CreateDate,
              UpdateDate: x.CreateDate,
            })),
          p,
          'Policies',
        );
      case 'GetPolicyVersion': {
        const policy = account.policies.get(p.PolicyArn ?? '') ?? notFound(`policy ${p.PolicyArn}`);
        const v = policy.Versions.find((x) => x.VersionId === p.VersionId) ?? notFound(`version ${p.VersionId}`);
        return {
          PolicyVersion: {
            Document: enc(v.Document),
            VersionId: v.VersionId,
            IsDefaultVersion: v.VersionId === policy.DefaultVersionId,
            CreateDate: v.CreateDate,
          },
        };
      }
      case 'ListAccessKeys': {
        const keys = p.UserName ? user().Keys.map((k) => ({ ...keyMeta(k), UserName: p.UserName })) : account.root.Keys.map(keyMeta);
        return page(keys, p, 'AccessKeyMetadata');
      }
      case 'GetAccessKeyLastUsed': {
        const owner = [...account.users.values()].find((u) => u.Keys.some((k) => k.AccessKeyId === p.AccessKeyId));
        const key = owner?.Keys.find((k) => k.AccessKeyId === p.AccessKeyId) ?? notFound(`access key ${p.AccessKeyId}`);
        return { UserName: owner!.UserName, AccessKeyLastUsed: key.LastUsed ?? { ServiceName: 'N/A', Region: 'N/A' } };
      }
      case 'GetLoginProfile': {
        const u = user();
        if (!u.Password) notFound(`login profile for ${u.UserName}`);
        return { LoginProfile: { UserName: u.UserName, CreateDate: u.Password!.CreateDate, PasswordResetRequired: false } };
      }
      case 'ListMFADevices': {
        const u = user();
        return page(
          u.Mfa ? [{ UserName: u.UserName, SerialNumber: `arn:aws:iam::${account.accountId}:mfa/${u.UserName}`, EnableDate: '2021-01-01T00:00:00Z' }] : [],
          p,
          'MFADevices',
        );
      }
      default:
        throw new ApiError(400, 'InvalidAction', `Could not find operation ${action} for version 2010-05-08`);
    }
  }

  private authorizationDetails(account: EmuAccount, p: Record<string, string>): Record<string, unknown> {
    const filters = Object.entries(p)
      .filter(([k]) => /^Filter\.member\.\d+$/.test(k))
      .map(([, v]) => v);
    // Built once per account and filter: paging a 15,000-principal account must not rebuild it per page.
    const cacheKey = `${account.accountId}|${filters.join(',')}`;
    let entries = this.detailCache.get(cacheKey);
    if (!entries) this.detailCache.set(cacheKey, (entries = authorizationDetailEntries(account, filters)));
    const start = p.Marker ? Number(Buffer.from(p.Marker, 'base64').toString()) : 0;
    const size = Math.min(Number(p.MaxItems ?? 100), 1000);
    const slice = entries.slice(start, start + size);
    const lists: Record<DetailEntry[0], unknown[]> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
    for (const [list, item] of slice) lists[list].push(item);
    const truncated = start + size < entries.length;
    return { ...lists, IsTruncated: truncated, ...(truncated ? { Marker: Buffer.from(String(start + size)).toString('base64') } : {}) };
  }
}

type DetailEntry = [list: 'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies', item: Record<string, unknown>];

/** Every item GetAccountAuthorizationDetails returns for the account, in API order (users, groups, roles, policies). */
export function authorizationDetailEntries(account: EmuAccount, filters: string[] = []): DetailEntry[] {
  const want = (f: string) => filters.length === 0 || filters.includes(f);
  const entries: DetailEntry[] = [];
  if (want('User')) for (const u of account.users.values()) entries.push(['UserDetailList', userDetail(account, u)]);
  if (want('Group'))
    for (const g of account.groups.values())
      entries.push([
        'GroupDetailList',
        {
          Path: g.Path,
          GroupName: g.GroupName,
          GroupId: g.GroupId,
          Arn: g.Arn,
          CreateDate: g.CreateDate,
          GroupPolicyList: inlineList(g.Inline),
          AttachedManagedPolicies: attachedList(account, g.Attached),
        },
      ]);
  if (want('Role')) for (const r of account.roles.values()) entries.push(['RoleDetailList', roleDetail(account, r)]);
  for (const x of account.policies.values()) {
    const aws = x.Arn.includes(':iam::aws:');
    if (!(aws ? want('AWSManagedPolicy') : want('LocalManagedPolicy'))) continue;
    entries.push([
      'Policies',
      {
        PolicyName: x.PolicyName,
        PolicyId: x.PolicyId,
        Arn: x.Arn,
        Path: x.Path,
        DefaultVersionId: x.DefaultVersionId,
        AttachmentCount: 1,
        PermissionsBoundaryUsageCount: 0,
        IsAttachable: true,
        CreateDate: x.CreateDate,
        UpdateDate: x.CreateDate,
        PolicyVersionList: x.Versions.map((v) => ({
          Document: enc(v.Document),
          VersionId: v.VersionId,
          IsDefaultVersion: v.VersionId === x.DefaultVersionId,
          CreateDate: v.CreateDate,
        })),
      },
    ]);
  }
  return entries;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function notFound(what: string): never {
  throw new ApiError(404, 'NoSuchEntity', `The ${what} cannot be found.`);
}

/** Policy documents travel URL-encoded (RFC 3986) inside the XML. */
export function enc(doc: Doc): string {
  return encodeURIComponent(JSON.stringify(doc));
}

function page<T>(items: T[], p: Record<string, string>, key: string): Record<string, unknown> {
  const start = p.Marker ? Number(p.Marker.replace('m', '')) : 0;
  const size = Math.min(Number(p.MaxItems ?? 100), 1000);
  const truncated = start + size < items.length;
  return { [key]: items.slice(start, start + size), IsTruncated: truncated, ...(truncated ? { Marker: `m${start + size}` } : {}) };
}

const tags = (t: Record<string, string>) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));
const boundary = (arn?: string) => (arn ? { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn } : undefined);
const inlineList = (inline: Record<string, Doc>) => Object.entries(inline).map(([PolicyName, d]) => ({ PolicyName, PolicyDocument: enc(d) }));
const attachedList = (account: EmuAccount, arns: string[]) =>
  arns.map((PolicyArn) => ({ PolicyName: account.policies.get(PolicyArn)?.PolicyName ?? PolicyArn.split('/').at(-1), PolicyArn }));
const keyMeta = (k: EmuKey) => ({ AccessKeyId: k.AccessKeyId, Status: k.Status, CreateDate: k.CreateDate });
const userSummary = (u: EmuUser) => ({
  Path: u.Path,
  UserName: u.UserName,
  UserId: u.UserId,
  Arn: u.Arn,
  CreateDate: u.CreateDate,
  PasswordLastUsed: u.Password?.LastUsed,
});
const groupSummary = (g: { Path: string; GroupName: string; GroupId: string; Arn: string; CreateDate: string }) => ({
  Path: g.Path,
  GroupName: g.GroupName,
  GroupId: g.GroupId,
  Arn: g.Arn,
  CreateDate: g.CreateDate,
});

function userDetail(account: EmuAccount, u: EmuUser) {
  return {
    Path: u.Path,
    UserName: u.UserName,
    UserId: u.UserId,
    Arn: u.Arn,
    CreateDate: u.CreateDate,
    UserPolicyList: inlineList(u.Inline),
    GroupList: u.Groups,
    AttachedManagedPolicies: attachedList(account, u.Attached),
    PermissionsBoundary: boundary(u.Boundary),
    Tags: tags(u.Tags),
  };
}

function roleDetail(account: EmuAccount, r: import('./model.js').EmuRole) {
  return {
    Path: r.Path,
    RoleName: r.RoleName,
    RoleId: r.RoleId,
    Arn: r.Arn,
    CreateDate: r.CreateDate,
    AssumeRolePolicyDocument: enc(r.Trust),
    InstanceProfileList: r.InstanceProfiles.map((name) => ({
      Path: '/',
      InstanceProfileName: name,
      InstanceProfileId: `AIPA${name.toUpperCase()}`,
      Arn: `arn:aws:iam::${account.accountId}:instance-profile/${name}`,
      CreateDate: r.CreateDate,
      Roles: [],
    })),
    RolePolicyList: inlineList(r.Inline),
    AttachedManagedPolicies: attachedList(account, r.Attached),
    PermissionsBoundary: boundary(r.Boundary),
    Tags: tags(r.Tags),
    RoleLastUsed: r.LastUsed ?? {},
  };
}

const REPORT_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

/** AWS writes report dates with an explicit `+00:00` offset. */
const awsDate = (iso: string | undefined) => (iso ? iso.replace(/(\.\d+)?Z$/, '+00:00') : 'N/A');

function keyColumns(k: EmuKey | undefined): string[] {
  if (!k) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  return [
    String(k.Status === 'Active'),
    awsDate(k.CreateDate),
    awsDate(k.LastUsed?.LastUsedDate),
    k.LastUsed?.Region ?? 'N/A',
    k.LastUsed?.ServiceName ?? 'N/A',
  ];
}

export function credentialReportCsv(account: EmuAccount): string {
  const root = account.root;
  const rows = [
    [
      '<root_account>',
      `arn:aws:iam::${account.accountId}:root`,
      awsDate(root.CreateDate),
      'not_supported',
      root.PasswordLastUsed ? awsDate(root.PasswordLastUsed) : 'no_information',
      'not_supported',
      'not_supported',
      String(root.Mfa),
      ...keyColumns(root.Keys[0]),
      ...keyColumns(root.Keys[1]),
      'false',
      'N/A',
      'false',
      'N/A',
    ],
    ...[...account.users.values()].map((u) => [
      u.UserName,
      u.Arn,
      awsDate(u.CreateDate),
      String(!!u.Password),
      u.Password ? (u.Password.LastUsed ? awsDate(u.Password.LastUsed) : 'no_information') : 'N/A',
      u.Password ? awsDate(u.Password.CreateDate) : 'N/A',
      'N/A',
      String(u.Mfa),
      ...keyColumns(u.Keys[0]),
      ...keyColumns(u.Keys[1]),
      'false',
      'N/A',
      'false',
      'N/A',
    ]),
  ];
  return [REPORT_HEADER, ...rows.map((r) => r.join(','))].join('\n') + '\n';
}
