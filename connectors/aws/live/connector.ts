/**
 * The `aws` source: `aws` (the default credential chain) or `aws:PROFILE` (a named profile; give the
 * source several times for several accounts, each with its own status). With `--aws-org-role NAME`
 * (or `settings.aws.orgRole`) the source lists the accounts of the AWS Organization the credentials
 * belong to and assumes NAME in each; every account is reported as its own sub-source
 * (`aws#account:ID` in the report's `sources`) with its own status, errors and counts, and the
 * source itself keeps the organization-wide counts.
 */
import { ListAccountsCommand, type ListAccountsCommandOutput } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, type AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import type { CollectResult, Connector, ConnectorContext, SubSourceResult } from '../../../src/plugin.js';
import { AwsCalls, errorCode } from './calls.js';
import { collectServiceControlPolicies } from './collect-scps.js';
import { awsConnectorMeta } from './meta.js';
import { createClients, defaultCredentials, resolveRegion, type AwsClients } from './clients.js';
import { collectAccount } from './collect-account.js';
import { parseAwsSettings, type AwsSettings } from './settings.js';
import { holdSecret } from '../../../src/held-secrets.js';
import { shardOwns } from '../../../src/shard.js';
import { withHumanPeople } from '../people.js';

export const awsConnector: Connector = {
  ...awsConnectorMeta,
  async collect(ctx) {
    const settings = parseAwsSettings(ctx.options);
    const profile = ctx.source.target || undefined;
    const region = await resolveRegion(settings, profile);
    const clients = createClients(settings, region, defaultCredentials(profile, ctx.log), profile);
    try {
      if (settings.orgRole) return withHumanPeople(await collectOrganization(clients, settings, region, ctx), ctx.source.spec);
      const account = await collectAccount(clients, settings, ctx);
      return withHumanPeople({ ...account, status: account.errors.length || account.notCovered.length ? 'partial' : 'ok' }, ctx.source.spec);
    } finally {
      clients.destroy();
    }
  },
};

async function collectOrganization(management: AwsClients, settings: AwsSettings, region: string, ctx: ConnectorContext): Promise<CollectResult> {
  const calls = new AwsCalls(ctx.signal);
  const caller = await calls.send<{ Account?: string; Arn?: string }>(management.sts, new GetCallerIdentityCommand({}), 'caller-identity');
  const org: OrgScan = { management, settings, region, ctx, calls, callerAccount: caller.Account, partition: caller.Arn?.split(':')[1] || 'aws' };
  const accounts = await listAccounts(org);
  const selected = (settings.orgAccounts ? accounts.filter((a) => settings.orgAccounts!.includes(a.id)) : accounts).filter((a) => shardOwns(ctx.shard, a.id));
  ctx.progress(`organization: ${selected.length} account(s)`);

  const result: OrgCollection = { identities: [], credentials: [], resources: [], accountSources: new Map() };
  const stats: Record<string, number> = { accounts: selected.length, accountsScanned: 0, accountsFailed: 0, apiCalls: 0 };
  const limit = pLimit(settings.accountConcurrency);
  await Promise.all(selected.map((account) => limit(() => collectMember(org, account, result, stats))));
  const scps = settings.serviceControlPolicies ? await readScps(management, calls, selected, ctx) : undefined;
  result.resources.push(...(scps?.resources ?? []));
  if (scps) stats.serviceControlPolicies = scps.resources.filter((r) => r.kind === 'aws-scp').length;
  stats.apiCalls! += calls.calls;
  // One sub-source per account, in the organization's order, so the report reads the same every run.
  const subSources = selected.map((a) => result.accountSources.get(a.id)!);
  const { identities, credentials, resources } = result;
  // Every account failing fails the source, but each account still carries its own reason.
  if (selected.length > 0 && stats.accountsScanned === 0) {
    const errors = [{ part: 'organization', message: `none of the organization's ${selected.length} account(s) could be scanned (see each account's entry)` }];
    return { identities, credentials, resources, stats, subSources, errors, status: 'failed' };
  }
  const scpErrors = scps?.errors ?? [];
  return {
    identities,
    credentials,
    resources,
    stats,
    subSources,
    ...(scpErrors.length ? { errors: scpErrors } : {}),
    ...(scps?.notCovered.length ? { notCovered: scps.notCovered } : {}),
    status: stats.accountsFailed || scpErrors.length ? 'partial' : 'ok',
  };
}

