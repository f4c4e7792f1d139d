import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'orphaned-credential',
    title: 'Credential whose identity no longer exists',
    category: 'improper-offboarding',
    defaultSeverity: 'medium',
    owasp: ['NHI1'],
    optionsSchema: lazySchema((z) => z.object({}).strict()),
    defaultOptions: {},
    description:
      "A managed credential names an identity that is not in the inventory although the identity's account, project or tenant was scanned: the identity was deleted and the credential left behind, or it belongs to something nobody knows about. Either way nobody owns it.",
    remediation: 'Find what uses the credential (audit logs by key id), and revoke it if nothing does.',
  },
  check(inventory) {
    const identityIds = new Set(inventory.identities.map((i) => i.id));
    // Only where the identity's scope was scanned: a key list imported alone says nothing about accounts.
    const scannedScopes = new Set(inventory.identities.filter((i) => i.attributes.resource !== true).map((i) => `${i.provider}|${i.scope ?? ''}`));
    return inventory.credentials
      .filter(
        (c) => !c.secret && c.status === 'active' && c.identityId && !identityIds.has(c.identityId) && scannedScopes.has(`${c.provider}|${c.scope ?? ''}`),
      )
      .map((c) => ({
        resource: refOf(c),
        message: `${c.kind} "${c.name}" belongs to ${c.identityId}, which is not in the scanned ${c.scope ?? c.provider}.`,
        evidence: { identityId: c.identityId },
      }));
  },
});
