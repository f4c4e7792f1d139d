/**
 * What the live cloud sources (azure, entra, gcp) share around their collectors: where they connect (a
 * CLI option over a settings key), whose credential they use, and how a collected snapshot becomes the
 * source's errors. Nothing here loads an SDK until a live source runs.
 */
import type { TokenCredential } from '@azure/identity';
import type { ConnectorContext, SourceError } from './plugin.js';
import { writeSnapshot } from './snapshot-out.js';

/**
 * An endpoint given by the CLI option `--OPTION` or by a settings key (the CLI wins), normalised with
 * the place it came from, so a bad URL names where to fix it; undefined when neither is set.
 */
export function endpointSetting(
  ctx: Pick<ConnectorContext, 'options'>,
  option: string,
  setting: { value: string | undefined; path: string },
  normalise: (value: string, origin: string) => string,
): string | undefined {
  const cli = ctx.options[option];
  if (typeof cli === 'string' && cli) return normalise(cli, `--${option}`);
  return setting.value ? normalise(setting.value, setting.path) : undefined;
}

/**
 * The credential of the azure and entra sources: the one injected (tests, embedding applications), else
 * DefaultAzureCredential, pinnable with AZURE_TOKEN_CREDENTIALS. Loaded only now: it pulls in @azure/identity.
 */
export async function azureSourceCredential(injected: TokenCredential | undefined, tenantId?: string): Promise<TokenCredential> {
  if (injected) return injected;
  const { defaultAzureCredential } = await import('./azure-credential.js');
  return defaultAzureCredential(process.env, tenantId);
}

/** The collection's errors, plus the snapshot write's when `file` (settings.X.snapshotOut) asked for one and it failed. */
export async function errorsAfterSnapshot(ctx: ConnectorContext, file: string | undefined, snapshot: unknown, errors: SourceError[]): Promise<SourceError[]> {
  const all = [...errors];
  if (file) {
    const snapshotError = await writeSnapshot(ctx, file, snapshot);
    if (snapshotError) all.push(snapshotError);
  }
  return all;
}