/** The organisation's SCPs, read once with the management credentials; a failure leaves the accounts scanned, SCPs not applied. */
async function readScps(management: AwsClients, calls: AwsCalls, accounts: { id: string }[], ctx: ConnectorContext) {
  ctx.progress('organization: service control policies');
  try {
    const read = await collectServiceControlPolicies(
      management,
      calls,
      accounts.map((a) => a.id),
      ctx.source.spec,
    );
    return { resources: read.resources, errors: read.problems, notCovered: [] };
  } catch (error) {
    return {
      resources: [],
      errors: [{ part: 'service-control-policies', message: (error as Error).message }],
      notCovered: [{ part: 'service-control-policies', reason: `could not be read (${errorCode(error)}): effective permissions are computed without SCPs` }],
    };
  }
}

/** An organization scan: the management account's clients and the caller, whose account is read with its own credentials. */
interface OrgScan {
  management: AwsClients;
  settings: AwsSettings;
  region: string;
  ctx: ConnectorContext;
  calls: AwsCalls;
  callerAccount: string | undefined;
  partition: string;
}

/** What the member accounts add up to, and each account's own entry. */
interface OrgCollection {
  identities: CollectResult['identities'];
  credentials: CollectResult['credentials'];
  resources: NonNullable<CollectResult['resources']>;
  accountSources: Map<string, SubSourceResult>;
}

/** The organization's accounts, every page, without suspended or closed ones. */
async function listAccounts({ management, calls }: OrgScan): Promise<{ id: string; name: string }[]> {
  const accounts: { id: string; name: string }[] = [];
  let token: string | undefined;
  do {
    const out: ListAccountsCommandOutput = await calls.send(management.organizations, new ListAccountsCommand({ NextToken: token }), 'organization');
    for (const a of out.Accounts ?? [])
      if (a.Id && (a.Status ?? a.State) !== 'SUSPENDED' && a.State !== 'CLOSED') accounts.push({ id: a.Id, name: a.Name ?? a.Id });
    token = out.NextToken;
  } while (token);
  return accounts;
}

/** Clients for a member account: the org role assumed in it, or the caller's own for the management account (the role usually exists only in members). */
async function memberClients({ management, settings, region, calls, callerAccount, partition }: OrgScan, accountId: string, part: string): Promise<AwsClients> {
  if (accountId === callerAccount) return management;
  const roleArn = `arn:${partition}:iam::${accountId}:role/${settings.orgRole}`;
  const assumed: AssumeRoleCommandOutput = await calls.send(
    management.sts,
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'nhiscan', ExternalId: settings.orgExternalId, DurationSeconds: 3600 }),
    part,
  );
  const c = assumed.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} returned no credentials`);
  holdSecret(c.SecretAccessKey, 'aws-session-secret');
  holdSecret(c.SessionToken, 'aws-session-token');
  return createClients(settings, region, {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  });
}

/** One member account, as its own sub-source: partial or failed there never fails the others. */
async function collectMember(org: OrgScan, account: { id: string; name: string }, result: OrgCollection, stats: Record<string, number>): Promise<void> {
  const part = `account:${account.id}`;
  let clients: AwsClients | undefined;
  try {
    clients = await memberClients(org, account.id, part);
    const collected = await collectAccount(clients, org.settings, org.ctx, account.id);
    result.identities.push(...collected.identities);
    result.credentials.push(...collected.credentials);
    result.resources.push(...(collected.resources ?? []));
    result.accountSources.set(account.id, {
      spec: part,
      status: collected.errors.length || collected.notCovered.length ? 'partial' : 'ok',
      errors: collected.errors,
      notCovered: collected.notCovered,
      stats: collected.stats,
    });
    stats.apiCalls! += collected.stats.apiCalls ?? 0;
    stats.accountsScanned!++;
  } catch (error) {
    stats.accountsFailed!++;
    result.accountSources.set(account.id, {
      spec: part,
      status: 'failed',
      errors: [{ part, message: `account ${account.id} (${account.name}): ${(error as Error).message}` }],
      notCovered: [{ part, reason: 'account could not be scanned' }],
      stats: {},
    });
  } finally {
    if (clients && clients !== org.management) clients.destroy();
  }
}
