/**
 * Collects one AWS account with the fewest calls:
 * 1. STS GetCallerIdentity (the account id);
 * 2. GetAccountAuthorizationDetails, every page (users, groups, roles with RoleLastUsed and tags,
 *    managed policies with their versions, inline policies, boundaries, instance profiles);
 * 3. the credential report (GenerateCredentialReport polled with backoff, then GetCredentialReport):
 *    passwords, MFA, both keys' rotation and last use, the root account;
 * 4. ListAccessKeys only for users the report shows holding keys, for the key ids (no bulk call exists);
 *    without a report, ListAccessKeys + GetAccessKeyLastUsed for every user as the fallback;
 * 5. resource-based policies, secrets and KMS keys in the scan's region or regions (collect-resources.ts).
 */
import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountAuthorizationDetailsCommand,
  GetCredentialReportCommand,
  ListAccessKeysCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
  type ListAccessKeysCommandOutput,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CollectResult, ConnectorContext, SourceError } from '../../../src/plugin.js';
import { toIsoDate } from '../../../src/time.js';
import { detailCounts, mergeAuthDetails, type RawAuthDetails } from '../auth-details.js';
import { decodeReportContent, parseCredentialReport, type ReportRow } from '../credential-report.js';
import { buildAccount, type KeyMetadata } from '../inventory.js';
import { AwsCalls, CallFailed, errorCode } from './calls.js';
import { collectResourcePolicies } from './collect-resources.js';
import type { AwsClients } from './clients.js';
import type { AwsSettings } from './settings.js';

export interface AccountCollection extends CollectResult {
  accountId: string;
  errors: SourceError[];
  notCovered: { part: string; reason: string }[];
  stats: Record<string, number>;
}

export async function collectAccount(clients: AwsClients, settings: AwsSettings, ctx: ConnectorContext, knownAccountId?: string): Promise<AccountCollection> {
  const calls = new AwsCalls(ctx.signal);
  const caller = await calls.send<{ Account?: string }>(clients.sts, new GetCallerIdentityCommand({}), 'caller-identity');
  const accountId = caller.Account ?? knownAccountId ?? '';
  const read: AccountRead = { clients, calls, settings, ctx, label: `account ${accountId}`, errors: [], notCovered: [] };
  const { pages, complete } = await readAuthorizationDetails(read);
  const details = mergeAuthDetails(pages);
  const report = await readCredentialReport(read);
  if (!pages.length && !report)
    throw new Error(
      `${read.label}: neither the authorization details nor the credential report could be read: ${read.errors.map((e) => e.message).join('; ')}`,
    );
  const keys = await readAccessKeys(read, keyHolders(details, report, settings), report !== undefined);

  const { errors, notCovered } = read;
  const built = buildAccount({ accountId, details, report, keys }, ctx.source.spec);
  for (const p of built.problems) errors.push(p);
  const held = settings.resourcePolicies ? await resourcePolicies(clients, calls, settings, ctx, accountId) : undefined;
  errors.push(...(held?.errors ?? []));
  notCovered.push(...(held?.notCovered ?? []));
  return {
    accountId,
    identities: built.identities,
    credentials: [...built.credentials, ...(held?.credentials ?? [])],
    ...(held ? { resources: held.resources } : {}),
    errors,
    notCovered,
    stats: {
      ...held?.stats,
      ...detailCounts(details),
      accessKeys: built.credentials.length,
      authorizationDetailPages: pages.length,
      authorizationDetailsComplete: complete ? 1 : 0,
      credentialReport: report ? 1 : 0,
      apiCalls: calls.calls,
      apiAttempts: calls.attempts,
    },
  };
}

/** One account's reads: the clients and call budget, and what failed so far (errors, parts not covered). */
interface AccountRead {
  clients: AwsClients;
  calls: AwsCalls;
  settings: AwsSettings;
  ctx: ConnectorContext;
  label: string;
  errors: SourceError[];
  notCovered: { part: string; reason: string }[];
}

function failed(read: AccountRead, part: string, error: unknown): void {
  read.errors.push({ part, message: error instanceof Error ? error.message : String(error) });
}

