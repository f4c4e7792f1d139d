/**
 * Worker side of pack walking: resolves delta trees top-down from their whole object, handing each
 * wanted blob's content to a visitor. Memory is the contents along one chain (a version of a file
 * and the versions built on it), capped; a tree that would exceed the cap, or that a corrupt entry
 * breaks, is handed back entry by entry for the caller to read another way (`git cat-file`, which
 * then reports precisely what is wrong).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { applyDelta, CopyLog } from './delta.js';
import { DeltaMachine } from './delta-machine.js';
import { Inflater } from './inflater.js';
import { OBJ_OFS_DELTA, OBJ_REF_DELTA, wantedEntriesUnder, type PackLayout } from './pack-layout.js';
import { OID_BYTES } from './pack-index.js';

export interface WalkLimits {
  /** Contents held along one chain, in bytes; deeper parts of a tree are handed back. */
  maxChainBytes: number;
}

/** How an object was built from its delta base: the base's carried value and the delta's copies (the object is reused: valid during the call only). */
export interface Derivation<C> {
  base: C | undefined;
  /** (destination, source, length) triples, valid during the call only. */
  copies: Int32Array;
  copyCount: number;
}

export interface WalkVisitor<C = unknown> {
  /**
   * Every object resolved on the way: the wanted blobs, and the bases they are built on. What it
   * returns is carried to the objects built on this one (as `derivation.base`); `hasDescendants`
   * says whether any will be. `content` is valid during the call only: its memory is reused.
   */
  object(entry: number, content: Buffer, wanted: boolean, derivation: Derivation<C> | undefined, hasDescendants: boolean): C | undefined;
  /** A wanted blob this walk could not produce, with the reason. */
  handBack(entry: number, reason: string): void;
}

/**
 * The contents along the chain being walked, stacked in one block of memory, and the delta being applied
 * at its far end. A content is only needed while the versions built on it are walked, so the next sibling
 * is built in the same place. Without this, a history's gigabytes of file versions are each a fresh
 * allocation: malloc keeps tens of megabytes per thread of freed blocks around, and returning them to the
 * system instead costs page faults. The block is WebAssembly memory, so a delta's thousands of small
 * copies and inserts are applied by one call whose copies are inline memmoves (delta-machine.ts; copyWithin
 * in JavaScript where WebAssembly is missing or the copy log overflows). What does not fit gets its own memory.
 */
class ChainArena {
  readonly size: number;
  constructor(private readonly memory: Buffer) {
    this.size = memory.length;
  }

  /** `length` bytes from `at` (aligned) up to `limit`, or memory of its own when they do not fit. */
  take(at: number, length: number, limit = this.size): Buffer {
    const start = (at + 7) & ~7;
    return start + length <= limit ? this.memory.subarray(start, start + length) : Buffer.allocUnsafeSlow(length);
  }

  /** `length` bytes at the end of the block, if they stay above `floor`. */
  tail(length: number, floor: number): Buffer | undefined {
    return this.size - length >= floor ? this.memory.subarray(this.size - length) : undefined;
  }

  holds(bytes: Uint8Array): boolean {
    return bytes.buffer === this.memory.buffer;
  }

  /** Where the stack goes on above `content`: past it when it lives here, else still at `floor`. */
  above(content: Buffer, floor: number): number {
    return this.holds(content) ? content.byteOffset + content.length : floor;
  }
}

const ARENA_BYTES = 8 * 1024 * 1024;

/** The largest delta whose buffer is kept for the next one. */
const MAX_KEPT_DELTA = 4 * 1024 * 1024;

interface Frame<C> {
  entry: number;
  content: Buffer;
  /** Where the arena's stack goes on above this frame's content. */
  top: number;
  carry: C | undefined;
  next: number;
}

/**
 * Bytes read at once for a small entry: the entries after it come with it. One `readSync` costs ~2.5 µs
 * for a few hundred bytes and ~4.6 µs for 16 KiB, and a delta tree's entries mostly lie close together
 * (the next entry the walk needs is within 16 KiB of the previous read for 97% of a `git fast-import`
 * pack's, about half of redis's and git/git's), so most small entries then cost no read at all.
 */
const READ_WINDOW = 16 * 1024;

/** A window over the pack file: the last bytes read ahead for small entries. */
class ReadWindow {
  readonly bytes = Buffer.allocUnsafeSlow(READ_WINDOW);
  start = -1;
  length = 0;

