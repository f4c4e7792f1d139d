import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/progress.js';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { stream: { isTTY, columns: 80, write: (c: string) => chunks.push(c) } as unknown as NodeJS.WriteStream, chunks };
}

describe('progress display', () => {
  it('plain lines without a TTY, redacted, rate-limited per source', () => {
    const { stream, chunks } = fakeStream(false);
    const p = createProgress({ stream });
    p.update('git:.', 'scanned 10 blobs');
    p.update('git:.', 'scanned 20 blobs'); // within a second of the last line: dropped
    p.update('aws', 'token ghp_' + 'Q'.repeat(36) + ' rejected');
    p.done('git:.', 'ok');
    p.stop();
    expect(chunks.join('')).toBe(`[git:.] scanned 10 blobs\n[aws] token ghp_[REDACTED] rejected\n[git:.] ok\n`);
  });

  it('redraws a live status block on a TTY', () => {
    const { stream, chunks } = fakeStream(true);
    const p = createProgress({ stream });
    p.update('git:.', 'scanned 10 blobs');
    p.done('aws', 'partial');
    p.stop();
    const out = chunks.join('');
    expect(out).toContain('\x1b[2K'); // clears lines as it redraws
    expect(out).toMatch(/git:\.: scanned 10 blobs/);
    expect(out).toMatch(/◐ partial/);
  });

  it('prints nothing with --quiet', () => {
    const { stream, chunks } = fakeStream(true);
    const p = createProgress({ stream, quiet: true });
    p.update('a', 'b');
    p.done('a', 'ok');
    p.stop();
    expect(chunks).toEqual([]);
  });
});