/** Authorization details, every page. A page that keeps failing leaves what was read so far. */
async function readAuthorizationDetails(read: AccountRead): Promise<{ pages: RawAuthDetails[]; complete: boolean }> {
  const { clients, calls, settings, ctx, label } = read;
  const pages: RawAuthDetails[] = [];
  try {
    let marker: string | undefined;
    do {
      const page: GetAccountAuthorizationDetailsCommandOutput = await calls.send(
        clients.iam,
        new GetAccountAuthorizationDetailsCommand({ MaxItems: settings.pageSize, Marker: marker }),
        'authorization-details',
      );
      pages.push(page as RawAuthDetails);
      ctx.progress(`${label}: authorization details, page ${pages.length}`);
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return { pages, complete: true };
  } catch (error) {
    failed(read, 'authorization-details', error);
    read.notCovered.push({ part: 'authorization-details', reason: pages.length ? `only ${pages.length} page(s) could be read` : 'could not be read' });
    return { pages, complete: false };
  }
}

async function readCredentialReport(read: AccountRead): Promise<ReportRow[] | undefined> {
  try {
    read.ctx.progress(`${read.label}: credential report`);
    return await fetchCredentialReport(read.clients, read.calls, read.settings, read.ctx.signal);
  } catch (error) {
    failed(read, 'credential-report', error);
    read.notCovered.push({
      part: 'credential-report',
      reason: `unavailable (${errorCode(error)}): password, MFA and root-account facts not collected; access keys listed per user instead`,
    });
    return undefined;
  }
}

/** Key ids: the report has none. List keys only for users it shows holding a key; without a report, for every user. */
function keyHolders(details: ReturnType<typeof mergeAuthDetails>, report: ReportRow[] | undefined, settings: AwsSettings): string[] {
  if (report) return settings.accessKeyIds ? report.filter((r) => !r.isRoot && r.keys.length > 0).map((r) => r.user) : [];
  return (details.UserDetailList ?? []).map((u) => u.UserName!).filter(Boolean);
}

async function readAccessKeys(read: AccountRead, holders: string[], haveReport: boolean): Promise<KeyMetadata[]> {
  const { clients, calls } = read;
  const limit = pLimit(read.settings.concurrency);
  const keys: KeyMetadata[] = [];
  if (holders.length) read.ctx.progress(`${read.label}: access keys of ${holders.length} user(s)`);
  await Promise.all(
    holders.map((userName) =>
      limit(async () => {
        try {
          const listed = await listAccessKeys(clients, calls, userName);
          if (!haveReport) {
            // No report: last use has to come from one call per key.
            for (const key of listed) Object.assign(key, await lastUsed(clients, calls, key.accessKeyId, userName));
          }
          keys.push(...listed);
        } catch (error) {
          failed(read, `access-keys:${userName}`, error);
          // The user's key ids (and, without a report, their last use) are missing: say so, not only that a call failed.
          read.notCovered.push({ part: `access-keys:${userName}`, reason: `the user's access keys could not be listed (${errorCode(error)})` });
        }
      }),
    ),
  );
  return keys;
}

async function resourcePolicies(clients: AwsClients, calls: AwsCalls, settings: AwsSettings, ctx: ConnectorContext, accountId: string) {
  const regions = settings.regions ?? [await clients.kms.config.region()];
  ctx.progress(`account ${accountId}: resource policies in ${regions.join(', ')}`);
  return collectResourcePolicies(clients, calls, { accountId, regions, source: ctx.source.spec, concurrency: settings.concurrency });
}

async function fetchCredentialReport(clients: AwsClients, calls: AwsCalls, settings: AwsSettings, signal: AbortSignal): Promise<ReportRow[]> {
  const deadline = Date.now() + settings.reportTimeoutMs;
  let delay = settings.reportPollMs;
  for (;;) {
    const state = await calls.send<{ State?: string }>(clients.iam, new GenerateCredentialReportCommand({}), 'credential-report');
    if (state.State === 'COMPLETE') {
      try {
        const out = await calls.send<{ Content?: Uint8Array }>(clients.iam, new GetCredentialReportCommand({}), 'credential-report');
        if (!out.Content) throw new Error('GetCredentialReport returned no content');
        return parseCredentialReport(decodeReportContent(out.Content));
      } catch (error) {
        // Generated but expired or replaced between the two calls: generate again.
        if (!(error instanceof CallFailed && /ReportInProgress|ReportExpired|ReportNotPresent/.test(error.code))) throw error;
      }
    }
    if (Date.now() + delay > deadline)
      throw new Error(`credential report not ready after ${Math.round(settings.reportTimeoutMs / 1000)} s (last state ${state.State ?? 'unknown'})`);
    await sleep(delay * (0.75 + Math.random() / 2), undefined, { signal });
    delay = Math.min(Math.max(delay * 2, 50), 10_000);
  }
}

async function listAccessKeys(clients: AwsClients, calls: AwsCalls, userName: string): Promise<KeyMetadata[]> {
  const keys: KeyMetadata[] = [];
  let marker: string | undefined;
  do {
    const out: ListAccessKeysCommandOutput = await calls.send(
      clients.iam,
      new ListAccessKeysCommand({ UserName: userName, Marker: marker }),
      `access-keys:${userName}`,
    );
    for (const k of out.AccessKeyMetadata ?? []) {
      if (!k.AccessKeyId) continue;
      keys.push({ accessKeyId: k.AccessKeyId, userName, status: k.Status ?? 'Active', createDate: toIsoDate(k.CreateDate) });
    }
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  return keys;
}

async function lastUsed(clients: AwsClients, calls: AwsCalls, accessKeyId: string, userName: string): Promise<Partial<KeyMetadata>> {
  const out = await calls.send<{ AccessKeyLastUsed?: { LastUsedDate?: Date; ServiceName?: string; Region?: string } }>(
    clients.iam,
    new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }),
    `access-keys:${userName}`,
  );
  const used = out.AccessKeyLastUsed;
  const known = (v: string | undefined) => (v && v !== 'N/A' ? v : undefined);
  return { lastUsedDate: toIsoDate(used?.LastUsedDate), lastUsedService: known(used?.ServiceName), lastUsedRegion: known(used?.Region) };
}