  /** The pack's bytes [start, start + length) if the window holds them. */
  holds(start: number, length: number): boolean {
    return start >= this.start && start + length <= this.start + this.length;
  }
}

/**
 * The memory walks use: the chain arena in its delta machine, the copy log, and buffers for deltas and
 * large entries. Walks are synchronous and never nested (a visitor never walks), so one per thread serves
 * every pack it walks: a repository of many packs (git gc keeps up to gc.autoPackLimit = 50) would
 * otherwise pin, per pack, whatever its arena and buffers ever touched (~9 MB of WebAssembly memory each,
 * which can never be freed before its walker is collected).
 */
export class WalkMemory {
  /** The arena in WebAssembly memory, where deltas are applied (delta-machine.ts); in its own memory where WebAssembly is missing. */
  readonly machine = DeltaMachine.create(ARENA_BYTES);
  readonly arena = new ChainArena(this.machine?.arena ?? Buffer.allocUnsafeSlow(ARENA_BYTES));
  readonly copies = new CopyLog();
  /** Large entries, read alone. */
  scratch = Buffer.allocUnsafeSlow(1 << 20);
  /** A delta's instructions, read once to build its result (an outlier over the cap gets its own memory). */
  private deltaBuffer = Buffer.allocUnsafeSlow(64 * 1024);
  readonly deltaSpace = (size: number): Buffer => {
    if (size > MAX_KEPT_DELTA) return Buffer.allocUnsafeSlow(size);
    if (this.deltaBuffer.length < size) this.deltaBuffer = Buffer.allocUnsafeSlow(Math.max(size, Math.floor(this.deltaBuffer.length * 1.5)));
    return this.deltaBuffer;
  };
}

export class PackWalker {
  private readonly fd: number;
  /** The pack's own read window (its offsets are this pack's). */
  private readonly window = new ReadWindow();
  /** Where the entry `entryBytes` returned starts in its buffer. */
  private entryAt = 0;
  private readonly copies: CopyLog;
  private readonly machine: DeltaMachine | undefined;
  private readonly arena: ChainArena;
  private readonly inflater = new Inflater();

  /**
   * Where the delta being applied goes: its instructions at the arena's end above `floor` (the contents
   * stacked below), its result above `floor` and below `limit`. Set per delta, read by the two allocators
   * (made once: a pair of closures per delta was garbage for the collector).
   */
  private floor = 0;
  private limit = 0;
  private readonly deltaMemory = (size: number): Buffer => this.arena.tail(size, this.floor) ?? this.memory.deltaSpace(size);
  private readonly resultMemory = (size: number): Buffer => this.arena.take(this.floor, size, this.limit);
  /** The visitor's derivation, reused from one delta to the next (valid during the call only). */
  private readonly derivation: Derivation<unknown> = { base: undefined, copies: new Int32Array(0), copyCount: 0 };

  /** `memory`: shared by the walkers of one thread (their walks must not overlap), or the walker's own. */
  constructor(
    private readonly layout: PackLayout,
    private readonly limits: WalkLimits,
    private readonly memory = new WalkMemory(),
  ) {
    ({ copies: this.copies, machine: this.machine, arena: this.arena } = memory);
    this.fd = openSync(layout.packPath, 'r');
  }

  close(): void {
    closeSync(this.fd);
    this.inflater.close();
  }

  /** Walks the delta tree under each root (a whole blob), depth first. */
  walk<C>(roots: ArrayLike<number>, visitor: WalkVisitor<C>): void {
    for (let r = 0; r < roots.length; r++) this.walkTree(roots[r]!, visitor);
  }

