/**
 * The sample estate's Entra tenant (examples/estate/entra/contoso-tenant.json): the fixture tenant,
 * written as an nhiscan snapshot so `npm start` scans it offline. Its dates are those of the test
 * clock (2026-11-29), the `--now` the estate test uses.
 *
 * Regenerate: npx tsx testkit/entra/sample-tenant.ts > examples/estate/entra/contoso-tenant.json
 */
import { pathToFileURL } from 'node:url';
import { entraSnapshotFromTenant, fixtureTenant } from './fixture-tenant.js';

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const snapshot = { ...entraSnapshotFromTenant(fixtureTenant()), collectedAt: '2026-11-29T00:00:00.000Z' };
  process.stdout.write(`${JSON.stringify(snapshot, null, 2)}\n`);
}
