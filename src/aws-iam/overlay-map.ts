/**
 * A read-only map of action id → grants that is another map with a few ids replaced: how a principal's
 * resource-policy grants sit on top of the cached result of its own policies without copying the
 * 20,000 entries of an administrator's map for every principal a resource policy names.
 * Iteration is in ascending id order, like the maps `PolicyEvaluator` builds.
 */
export class OverlayMap<V> implements ReadonlyMap<number, V> {
  private readonly replaced: ReadonlySet<number>;
  readonly size: number;

  /**
   * @param base ids in ascending order.
   * @param domain the ids whose value comes from `patch` (absent there: absent here), ascending.
   * @param patch values of ids in `domain`, ascending.
   */
  constructor(
    private readonly base: ReadonlyMap<number, V>,
    readonly domain: Uint32Array,
    private readonly patch: ReadonlyMap<number, V>,
  ) {
    this.replaced = new Set(domain);
    let size = base.size + patch.size;
    for (const id of domain) if (base.has(id)) size--;
    this.size = size;
  }

  get(id: number): V | undefined {
    return this.replaced.has(id) ? this.patch.get(id) : this.base.get(id);
  }

  has(id: number): boolean {
    return this.replaced.has(id) ? this.patch.has(id) : this.base.has(id);
  }

  *entries(): MapIterator<[number, V]> {
    const patched = this.patch.entries();
    let next = patched.next();
    for (const entry of this.base) {
      while (!next.done && next.value[0] < entry[0]) {
        yield next.value;
        next = patched.next();
      }
      if (!this.replaced.has(entry[0])) yield entry;
    }
    for (; !next.done; next = patched.next()) yield next.value;
  }

  *keys(): MapIterator<number> {
    for (const [id] of this.entries()) yield id;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[number, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: number, map: ReadonlyMap<number, V>) => void): void {
    for (const [id, value] of this.entries()) callback(value, id, this);
  }
}
