/**
 * `--baseline FILE`: compares this scan's findings with a previous JSON report. Only new findings
 * count for the gate; the report lists new, persisting and resolved findings.
 */
import { readFileSync } from 'node:fs';
import type { Finding } from './model/index.js';
import { ConfigError } from './config.js';

export function readBaseline(file: string): Finding[] {
  let parsed: { tool?: { name?: string }; findings?: Finding[] };
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
  return parsed.findings.filter((f) => f.status !== 'resolved');
}

/** Sets `status` on current findings and returns the baseline findings that are gone, marked resolved. */
export function diffAgainstBaseline(current: Finding[], baseline: Finding[]): Finding[] {
  const before = new Set(baseline.map((f) => f.fingerprint));
  const now = new Set(current.map((f) => f.fingerprint));
  for (const f of current) f.status = before.has(f.fingerprint) ? 'persisting' : 'new';
  return baseline
    .filter((f) => !now.has(f.fingerprint))
    .map((f) => {
      const { suppressed: _ignored, ...rest } = f;
      return { ...rest, status: 'resolved' as const };
    });
}
