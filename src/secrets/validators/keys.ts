/** Private-key validators: OpenPGP secret-key packets and PuTTY .ppk files (PEM keys: common.ts). */
import type { Validator } from '../detector.js';
import { decodeBase64 } from '../value-checks.js';

/** OpenPGP armored secret key: the first packet must be a secret key (tag 5) or secret subkey (tag 7). */
export const pgpValidator: Validator = (value) => {
  const lines = value
    .replace(/\\n/g, '\n')
    .split(/\r?\n/)
    .map((l) => l.trim());
  const body = lines.filter((l) => l && !l.startsWith('-----') && !/^[A-Za-z-]{1,40}:/.test(l) && !l.startsWith('=')).join('');
  const bytes = decodeBase64(body);
  if (!bytes || bytes.length < 32) return null;
  const first = bytes[0]!;
  const tag = first & 0x40 ? first & 0x3f : (first >> 2) & 0x0f;
  if ((first & 0x80) === 0 || (tag !== 5 && tag !== 7)) return null;
  return { confidence: 'high' };
};

/**
 * PuTTY .ppk: the pattern only anchors the header; the validator walks the following lines
 * (bounded) and reports the Private-Lines block, which is the secret.
 */
const PUTTY_HEADER_LINE = /^(?:Comment|Public-Lines|Key-Derivation|Argon2-Memory|Argon2-Passes|Argon2-Parallelism|Argon2-Salt|Private-MAC|Private-Hash): /;
const BASE64_LINE = /^[A-Za-z0-9+/=]{1,64}$/;

export const puttyValidator: Validator = (_value, ctx) => {
  // Walk line by line from the header; stop at the first line that cannot belong to a .ppk file,
  // so a file of repeated headers costs one short walk per header.
  const text = ctx.text;
  const limit = Math.min(text.length, ctx.matchStart + 16384);
  let pos = ctx.matchStart;
  const nextLine = (): string | undefined => {
    if (pos >= limit) return undefined;
    let nl = text.indexOf('\n', pos);
    if (nl < 0 || nl > limit) nl = limit;
    const line = text.slice(pos, nl).replace(/\r$/, '');
    pos = nl + 1;
    return line;
  };
  nextLine(); // PuTTY-User-Key-File-N: type
  const encryption = /^Encryption: (.{1,30})$/.exec(nextLine() ?? '')?.[1];
  if (!encryption) return null;
  for (let line = nextLine(); line !== undefined; line = nextLine()) {
    const privateLines = /^Private-Lines: (\d{1,3})$/.exec(line);
    if (privateLines) {
      const lines: string[] = [];
      for (let i = 0; i < Number(privateLines[1]); i++) {
        const l = nextLine();
        if (l === undefined || !BASE64_LINE.test(l)) return null;
        lines.push(l);
      }
      const encrypted = encryption !== 'none';
      return { value: lines.join('\n'), confidence: 'high', decoded: { encrypted }, ...(encrypted ? { severity: 'low' as const } : {}) };
    }
    if (!PUTTY_HEADER_LINE.test(line) && !BASE64_LINE.test(line)) return null;
  }
  return null;
};
