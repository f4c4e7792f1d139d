/**
 * Worker thread: runs the secret engine over batches of file contents and sends back redacted hits.
 * Values are hashed and previewed here, so they never leave this thread.
 */
import { isUtf8 } from 'node:buffer';
import { parentPort, workerData } from 'node:worker_threads';
import { scanText, type Allowlist, type SecretHit } from '../../src/secrets/index.js';
import { redactText, redactedPreview, secretHash } from '../../src/redact.js';
import type { RedactedHit } from './redacted-hit.js';

export interface WorkItem {
  key: number;
  path: string;
  bytes: Uint8Array;
}

export interface WorkBatch {
  batch: number;
  items: WorkItem[];
}

export interface WorkResult {
  key: number;
  hits: RedactedHit[];
  nonUtf8: boolean;
  error?: string;
}

export function redact(hit: SecretHit): RedactedHit {
  const out: RedactedHit = {
    detector: hit.detectorId,
    title: hit.title,
    provider: hit.provider,
    severity: hit.severity,
    confidence: hit.confidence,
    hash: secretHash(hit.value),
    preview: redactedPreview(hit.value),
    line: hit.line,
    column: hit.column,
  };
  if (hit.identityKind) out.identityKind = hit.identityKind;
  if (hit.decoded && Object.keys(hit.decoded).length) out.decoded = hit.decoded;
  return out;
}

/** Decodes and scans one file; invalid UTF-8 is read as Latin-1 so ASCII tokens inside are still found. */
export function scanBytes(item: WorkItem, allowlist: Allowlist | undefined): WorkResult {
  const buffer = Buffer.from(item.bytes.buffer, item.bytes.byteOffset, item.bytes.byteLength);
  const nonUtf8 = !isUtf8(buffer);
  try {
    const text = buffer.toString(nonUtf8 ? 'latin1' : 'utf8');
    return { key: item.key, hits: scanText(text, { path: item.path, allowlist }).map(redact), nonUtf8 };
  } catch (error) {
    return { key: item.key, hits: [], nonUtf8, error: `detector failure: ${redactText((error as Error).message).slice(0, 200)}` };
  }
}

if (parentPort && workerData?.nhiscanScanWorker) {
  const allowlist = workerData.allowlist as Allowlist | undefined;
  const port = parentPort;
  port.on('message', (message: WorkBatch) => {
    const results = message.items.map((item) => scanBytes(item, allowlist));
    port.postMessage({ batch: message.batch, results });
  });
}
