/**
 * Interned paths: each distinct path stored once and named by a small integer, so per-object tables
 * (a pack's wanted blobs, every blob's introduction) hold an int32 instead of a string.
 */
export class PathTable {
  readonly paths: string[] = [];
  private readonly ids = new Map<string, number>();

  id(path: string): number {
    let id = this.ids.get(path);
    if (id === undefined) {
      id = this.paths.length;
      this.paths.push(path);
      this.ids.set(path, id);
    }
    return id;
  }

  path(id: number): string | undefined {
    return this.paths[id];
  }
}
