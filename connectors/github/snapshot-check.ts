/**
 * The GitHub snapshot as an import: every list checked entry by entry (src/import-check.ts). Entries
 * keep their other fields (the snapshot holds raw API objects); what the normaliser relies on is typed.
 * Booleans that decide a finding are read the riskier way when they are not booleans.
 */
import { z } from 'zod';
import { ImportCheck } from '../../src/import-check.js';
import type { GithubOrgSnapshot, GithubRepoSnapshot, Raw } from './snapshot.js';

const id = z.union([z.number(), z.string().min(1)]);
const text = z.string();
const date = z.union([z.string(), z.number()]).nullish();
const raw = z.looseObject({});
const named = z.looseObject({ name: text, created_at: date, updated_at: date });
const repoLists = z.record(z.string(), z.array(z.string()));

const deployKey = z.looseObject({
  id,
  title: text.nullish(),
  read_only: z.boolean().optional(),
  enabled: z.boolean().optional(),
  created_at: date,
  last_used: date,
});
const hook = z.looseObject({
  id,
  active: z.boolean().optional(),
  events: z.array(z.string()).optional(),
  config: z.looseObject({ insecure_ssl: z.union([z.enum(['0', '1']), z.literal(0), z.literal(1), z.boolean()]).optional() }).nullish(),
});
const installation = z.looseObject({ id, app_id: id.optional(), permissions: z.record(z.string(), z.string()).optional() });
const patGrant = z.looseObject({ id, token_id: id.optional(), token_expired: z.boolean().optional(), permissions: raw.nullish() });
const alert = z.looseObject({ number: id, publicly_leaked: z.boolean().nullish(), push_protection_bypassed: z.boolean().nullish() });
const workflowPermissions = z.looseObject({
  default_workflow_permissions: z.enum(['read', 'write']).optional(),
  can_approve_pull_request_reviews: z.boolean().optional(),
});
const repoEntry = z.looseObject({
  repo: z
    .looseObject({ name: text.optional(), full_name: text.optional() })
    .refine((r) => r.name !== undefined || r.full_name !== undefined, 'a repository needs a name or full_name'),
  codeowners: z.object({ path: text, text }).optional(),
});

/** Riskier readings of ambiguous values: writable, insecure TLS, leaked, bypassed, write by default. */
const RISKIER = {
  deployKey: { read_only: false, enabled: true },
  hook: { active: true, 'config.insecure_ssl': '1' },
  patGrant: { token_expired: false },
  alert: { publicly_leaked: true, push_protection_bypassed: true },
  workflowPermissions: { default_workflow_permissions: 'write', can_approve_pull_request_reviews: true },
};

function checkRepo(check: ImportCheck, entry: z.infer<typeof repoEntry>, at: string): GithubRepoSnapshot {
  const env: Record<string, Raw[]> = {};
  const rawEnv = (entry as Raw).environmentSecrets;
  if (rawEnv !== undefined && (rawEnv === null || typeof rawEnv !== 'object' || Array.isArray(rawEnv)))
    check.note(`${at}.environmentSecrets`, 'expected an object of environment names; skipped');
  else for (const [name, list] of Object.entries(rawEnv ?? {})) env[name] = check.entries(list, named, `${at}.environmentSecrets[${JSON.stringify(name)}]`);
  const e = entry as Raw;
  return {
    ...e,
    repo: entry.repo,
    deployKeys: check.entries(e.deployKeys, deployKey, `${at}.deployKeys`, RISKIER.deployKey),
    actionsSecrets: check.entries(e.actionsSecrets, named, `${at}.actionsSecrets`),
    environmentSecrets: env,
    hooks: check.entries(e.hooks, hook, `${at}.hooks`, RISKIER.hook),
  } as GithubRepoSnapshot;
}

function repoMap(check: ImportCheck, value: unknown, at: string): Record<string, string[]> | undefined {
  if (value === undefined) return undefined;
  return check.one(value, repoLists, at) ?? {};
}

/** The snapshot with only entries that fit, and what was skipped or read the riskier way. */
export function checkGithubSnapshot(parsed: GithubOrgSnapshot, file: string): { snapshot: GithubOrgSnapshot; notCovered: { part: string; reason: string }[] } {
  const check = new ImportCheck(file);
  const s = parsed as unknown as Raw;
  const repos = check.entries(s.repos, repoEntry, '$.repos').map((r, i) => checkRepo(check, r, `$.repos[${i}]`));
  const snapshot: GithubOrgSnapshot = {
    ...parsed,
    repos,
    orgActionsSecrets: check.entries(s.orgActionsSecrets, named, '$.orgActionsSecrets'),
    orgActionsSecretRepos: repoMap(check, s.orgActionsSecretRepos, '$.orgActionsSecretRepos'),
    dependabotSecrets: check.entries(s.dependabotSecrets, named, '$.dependabotSecrets'),
    dependabotSecretRepos: repoMap(check, s.dependabotSecretRepos, '$.dependabotSecretRepos'),
    codespacesSecrets: check.entries(s.codespacesSecrets, named, '$.codespacesSecrets'),
    codespacesSecretRepos: repoMap(check, s.codespacesSecretRepos, '$.codespacesSecretRepos'),
    installations: check.entries(s.installations, installation, '$.installations'),
    patGrants: check.entries(s.patGrants, patGrant, '$.patGrants', RISKIER.patGrant),
    patGrantRepos: repoMap(check, s.patGrantRepos, '$.patGrantRepos'),
    patRequests: check.entries(s.patRequests, patGrant, '$.patRequests', RISKIER.patGrant),
    patRequestRepos: repoMap(check, s.patRequestRepos, '$.patRequestRepos'),
    orgHooks: check.entries(s.orgHooks, hook, '$.orgHooks', RISKIER.hook),
    workflowPermissions:
      s.workflowPermissions == null ? undefined : check.one(s.workflowPermissions, workflowPermissions, '$.workflowPermissions', RISKIER.workflowPermissions),
    secretScanningAlerts: check.entries(s.secretScanningAlerts, alert, '$.secretScanningAlerts', RISKIER.alert),
    notCovered: check.entries(s.notCovered, z.object({ part: text, reason: text }), '$.notCovered'),
  };
  const locations = s.secretScanningLocations;
  if (locations !== undefined) {
    snapshot.secretScanningLocations =
      check.one(locations, z.record(z.string(), z.array(z.looseObject({ details: raw.nullish() }))), '$.secretScanningLocations') ?? {};
  }
  return { snapshot, notCovered: check.notCovered };
}
