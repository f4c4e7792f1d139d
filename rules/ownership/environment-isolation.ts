import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf, type Credential, type Identity } from '../../src/model/index.js';
import { ENVIRONMENT_DEFAULTS, environmentClassifier, type Environment } from '../../src/ownership/environments.js';

/** The options' defaults (also `meta.defaultOptions`: a run that sets none needs no zod). */
const defaults = {
  environmentTagKeys: ENVIRONMENT_DEFAULTS.environmentTagKeys,
  production: ENVIRONMENT_DEFAULTS.production,
  nonProduction: ENVIRONMENT_DEFAULTS.nonProduction,
};
const options = lazySchema((z) =>
  z
    .object({
      /** Tag keys that name an environment (on identities, credentials, or the account/project they live in). */
      environmentTagKeys: z.array(z.string()).default(defaults.environmentTagKeys),
      /** Values, branch names and path segments that mean production, and those that mean anything else. */
      production: z.string().default(defaults.production),
      nonProduction: z.string().default(defaults.nonProduction),
    })
    .strict(),
);

type Env = Environment;

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'environment-isolation',
    title: 'One identity or secret used in production and elsewhere',
    category: 'reuse',
    defaultSeverity: 'high',
    owasp: ['NHI8'],
    optionsSchema: options,
    defaultOptions: defaults,
    description:
      'The same secret appears in production and non-production places (paths, branches, Actions environments, tagged accounts), or one identity is tagged for both. A leak from the less protected environment then unlocks production, and production rights leak into test code.',
    remediation: 'Give each environment its own identity and credential, and rotate the shared one out of the non-production places.',
  },
  check(inventory, { environmentTagKeys, production, nonProduction }) {
    const envOf = environmentClassifier(production, nonProduction);
    const fromTags = (tags: Record<string, string>) =>
      environmentTagKeys
        .map((k) => tags[k])
        .filter((v): v is string => !!v)
        .map(envOf)
        .filter((e): e is Env => !!e);
    const fromLocations = (c: Credential) =>
      (c.locations ?? [])
        .flatMap((l) => [...l.path.split('/'), ...(l.repository ? [l.repository.split('/').pop()!] : [])])
        .map(envOf)
        .filter((e): e is Env => !!e);
    const fromAttributes = (x: Identity | Credential) => ((x.attributes.environments as string[] | undefined) ?? []).map(envOf).filter((e): e is Env => !!e);
    const judge = (x: Identity | Credential, envs: Env[]): FindingDraft[] => {
      const set = new Set(envs);
      if (set.size < 2) return [];
      return [
        {
          resource: refOf(x),
          message: `${x.kind} "${x.name}" is used in both production and non-production (${[...set].join(', ')}).`,
          evidence: { environments: [...set] },
        },
      ];
    };
    return [
      ...inventory.identities.flatMap((i) => judge(i, [...fromTags(i.tags), ...fromAttributes(i)])),
      ...inventory.credentials.flatMap((c) => judge(c, [...fromTags(c.tags), ...fromLocations(c), ...fromAttributes(c)])),
    ];
  },
});
