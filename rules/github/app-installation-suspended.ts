import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { githubIdentities, KINDS } from './common.js';

/** No options (also `meta.defaultOptions`). */
const defaults = {};
const options = lazySchema((z) => z.object({}).strict());

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'github-app-installation-suspended',
    title: 'Suspended App installation still present',
    category: 'improper-offboarding',
    defaultSeverity: 'low',
    owasp: ['NHI1'],
    cis: ['CIS GitHub 1.4.2'],
    optionsSchema: options,
    defaultOptions: defaults,
    providers: ['github'],
    description:
      "A suspended installation was switched off but never removed: it keeps its permissions and repository access, and anyone with owner rights (or the app's own owner, for some suspensions) can unsuspend it silently.",
    remediation:
      'If the app is no longer needed, uninstall it (Organization settings → GitHub Apps → Configure → Uninstall). Otherwise document why it stays suspended.',
  },
  check(inventory) {
    return githubIdentities(inventory, [KINDS.appInstallation])
      .filter((i) => i.status === 'suspended')
      .map((i) => {
        const a = i.attributes;
        return {
          resource: refOf(i),
          message: `App "${a.appSlug}" has been suspended since ${a.suspendedAt?.slice(0, 10) ?? 'an unknown date'}${a.suspendedBy ? ` (by ${a.suspendedBy})` : ''} but is still installed with ${Object.keys(a.permissions).length} permissions.`,
          evidence: { suspendedAt: a.suspendedAt ?? null, suspendedBy: a.suspendedBy ?? null },
        };
      });
  },
});
