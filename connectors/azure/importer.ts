/**
 * `import:FILE` for an Azure estate snapshot (`{"nhiscanSnapshot": "azure", ...}`): the same data
 * the live collector gathers, read offline. The sample estate's subscription is scanned this way.
 */
import type { CollectResult, Importer } from '../../src/plugin.js';
import { normaliseAzureSnapshot } from './normalise.js';
import { isAzureSnapshot, SNAPSHOT_VERSION, type AzureEstateSnapshot } from './snapshot.js';

function validate(parsed: AzureEstateSnapshot, path: string): void {
  if (parsed.version !== SNAPSHOT_VERSION) throw new Error(`${path}: unsupported Azure snapshot version ${String(parsed.version)} (expected ${SNAPSHOT_VERSION})`);
  if (!Array.isArray(parsed.vaults)) throw new Error(`${path}: Azure snapshot has no "vaults" array`);
  for (const [i, entry] of parsed.vaults.entries()) {
    if (!entry?.vault?.id || !entry.vault.name || typeof entry.vault.properties !== 'object') {
      throw new Error(`${path}: vaults[${i}].vault needs "id", "name" and "properties" (ARM wire shape)`);
    }
    for (const [j, s] of (entry.secrets ?? []).entries()) {
      if ((s as { properties?: { value?: unknown } }).properties?.value !== undefined) {
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
    const snapshot = parsed as AzureEstateSnapshot;
    validate(snapshot, path);
    const { identities, credentials, notCovered } = normaliseAzureSnapshot(
      { ...snapshot, subscriptions: snapshot.subscriptions ?? [], notCovered: snapshot.notCovered ?? [] },
      { now: ctx.now, source: ctx.source.spec },
    );
    return {
      identities,
      credentials,
      status: (snapshot.notCovered ?? []).length ? 'partial' : 'ok',
      errors: (snapshot.notCovered ?? []).map((n) => ({ part: n.part, message: n.reason })),
      notCovered,
      stats: {
        subscriptions: snapshot.subscriptions?.length ?? 0,
        vaults: snapshot.vaults.length,
        secrets: credentials.filter((c) => c.kind === 'keyvault-secret').length,
        keys: credentials.filter((c) => c.kind === 'keyvault-key').length,
        principals: identities.filter((i) => i.kind === 'azure-principal').length,
      },
    };
  },
};
