import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { githubCredentials, KINDS } from './common.js';

/** No options (also `meta.defaultOptions`). */
const defaults = {};
const options = lazySchema((z) => z.object({}).strict());

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'github-deploy-key-write-access',
    title: 'Deploy key with write access',
    category: 'excess-privilege',
    defaultSeverity: 'high',
    owasp: ['NHI5'],
    optionsSchema: options,
    defaultOptions: defaults,
    providers: ['github'],
    description:
      'A deploy key with write access can push to every branch its repository does not protect, bypassing pull requests when branch protection is weak. The private half usually sits on a build server or a developer machine, with no expiry and no MFA.',
    remediation:
      'Recreate the key as read-only if the workload only clones. If it must push, prefer a GitHub App with contents:write scoped to the repository (short-lived tokens), or protect the branches it must not write to.',
  },
  check(inventory) {
    return githubCredentials(inventory, [KINDS.deployKey])
      .filter((c) => c.status === 'active' && c.attributes.readOnly === false)
      .map((c) => ({
        resource: refOf(c),
        message: `Deploy key "${c.name}" can push to ${c.scope}.`,
        evidence: { readOnly: false, repository: c.scope, addedBy: c.attributes.addedBy ?? null },
      }));
  },
});
