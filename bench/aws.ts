/**
 * AWS collection benchmark: an emulated account with 10,000 users and 5,000 roles on the loopback
 * IAM emulator (with a small per-request latency standing in for the API's round trip), collected by
 * nhiscan's collector (GetAccountAuthorizationDetails pages + the credential report + ListAccessKeys
 * for key holders only) and by a per-user strategy (ListUsers, then for each user its attached and
 * inline policies, groups, tags, keys, key last use, login profile and MFA; the same for roles, groups
 * and managed policies), with the same SDK clients, retry mode and concurrency, in the same run.
 * Reports API calls, wall time and the ratios.
 *
 *   npx tsx bench/aws.ts [--quick]
 */
import { pathToFileURL } from 'node:url';
import pLimit from 'p-limit';
import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  GetGroupPolicyCommand,
  ListAccessKeysCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  ListUsersCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { awsConnector } from '../connectors/aws/live/connector.js';
import { createClients } from '../connectors/aws/live/clients.js';
import { parseAwsSettings } from '../connectors/aws/live/settings.js';
import { defaultConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import type { ConnectorContext } from '../src/plugin.js';
import { AccountBuilder } from '../testkit/aws/model.js';
import { AwsEmulator } from '../testkit/aws/server.js';

const LATENCY_MS = 3;
const CONCURRENCY = 8;

function benchAccount(users: number, roles: number) {
  const b = new AccountBuilder('123456789012');
  const policies = Array.from({ length: 50 }, (_, i) =>
    b.policy(`policy-${i}`, {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: [`s3:GetObject`, `sqs:SendMessage`], Resource: `arn:aws:s3:::bucket-${i}/*` }],
    }),
  );
  for (let g = 0; g < 20; g++)
    b.group(`group-${g}`, {
      attached: [policies[g]!],
      inline: g % 4 ? {} : { extra: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }] } },
    });
  for (let u = 0; u < users; u++) {
    const keys = u % 20 === 0 ? 2 : u % 3 === 0 ? 1 : 0; // ~38% of users hold a key, 5% two
    b.user(`user-${u}`, {
      Attached: [policies[u % 50]!],
      Groups: [`group-${u % 20}`],
      Inline: u % 5 === 0 ? { inline: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:Query', Resource: '*' }] } } : {},
      Tags: u % 2 ? { owner: `team-${u % 30}@example.test` } : {},
      Password: u % 10 === 0 ? { CreateDate: '2024-01-01T00:00:00Z', LastUsed: '2026-11-01T00:00:00Z' } : undefined,
      Mfa: u % 10 === 0,
      keys: Array.from({ length: keys }, (_, k) => ({
        CreateDate: `2025-0${1 + k}-01T00:00:00Z`,
        LastUsed: u % 7 ? { LastUsedDate: '2026-11-20T00:00:00Z', ServiceName: 's3', Region: 'us-east-1' } : undefined,
      })),
    });
  }
  for (let r = 0; r < roles; r++) {
    b.role(`role-${r}`, {
      Attached: [policies[r % 50]!],
      Inline: r % 3 === 0 ? { inline: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }] } } : {},
      Tags: r % 2 ? { team: `team-${r % 30}` } : {},
      LastUsed: r % 4 ? { LastUsedDate: '2026-11-01T00:00:00Z', Region: 'us-east-1' } : undefined,
    });
  }
  return b.account;
}

function context(): ConnectorContext {
  return {
    source: { spec: 'aws', scheme: 'aws', target: '' },
    options: {},
    config: defaultConfig(),
    log: silentLogger,
    progress() {},
    now: new Date(),
    signal: new AbortController().signal,
    baseDir: process.cwd(),
  };
}

