/**
 * `import:report.json` with an nhiscan JSON report: its inventory is re-evaluated under the current
 * rules and config without re-collecting anything.
 */
import type { Importer } from './plugin.js';

export const nhiscanReportImporter: Importer = {
  id: 'nhiscan-report',
  description: 'an nhiscan JSON report (re-evaluates its inventory)',
  detect({ parsed }) {
    const p = parsed as { tool?: { name?: string }; inventory?: unknown } | undefined;
    return !!p && typeof p === 'object' && p.tool?.name === 'nhiscan' && typeof p.inventory === 'object';
  },
  read({ parsed }) {
    const report = parsed as { inventory: { identities?: unknown[]; credentials?: unknown[] }; sources?: { spec: string; status: string }[] };
    const notCovered = (report.sources ?? [])
      .filter((s) => s.status !== 'ok')
      .map((s) => ({ part: s.spec, reason: `was ${s.status} in the imported scan` }));
    return {
      identities: (report.inventory.identities ?? []) as never[],
      credentials: (report.inventory.credentials ?? []) as never[],
      status: notCovered.length ? 'partial' : 'ok',
      notCovered,
      stats: { identities: report.inventory.identities?.length ?? 0, credentials: report.inventory.credentials?.length ?? 0 },
    };
  },
};
