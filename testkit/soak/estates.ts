/**
 * The fault soak's estates: for each emulator, an estate of about `n` inventory entities (identities and
 * credentials) spread over the parts its connector reads one request at a time, so a fault can land
 * anywhere: pages of lists, per-object relations, per-key details.
 */
import { AccountBuilder } from '../aws/model.js';
import type { EmuAccount } from '../aws/model.js';
import { EMU_BUILTIN_ROLES, guid, type EmuEstate, type EmuVault } from '../azure/estate.js';
import { benchTenant } from '../entra/bench-tenant.js';
import type { EmuTenant } from '../entra/tenant.js';
import { accountActivity, bind, key, keyActivity, project, sa, serviceAccount, type EmuGcpEstate } from '../gcp/estate.js';
import * as f from '../github/fixtures.js';
import { repo } from '../github/orgs.js';
import { emptyOrg, type EmulatedOrg } from '../github/server.js';

const DAY = 86_400;

/** IAM users (a third hold keys), roles and groups: about n identities and credentials. */
export function soakAwsAccount(n: number): EmuAccount {
  const b = new AccountBuilder('123456789012');
  const policies = Array.from({ length: 20 }, (_, i) =>
    b.policy(`soak-policy-${i}`, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::soak-${i}/*` }] }),
  );
  for (let g = 0; g < 10; g++) b.group(`soak-group-${g}`, { attached: [policies[g]!] });
  const users = Math.round(n * 0.55);
  for (let u = 0; u < users; u++) {
    b.user(`soak-user-${u}`, {
      Attached: [policies[u % 20]!],
      Groups: [`soak-group-${u % 10}`],
      Tags: u % 2 ? { owner: `team-${u % 9}@example.test` } : {},
      keys: Array.from({ length: u % 3 === 0 ? 1 + (u % 2) : 0 }, (_, k) => ({
        CreateDate: `2025-0${1 + k}-01T00:00:00Z`,
        LastUsed: u % 5 ? { LastUsedDate: '2026-11-20T00:00:00Z', ServiceName: 's3', Region: 'us-east-1' } : undefined,
      })),
    });
  }
  for (let r = 0; r < Math.round(n * 0.2); r++)
    b.role(`soak-role-${r}`, { Attached: [policies[r % 20]!], LastUsed: r % 3 ? { LastUsedDate: '2026-11-01T00:00:00Z', Region: 'us-east-1' } : undefined });
  return b.account;
}

/** Key Vault secrets and keys in vaults over 3 subscriptions, with role assignments naming principals. */
export function soakAzureEstate(n: number): EmuEstate {
  const tenantId = guid('soak-tenant');
  const now = Math.floor(Date.UTC(2026, 10, 1) / 1000);
  const vaults = Math.max(3, Math.round(n / 50));
  const subs = Array.from({ length: 3 }, (_, s) => ({
    subscriptionId: guid(`soak-sub-${s}`),
    displayName: `soak ${s}`,
    vaults: [] as EmuVault[],
    roleAssignments: Array.from({ length: Math.round(n / 30) }, (_, a) => ({
      name: guid(`soak-ra-${s}-${a}`),
      principalId: guid(`soak-principal-${s}-${a}`),
      principalType: 'ServicePrincipal' as const,
      roleDefinition: EMU_BUILTIN_ROLES[a % EMU_BUILTIN_ROLES.length]!.name,
      scope: a % 2 ? '' : `resourceGroups/rg-${a % 5}`,
    })),
  }));
  for (let v = 0; v < vaults; v++) {
    subs[v % 3]!.vaults.push({
      name: `kv-soak-${v}`,
      resourceGroup: `rg-${v % 5}`,
      tags: v % 3 ? { owner: `team-${v % 7}@example.test` } : {},
      properties: { enableRbacAuthorization: v % 2 === 0 },
      secrets: Array.from({ length: 40 }, (_, i) => ({
        name: `secret-${i}`,
        attributes: { enabled: true, created: now - (i % 700) * DAY, updated: now - (i % 700) * DAY, ...(i % 2 ? { exp: now + (i % 900) * DAY } : {}) },
      })),
      keys: Array.from({ length: 3 }, (_, k) => ({
        name: `key-${k}`,
        kty: 'RSA',
        versions: Array.from({ length: 1 + k }, (_, i) => ({ enabled: true, created: now - (400 - i * 100) * DAY, updated: now - (400 - i * 100) * DAY })),
      })),
    });
  }
  return { tenantId, subscriptions: subs };
}

/** Applications (with secrets, owners, federated credentials), their service principals and others. */
export function soakEntraTenant(n: number): EmuTenant {
  const apps = Math.round(n * 0.2);
  return benchTenant(apps, Math.round(n * 0.45), Math.round(n * 0.5));
}

/** Projects of service accounts with user-managed keys, policies and activity. */
export function soakGcpEstate(n: number): EmuGcpEstate {
  const estate: EmuGcpEstate = { folders: [], projects: [] };
  const perProject = 25;
  const projects = Math.max(1, Math.round(n / (perProject * 5)));
  for (let p = 0; p < projects; p++) {
    const proj = project(`soak-project-${String(p).padStart(4, '0')}`, String(600000000000 + p));
    for (let a = 0; a < perProject; a++) {
      const account = serviceAccount(proj, `worker-${a}`);
      bind(proj.policy, a % 5 ? 'roles/viewer' : 'roles/editor', sa(account.account.email));
      if (a % 7 === 0) bind(account.policy, 'roles/iam.serviceAccountUser', sa(proj.serviceAccounts[0]!.account.email));
      if (a % 2) accountActivity(proj, account, '2026-11-01T00:00:00Z');
      for (let k = 0; k < 4; k++) {
        const made = key(proj, account, `soak-${p}-${a}-${k}`);
        if (k % 2) keyActivity(proj, account, made, '2026-11-02T00:00:00Z');
      }
    }
    estate.projects.push(proj);
  }
  return estate;
}

/** Repositories with deploy keys, secrets, environment secrets and webhooks, plus organisation secrets. */
export function soakGithubOrg(n: number, login = 'soakcorp'): EmulatedOrg {
  const org = emptyOrg(login);
  const repos = Math.max(1, Math.round(n / 10));
  for (let i = 0; i < repos; i++) {
    const r = repo(login, `repo-${String(i).padStart(5, '0')}`);
    const full = r.repo.full_name as string;
    for (let k = 0; k < 3; k++)
      r.deployKeys.push(f.deployKey(full, { title: `key-${k}`, readOnly: k > 0, createdAt: '2024-01-01T00:00:00Z', lastUsed: '2026-01-01T00:00:00Z' }));
    for (let s = 0; s < 3; s++) r.secrets.push(f.repoSecret(`TOKEN_${s}`, '2024-01-01T00:00:00Z'));
    r.environments.push({
      env: f.environment(full, 'prod'),
      secrets: [f.repoSecret('PROD_KEY', '2025-01-01T00:00:00Z'), f.repoSecret('PROD_DB', '2025-01-01T00:00:00Z')],
    });
    r.hooks.push(f.hook({ full }, { url: 'https://ci.soakcorp.example/hook', events: ['push'], secret: i % 3 !== 0 }));
    if (i % 4 === 0) r.files['.github/CODEOWNERS'] = '* @soakcorp/owners\n';
    org.repos.push(r);
  }
  for (let s = 0; s < 20; s++) org.actionsSecrets.push({ secret: f.orgSecret(login, 'actions', `GLOBAL_${s}`, 'all', '2024-01-01T00:00:00Z'), repos: [] });
  org.installations.push(f.installation(login, { slug: 'ci', selection: 'all', permissions: { contents: 'write' } }));
  return org;
}
