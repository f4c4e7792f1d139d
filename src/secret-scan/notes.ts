import type { SourceError } from '../plugin.js';

/**
 * Per-file notes (errors and parts not covered), capped so a repository with a million binaries does not
 * produce a million-line report; the overflow is summarised in one line per kind.
 */
export class Notes {
  readonly errors: SourceError[] = [];
  readonly notCovered: { part: string; reason: string }[] = [];
  private readonly overflow = new Map<string, number>();

  constructor(private readonly cap = 100) {}

  error(part: string, message: string): void {
    if (this.errors.length < this.cap) this.errors.push({ part, message });
    else this.count(`error: ${message.split(':')[0]}`);
  }

  skipped(part: string, reason: string): void {
    if (this.notCovered.length < this.cap) this.notCovered.push({ part, reason });
    else this.count(reason.split(' (')[0]!);
  }

  private count(kind: string): void {
    this.overflow.set(kind, (this.overflow.get(kind) ?? 0) + 1);
  }

  finish(): void {
    for (const [kind, n] of this.overflow) this.notCovered.push({ part: `${n} more files`, reason: kind });
    this.overflow.clear();
  }
}
