/**
 * `import:report.json` with an nhiscan JSON report: its inventory is re-evaluated under the current
 * rules and config without re-collecting anything. Each identity and credential is checked against
 * the model's shape first (src/import-check.ts): one that does not fit is skipped and named.
 */
import { basename } from 'node:path';
import { lazySchema, type Zod } from './zod-lazy.js';
import { ImportCheck } from './import-check.js';
import type { Credential, Identity } from './model/index.js';
import type { Importer } from './plugin.js';

const str = lazySchema((z) => z.string());
const owner = lazySchema((z) => z.looseObject({ id: str, kind: str, source: str }).optional());
/** The fields identities and credentials share (spread into both). */
const common = (z: Zod) => ({
  id: str.min(1),
  provider: str.min(1),
  kind: str.min(1),
  nativeId: str,
  name: str,
  scope: str.optional(),
  owner,
  tags: z.record(str, str).default({}),
  createdAt: str.optional(),
  lastUsedAt: str.optional(),
  attributes: z.record(str, z.unknown()).default({}),
  source: str.optional(),
});
const grant = lazySchema((z) =>
  z.looseObject({
    resource: str,
    actions: z.array(str),
    level: z.enum(['read', 'write', 'admin']).optional(),
    effect: z.enum(['allow', 'deny']).optional(),
  }),
);
/** An identity of a saved report's inventory (also read by `nhiscan merge`). */
export const identity = lazySchema((z) =>
  z.looseObject({
    ...common(z),
    grants: z.array(grant).default([]),
    status: z.enum(['active', 'inactive', 'suspended', 'deleted']).optional(),
  }),
);
const location = lazySchema((z) => z.looseObject({ source: str, path: str, line: z.number().optional(), commit: str.optional() }));
/** A credential of a saved report's inventory (also read by `nhiscan merge`). */
export const credential = lazySchema((z) =>
  z.looseObject({
    ...common(z),
    identityId: str.optional(),
    lastRotatedAt: str.optional(),
    expiresAt: str.optional(),
    status: z.enum(['active', 'inactive', 'expired', 'revoked', 'unknown']),
    locations: z.array(location).optional(),
    secret: z.looseObject({ detector: str, hash: str, preview: str }).optional(),
  }),
);
const source = lazySchema((z) => z.looseObject({ spec: str, status: z.enum(['ok', 'partial', 'failed']) }));

/** An unknown status is the riskier reading: active (`'unknown'` would hide it from the usage rules). */
export const RISKIER_CREDENTIAL = { status: 'active' };

export const nhiscanReportImporter: Importer = {
  id: 'nhiscan-report',
  description: 'an nhiscan JSON report (re-evaluates its inventory)',
  detect({ parsed }) {
    const p = parsed as { tool?: { name?: string }; inventory?: unknown } | undefined;
    return !!p && typeof p === 'object' && p.tool?.name === 'nhiscan' && !!p.inventory && typeof p.inventory === 'object';
  },
  read({ path, parsed }) {
    const report = parsed as { inventory: { identities?: unknown; credentials?: unknown }; sources?: unknown };
    const check = new ImportCheck(basename(path));
    const identities = check.entries(report.inventory.identities, identity, '$.inventory.identities') as Identity[];
    const credentials = check.entries(report.inventory.credentials, credential, '$.inventory.credentials', RISKIER_CREDENTIAL) as Credential[];
    const earlier = check
      .entries(report.sources, source, '$.sources')
      .filter((s) => s.status !== 'ok')
      .map((s) => ({ part: s.spec, reason: `was ${s.status} in the imported scan` }));
    const notCovered = [...earlier, ...check.notCovered];
    return {
      identities,
      credentials,
      status: notCovered.length ? 'partial' : 'ok',
      notCovered,
      stats: { identities: identities.length, credentials: credentials.length },
    };
  },
};
