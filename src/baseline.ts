/**
 * `--baseline FILE`: compares this scan's findings with a previous JSON report. Only new findings
 * count for the gate; the report lists new, persisting and resolved findings.
 */
import { readFileSync } from 'node:fs';
import type { Finding, Inventory } from './model/index.js';
import { ConfigError } from './config.js';
import { goneMeansResolved, sourcesByResource, sourcesOfFinding, type Coverage } from './coverage.js';

/**
 * The sources each baseline finding came from (from the baseline report's own inventory), kept beside
 * the findings rather than on them so nothing of it can reach a report.
 */
const baselineSources = new WeakMap<Finding, readonly string[]>();

export function readBaseline(file: string): Finding[] {
  let parsed: { tool?: { name?: string }; findings?: Finding[]; inventory?: Inventory };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read baseline ${file}: ${(error as Error).message}`);
  }
  if (parsed?.tool?.name !== 'nhiscan' || !Array.isArray(parsed.findings)) {
    throw new ConfigError(`baseline ${file} is not an nhiscan JSON report`);
  }
  // Reports of schema 1.x are read (additive changes only); anything else is refused by name.
  const schema = (parsed as { schemaVersion?: unknown }).schemaVersion;
  if (schema !== undefined && !(typeof schema === 'string' && /^1\.\d+\.\d+$/.test(schema))) {
    throw new ConfigError(`baseline ${file} is a report of schema ${String(schema)}; this nhiscan reads reports of schema 1.x`);
  }
  parsed.findings.forEach((finding, index) => {
    const f = finding as Partial<Finding> | null;
    if (!f || typeof f !== 'object') throw new ConfigError(`baseline ${file}: finding ${index} is not an object`);
    for (const field of ['fingerprint', 'ruleId', 'severity'] as const) {
      if (typeof f[field] !== 'string') throw new ConfigError(`baseline ${file}: finding ${index} has no ${field} (a report of an older or foreign schema?)`);
    }
  });
  // A baseline's own resolved findings are history, not part of its state.
  const findings = parsed.findings.filter((f) => f.status !== 'resolved');
  const inventory = parsed.inventory;
  if (inventory && Array.isArray(inventory.identities) && Array.isArray(inventory.credentials)) {
    const byResource = sourcesByResource(inventory);
    for (const f of findings) if (f.resource?.id) baselineSources.set(f, sourcesOfFinding(f, byResource));
  }
  return findings;
}

export interface BaselineDiff {
  /** Baseline findings gone from sources that were fully covered in this scan, marked resolved. */
  resolved: Finding[];
  /** Baseline findings gone from a source that was partial, failed, limited to a range or not scanned: neither open nor fixed. */
  unknown: number;
}

/**
 * Sets `status` on current findings and sorts the baseline findings that are gone into resolved and
 * unknown. Without `coverage` (a caller that knows nothing of the sources) every gone finding counts as
 * resolved; with it, only those whose sources were all fully covered (see src/coverage.ts), so a
 * `--since` scan no longer calls the history it did not read "resolved".
 */
export function diffAgainstBaseline(current: Finding[], baseline: Finding[], coverage?: Coverage): BaselineDiff {
  const before = new Set(baseline.map((f) => f.fingerprint));
  const now = new Set(current.map((f) => f.fingerprint));
  for (const f of current) f.status = before.has(f.fingerprint) ? 'persisting' : 'new';
  const gone = baseline.filter((f) => !now.has(f.fingerprint));
  const provable = coverage ? gone.filter((f) => goneMeansResolved(baselineSources.get(f) ?? [], coverage)) : gone;
  const resolved = provable.map((f) => {
    const { suppressed: _ignored, ...rest } = f;
    return { ...rest, status: 'resolved' as const };
  });
  return { resolved, unknown: gone.length - provable.length };
}
