/**
 * The `aws` source: `aws` (the default credential chain) or `aws:PROFILE` (a named profile; give the
 * source several times for several accounts, each with its own status). With `--aws-org-role NAME`
 * (or `settings.aws.orgRole`) the source lists the accounts of the AWS Organization the credentials
 * belong to and assumes NAME in each; every account's failures appear in the source's errors as
 * `account:ID` parts and its counts as `account:ID/...` stats.
 */
import { ListAccountsCommand, type ListAccountsCommandOutput } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, type AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import type { CollectResult, Connector, ConnectorContext, SourceError } from '../../../src/plugin.js';
import { AwsCalls } from './calls.js';
import { awsConnectorMeta } from './meta.js';
import { createClients, defaultCredentials, resolveRegion, type AwsClients } from './clients.js';
import { collectAccount } from './collect-account.js';
import { parseAwsSettings, type AwsSettings } from './settings.js';

export const awsConnector: Connector = {
  ...awsConnectorMeta,
  async collect(ctx) {
    const settings = parseAwsSettings(ctx.options);
    const profile = ctx.source.target || undefined;
    const region = await resolveRegion(settings, profile);
    const clients = createClients(settings, region, defaultCredentials(profile, ctx.log), profile);
    try {
      if (settings.orgRole) return await collectOrganization(clients, settings, region, ctx);
      const account = await collectAccount(clients, settings, ctx);
      return { ...account, status: account.errors.length || account.notCovered.length ? 'partial' : 'ok' };
    } finally {
      clients.destroy();
    }
  },
};

async function collectOrganization(management: AwsClients, settings: AwsSettings, region: string, ctx: ConnectorContext): Promise<CollectResult> {
  const calls = new AwsCalls(ctx.signal);
  const caller = await calls.send<{ Account?: string; Arn?: string }>(management.sts, new GetCallerIdentityCommand({}), 'caller-identity');
  const partition = caller.Arn?.split(':')[1] || 'aws';
  const accounts: { id: string; name: string }[] = [];
  let token: string | undefined;
  do {
    const out: ListAccountsCommandOutput = await calls.send(management.organizations, new ListAccountsCommand({ NextToken: token }), 'organization');
    for (const a of out.Accounts ?? []) if (a.Id && (a.Status ?? a.State) !== 'SUSPENDED' && a.State !== 'CLOSED') accounts.push({ id: a.Id, name: a.Name ?? a.Id });
    token = out.NextToken;
  } while (token);
  const selected = settings.orgAccounts ? accounts.filter((a) => settings.orgAccounts!.includes(a.id)) : accounts;
  ctx.progress(`organization: ${selected.length} account(s)`);

  const result: Required<Pick<CollectResult, 'identities' | 'credentials' | 'errors' | 'notCovered' | 'stats'>> = {
    identities: [],
    credentials: [],
    errors: [],
    notCovered: [],
    stats: { accounts: selected.length, accountsScanned: 0, accountsFailed: 0, apiCalls: 0 },
  };
  const limit = pLimit(settings.accountConcurrency);
  await Promise.all(
    selected.map((account) =>
      limit(async () => {
        const part = `account:${account.id}`;
        let clients: AwsClients | undefined;
        try {
          // The management account is read with the caller's own credentials: the org role usually exists only in members.
          if (account.id === caller.Account) clients = management;
          else {
            const roleArn = `arn:${partition}:iam::${account.id}:role/${settings.orgRole}`;
            const assumed: AssumeRoleCommandOutput = await calls.send(management.sts, new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'nhiscan', ExternalId: settings.orgExternalId, DurationSeconds: 3600 }), part);
            const c = assumed.Credentials;
            if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} returned no credentials`);
            clients = createClients(settings, region, { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration });
          }
          const collected = await collectAccount(clients, settings, ctx, account.id);
          result.identities.push(...collected.identities);
          result.credentials.push(...collected.credentials);
          result.errors.push(...collected.errors.map((e): SourceError => ({ part: `${part}/${e.part ?? 'account'}`, message: e.message })));
          result.notCovered.push(...collected.notCovered.map((n) => ({ part: `${part}/${n.part}`, reason: n.reason })));
          for (const [k, v] of Object.entries(collected.stats)) result.stats[`${part}/${k}`] = v;
          result.stats.apiCalls! += collected.stats.apiCalls ?? 0;
          result.stats.accountsScanned!++;
        } catch (error) {
          result.stats.accountsFailed!++;
          result.errors.push({ part, message: `account ${account.id} (${account.name}): ${(error as Error).message}` });
          result.notCovered.push({ part, reason: 'account could not be scanned' });
        } finally {
          if (clients && clients !== management) clients.destroy();
        }
      }),
    ),
  );
  result.stats.apiCalls! += calls.calls;
  if (selected.length > 0 && result.stats.accountsScanned === 0) {
    throw new Error(`no account of the organization could be scanned: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  return { ...result, status: result.errors.length || result.notCovered.length ? 'partial' : 'ok' };
}