  private walkTree<C>(root: number, visitor: WalkVisitor<C>): void {
    const { childStart, children, wanted, wantedBelow } = this.layout;
    let rootContent: Buffer;
    try {
      rootContent = this.inflateEntry(root, (size) => this.arena.take(0, size));
    } catch (error) {
      return this.handBackTree(root, visitor, (error as Error).message);
    }
    const rootCarry = visitor.object(root, rootContent, wanted[root]! >= 0, undefined, this.wantedDeeper(root));
    if (rootContent.length > this.limits.maxChainBytes) return this.handBackChildren(root, visitor);
    const stack: Frame<C>[] = [{ entry: root, content: rootContent, top: this.arena.above(rootContent, 0), carry: rootCarry, next: childStart[root]! }];
    let stackBytes = rootContent.length;
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.next >= childStart[top.entry + 1]!) {
        stack.pop();
        stackBytes -= top.content.length;
        continue;
      }
      const child = children[top.next++]!;
      if (wantedBelow[child] === 0) continue;
      let content: Buffer;
      const floor = (this.floor = top.top);
      try {
        const delta = this.inflateEntry(child, this.deltaMemory);
        this.limit = this.arena.holds(delta) ? delta.byteOffset : this.arena.size; // the result stays below the delta
        content = applyDelta(top.content, delta, this.copies, this.resultMemory, this.machine);
      } catch (error) {
        this.handBackTree(child, visitor, (error as Error).message);
        continue;
      }
      const deeper = this.wantedDeeper(child);
      const derivation = this.derivation as Derivation<C>;
      derivation.base = top.carry;
      derivation.copies = this.copies.ops;
      derivation.copyCount = this.copies.count;
      const carry = visitor.object(child, content, wanted[child]! >= 0, derivation, deeper);
      if (!deeper) continue;
      if (stackBytes + content.length > this.limits.maxChainBytes) {
        this.handBackChildren(child, visitor);
        continue;
      }
      stack.push({ entry: child, content, top: this.arena.above(content, floor), carry, next: childStart[child]! });
      stackBytes += content.length;
    }
  }

  /** Whether anything below `entry` (itself excluded) is wanted. */
  private wantedDeeper(entry: number): boolean {
    return this.layout.wantedBelow[entry]! > (this.layout.wanted[entry]! >= 0 ? 1 : 0);
  }

  /** Every wanted entry of the tree under `entry` is handed back. */
  private handBackTree(entry: number, visitor: WalkVisitor<unknown>, reason: string): void {
    for (const e of wantedEntriesUnder(this.layout, [entry])) visitor.handBack(e, reason);
  }

  /** The trees built on `entry`, too deep to hold in memory along with it, are handed back. */
  private handBackChildren(entry: number, visitor: WalkVisitor<unknown>): void {
    const { childStart, children } = this.layout;
    for (let c = childStart[entry]!; c < childStart[entry + 1]!; c++) this.handBackTree(children[c]!, visitor, 'delta chain too large to resolve in memory');
  }

  /**
   * The buffer holding the entry's bytes, from `entryAt` on (no object per entry). A small entry comes
   * from the read window, read again from the entry on when it does not hold it; a large one is read alone.
   */
  private entryBytes(start: number, length: number): Buffer {
    const window = this.window;
    if (window.holds(start, length)) {
      this.entryAt = start - window.start;
      return window.bytes;
    }
    this.entryAt = 0;
    if (length <= READ_WINDOW / 2) {
      window.start = start;
      window.length = readSync(this.fd, window.bytes, 0, READ_WINDOW, start); // less at the end of the pack
      if (window.length < length) throw new Error(`pack entry at ${start}: short read`);
      return window.bytes;
    }
    const { memory } = this;
    if (memory.scratch.length < length) memory.scratch = Buffer.allocUnsafeSlow(Math.max(length, Math.floor(memory.scratch.length * 1.25)));
    const got = readSync(this.fd, memory.scratch, 0, length, start);
    if (got !== length) throw new Error(`pack entry at ${start}: short read`);
    return memory.scratch;
  }

  /** The entry's data, inflated into memory from `allocate` (at least the size asked): a whole object's content, or a delta's instructions. */
  private inflateEntry(entry: number, allocate: (size: number) => Buffer): Buffer {
    const start = this.layout.offsets[entry]!;
    const length = this.layout.lengths[entry]!;
    if (length <= 0 || length > 0x7fffffff) throw new Error(`pack entry at ${start}: invalid length ${length}`);
    const data = this.entryBytes(start, length);
    let p = this.entryAt;
    const end = p + length;
    let byte = data[p++]!;
    const type = (byte >> 4) & 7;
    let size = byte & 0x0f;
    let shift = 4;
    while (byte & 0x80) {
      byte = data[p++]!;
      size += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    }
    if (type === OBJ_OFS_DELTA) while (data[p++]! & 0x80);
    else if (type === OBJ_REF_DELTA) p += OID_BYTES;
    try {
      return this.inflater.inflate(data, size, allocate, p, end - p);
    } catch (error) {
      throw new Error(`pack entry at ${start}: ${(error as Error).message}`);
    }
  }
}