/** The per-user strategy most scripts and several scanners use: one or more calls per principal. */
async function perUserCollect(iam: IAMClient): Promise<number> {
  const limit = pLimit(CONCURRENCY);
  const all = async <T>(page: (marker?: string) => Promise<{ items: T[]; marker?: string }>) => {
    const out: T[] = [];
    let marker: string | undefined;
    do {
      const p = await page(marker);
      out.push(...p.items);
      marker = p.marker;
    } while (marker);
    return out;
  };
  const notFound = (e: unknown) => {
    if ((e as { name?: string }).name !== 'NoSuchEntityException' && (e as { name?: string }).name !== 'NoSuchEntity') throw e;
    return undefined;
  };
  let principals = 0;
  const users = await all(async (Marker) => {
    const o = await iam.send(new ListUsersCommand({ Marker, MaxItems: 1000 }));
    return { items: o.Users ?? [], marker: o.IsTruncated ? o.Marker : undefined };
  });
  await Promise.all(
    users.map((u) =>
      limit(async () => {
        const UserName = u.UserName!;
        await iam.send(new ListAttachedUserPoliciesCommand({ UserName }));
        const inline = await iam.send(new ListUserPoliciesCommand({ UserName }));
        for (const PolicyName of inline.PolicyNames ?? []) await iam.send(new GetUserPolicyCommand({ UserName, PolicyName }));
        await iam.send(new ListGroupsForUserCommand({ UserName }));
        await iam.send(new ListUserTagsCommand({ UserName }));
        const keys = await iam.send(new ListAccessKeysCommand({ UserName }));
        for (const k of keys.AccessKeyMetadata ?? []) await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: k.AccessKeyId! }));
        await iam.send(new GetLoginProfileCommand({ UserName })).catch(notFound);
        await iam.send(new ListMFADevicesCommand({ UserName }));
        principals++;
      }),
    ),
  );
  const roles = await all(async (Marker) => {
    const o = await iam.send(new ListRolesCommand({ Marker, MaxItems: 1000 }));
    return { items: o.Roles ?? [], marker: o.IsTruncated ? o.Marker : undefined };
  });
  await Promise.all(
    roles.map((r) =>
      limit(async () => {
        const RoleName = r.RoleName!;
        await iam.send(new GetRoleCommand({ RoleName })); // RoleLastUsed and tags are only in GetRole
        await iam.send(new ListAttachedRolePoliciesCommand({ RoleName }));
        const inline = await iam.send(new ListRolePoliciesCommand({ RoleName }));
        for (const PolicyName of inline.PolicyNames ?? []) await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }));
        principals++;
      }),
    ),
  );
  const groups = await iam.send(new ListGroupsCommand({ MaxItems: 1000 }));
  await Promise.all(
    (groups.Groups ?? []).map((g) =>
      limit(async () => {
        const GroupName = g.GroupName!;
        await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName }));
        const inline = await iam.send(new ListGroupPoliciesCommand({ GroupName }));
        for (const PolicyName of inline.PolicyNames ?? []) await iam.send(new GetGroupPolicyCommand({ GroupName, PolicyName }));
      }),
    ),
  );
  const policies = await iam.send(new ListPoliciesCommand({ Scope: 'Local', OnlyAttached: true, MaxItems: 1000 }));
  await Promise.all(
    (policies.Policies ?? []).map((p) => limit(() => iam.send(new GetPolicyVersionCommand({ PolicyArn: p.Arn!, VersionId: p.DefaultVersionId! })))),
  );
  return principals;
}

export async function run({ quick }: { quick: boolean }): Promise<{ name: string; lines: string[] }> {
  const [users, roles] = quick ? [1_000, 500] : [10_000, 5_000];
  const saved = { ...process.env };
  // Signing-only dummy credentials; nothing leaves loopback, and no real profile or metadata service is consulted.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDBENCHBENCHBENCH0',
    AWS_SECRET_ACCESS_KEY: 'bench-not-a-secret',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  const emulator = await new AwsEmulator({ accounts: [benchAccount(users, roles)], reportPolls: 2, latencyMs: LATENCY_MS }).start();
  try {
    const settings = { endpoint: emulator.url, reportPollMs: 200, concurrency: CONCURRENCY };
    let started = Date.now();
    const result = await awsConnector.collect({ ...context(), options: settings });
    const oursMs = Date.now() - started;
    const oursCalls = emulator.count();
    const oursByAction = Object.entries(countBy(emulator.log.map((c) => c.action)))
      .map(([a, n]) => `${a} ${n}`)
      .join(', ');
    if (result.status !== 'ok') throw new Error(`collector ended ${result.status}: ${JSON.stringify(result.errors)}`);

    // The bulk floor: without key ids (settings.aws.accessKeyIds: false) no per-user call remains.
    emulator.log.length = 0;
    started = Date.now();
    await awsConnector.collect({ ...context(), options: { ...settings, accessKeyIds: false } });
    const bulkMs = Date.now() - started;
    const bulkCalls = emulator.count();

    emulator.log.length = 0;
    const clients = createClients(parseAwsSettings(settings), 'us-east-1', { accessKeyId: 'AKIDBENCHBENCHBENCH0', secretAccessKey: 'bench-not-a-secret' });
    started = Date.now();
    const principals = await perUserCollect(clients.iam);
    const baselineMs = Date.now() - started;
    const baselineCalls = emulator.count();
    clients.destroy();

    return {
      name: `AWS collection: ${users.toLocaleString('en')} users, ${roles.toLocaleString('en')} roles, ${LATENCY_MS} ms emulated latency, concurrency ${CONCURRENCY}`,
      lines: [
        `nhiscan (authorization details + credential report + ListAccessKeys for key holders): ${oursCalls.toLocaleString('en')} API calls, ${(oursMs / 1000).toFixed(2)} s (${result.identities.length.toLocaleString('en')} identities, ${result.credentials.length.toLocaleString('en')} keys)`,
        `  calls: ${oursByAction}`,
        `nhiscan without key ids (accessKeyIds: false; report reused, as AWS does within 4 h): ${bulkCalls.toLocaleString('en')} API calls, ${(bulkMs / 1000).toFixed(2)} s`,
        `per-user baseline: ${baselineCalls.toLocaleString('en')} API calls, ${(baselineMs / 1000).toFixed(2)} s (${principals.toLocaleString('en')} principals)`,
        `ratio: ${(baselineCalls / oursCalls).toFixed(1)}x fewer API calls, ${(baselineMs / oursMs).toFixed(1)}x faster (without key ids: ${(baselineCalls / bulkCalls).toFixed(0)}x fewer calls, ${(baselineMs / bulkMs).toFixed(1)}x faster)`,
      ],
    };
  } finally {
    await emulator.stop();
    process.env = saved;
  }
}

function countBy(items: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i] = (out[i] ?? 0) + 1;
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.log(`${result.name}\n${result.lines.map((l) => `  ${l}`).join('\n')}`);
}
