/**
 * `import:FILE` for an Azure estate snapshot (`{"nhiscanSnapshot": "azure", ...}`): the same data
 * the live collector gathers, read offline. The sample estate's subscription is scanned this way.
 */
import type { CollectResult, Importer } from '../../src/plugin.js';
import { normaliseAzureSnapshot } from './normalise.js';
import { basename } from 'node:path';
import { isAzureSnapshot, SNAPSHOT_VERSION, type AzureEstateSnapshot } from './snapshot.js';
import { checkAzureSnapshot } from './snapshot-check.js';

/** Refuses what must never be read (a wrong version, a secret value); the rest is checked entry by entry. */
function validate(parsed: AzureEstateSnapshot, path: string): void {
  if (parsed.version !== SNAPSHOT_VERSION)
    throw new Error(`${path}: unsupported Azure snapshot version ${String(parsed.version)} (expected ${SNAPSHOT_VERSION})`);
  if (!Array.isArray(parsed.vaults)) throw new Error(`${path}: Azure snapshot has no "vaults" array`);
  for (const [i, entry] of parsed.vaults.entries()) {
    for (const [j, s] of (Array.isArray(entry?.secrets) ? entry.secrets : []).entries()) {
      if ((s as { properties?: { value?: unknown } } | null)?.properties?.value !== undefined) {
        // A value here means the file was built from the data plane or by hand: refuse rather than carry it.
        throw new Error(`${path}: vaults[${i}].secrets[${j}] carries a secret value; snapshots must hold attributes only`);
      }
    }
  }
}

export const azureSnapshotImporter: Importer = {
  id: 'azure-snapshot',
  description: 'an Azure Key Vault estate snapshot (nhiscanSnapshot: "azure"), e.g. written by settings.azure.snapshotOut',
  detect({ parsed }) {
    return isAzureSnapshot(parsed);
  },
  read({ path, parsed }, ctx): CollectResult {
    validate(parsed as AzureEstateSnapshot, path);
    const { snapshot, notCovered: skipped } = checkAzureSnapshot(parsed as AzureEstateSnapshot, basename(path));
    const { identities, credentials, notCovered } = normaliseAzureSnapshot(snapshot, { now: ctx.now, source: ctx.source.spec });
    return {
      identities,
      credentials,
      status: snapshot.notCovered.length || skipped.length ? 'partial' : 'ok',
      errors: snapshot.notCovered.map((n) => ({ part: n.part, message: n.reason })),
      notCovered: [...notCovered, ...skipped],
      stats: {
        subscriptions: snapshot.subscriptions?.length ?? 0,
        vaults: snapshot.vaults.length,
        secrets: credentials.filter((c) => c.kind === 'keyvault-secret').length,
        keys: credentials.filter((c) => c.kind === 'keyvault-key').length,
        principals: identities.filter((i) => i.kind === 'azure-principal').length,
        roleAssignments: (snapshot.rbac ?? []).reduce((n, r) => n + (r.roleAssignments?.length ?? 0), 0),
      },
    };
  },
};
