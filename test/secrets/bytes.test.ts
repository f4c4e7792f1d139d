/**
 * scanBytes must report exactly what scanText reports on the decoded text, also when a large file is
 * scanned in overlapping segments and secrets sit on or near segment boundaries.
 */
import { describe, expect, it } from 'vitest';
import { scanBytes, scanText, type SecretHit } from '../../src/secrets/index.js';
import { buildCorpus } from '../../testkit/secret-corpus.js';
import { Rng } from '../../testkit/fake-tokens.js';

const FILLER_LINES = [
  'static int processCommand(client *c) {',
  '    if (c->argc < 2) return C_ERR; /* the token count is checked by the caller */',
  '    serverLog(LL_WARNING, "password mismatch for user %s", c->user->name);',
  '    long long keyspace = dictSize(server.db[j].dict);',
  '}',
  'proc assert_replication_stream {s patterns} {',
  '    set secret_len [string length $pattern]',
  '',
];

/** ~`size` bytes of code-like filler with every corpus sample spliced in at pseudo-random places. */
function bigFile(rng: Rng, size: number, samples: string[], lineLength = 0): string {
  const parts: string[] = [];
  let length = 0;
  let next = 0;
  while (length < size) {
    const line = lineLength > 0 ? 'x=1;'.repeat(lineLength / 4) : FILLER_LINES[rng.int(FILLER_LINES.length)]!;
    parts.push(line);
    length += line.length + 1;
    if (next < samples.length && rng.int(30) === 0) {
      parts.push(samples[next++]!);
      length += samples[next - 1]!.length + 1;
    }
  }
  while (next < samples.length) parts.push(samples[next++]!);
  return parts.join('\n');
}

const strip = (hits: SecretHit[]) => hits.map((h) => `${h.detectorId} ${h.line}:${h.column} ${h.value.length} ${h.confidence}`);

describe('scanBytes', () => {
  const corpus = buildCorpus();
  const rng = new Rng(99);

  it('matches scanText on every corpus sample (small files: decoded whole)', () => {
    for (const s of corpus) {
      const bytes = Buffer.from(s.text, 'utf8');
      const { hits, nonUtf8 } = scanBytes(bytes, { path: s.path });
      expect(nonUtf8).toBe(false);
      expect(hits).toEqual(scanText(s.text, { path: s.path }));
    }
  });

  it('matches scanText on large ASCII files scanned in segments, secrets anywhere incl. segment edges', () => {
    const texts = corpus.filter((s) => s.expect).map((s) => s.text.trimEnd());
    for (let round = 0; round < 3; round++) {
      const text = bigFile(rng, 1_500_000, texts.slice(round * 100, round * 100 + 120));
      const expected = scanText(text, { path: 'src/server.c' });
      expect(expected.length).toBeGreaterThan(80);
      const { hits, nonUtf8 } = scanBytes(Buffer.from(text, 'latin1'), { path: 'src/server.c' });
      expect(nonUtf8).toBe(false);
      expect(strip(hits)).toEqual(strip(expected));
      expect(hits).toEqual(expected);
    }
  });

  it('matches scanText when one sample sits at every offset around a segment boundary, and on very long lines', () => {
    const sample = corpus.find((s) => s.expect?.detectorId === 'private-key-rsa') ?? corpus.find((s) => s.expect)!;
    const token = corpus.find((s) => s.expect?.detectorId === 'github-pat-classic')!.text;
    expect(sample.expect?.detectorId).toBe('private-key-rsa');
    // Every 700 bytes over the first two segment boundaries (segment cores are ~70 KB): the key straddles each.
    for (let at = 0; at < 160_000; at += at < 60_000 ? 20_000 : 700) {
      const text = 'a = b;\n'.repeat(Math.floor(at / 7)) + sample.text + token + 'c = d;\n'.repeat(30_000);
      const expected = scanText(text, { path: sample.path });
      expect(expected.map((h) => h.detectorId)).toEqual(['private-key-rsa', 'github-pat-classic']);
      expect(scanBytes(Buffer.from(text, 'latin1'), { path: sample.path }).hits).toEqual(expected);
    }
    // Detectors whose keyword comes before the value (a manifest's `kind: Secret`, an AWS key id above its secret).
    const manifest = corpus.find((s) => s.expect?.detectorId === 'kubernetes-secret-manifest')!;
    const aws = corpus.find((s) => s.expect?.detectorId === 'aws-access-key-pair')!;
    const padded = manifest.text.replace('data:', `data:\n${`  # ${'n'.repeat(96)}\n`.repeat(35)}`);
    for (let at = 60_000; at < 80_000; at += 500) {
      const text = 'a = b;\n'.repeat(Math.floor(at / 7)) + padded + aws.text + 'c = d;\n'.repeat(30_000);
      const expected = scanText(text, { path: manifest.path });
      expect(expected.map((h) => h.detectorId)).toEqual(['kubernetes-secret-manifest', 'aws-access-key-pair']);
      expect(scanBytes(Buffer.from(text, 'latin1'), { path: manifest.path }).hits).toEqual(expected);
    }
    const longLines = bigFile(
      rng,
      600_000,
      corpus
        .filter((s) => s.expect)
        .slice(0, 40)
        .map((s) => s.text.trimEnd()),
      50_000,
    );
    expect(scanBytes(Buffer.from(longLines, 'latin1')).hits).toEqual(scanText(longLines));
  });

  it('decodes non-UTF-8 bytes as Latin-1 and non-ASCII UTF-8 as UTF-8, like the git and dir sources', () => {
    const token = corpus.find((s) => s.expect?.detectorId === 'github-pat-classic')!.text;
    const latin1 = Buffer.concat([Buffer.from([0xe9, 0xff, 0x0a]), Buffer.from('x'.repeat(200_000) + '\n' + token)]);
    const r1 = scanBytes(latin1);
    expect(r1.nonUtf8).toBe(true);
    expect(r1.hits).toEqual(scanText(latin1.toString('latin1')));
    expect(r1.hits.map((h) => h.detectorId)).toEqual(['github-pat-classic']);
    const utf8 = Buffer.from(`// caf\u00e9 \u2603\n${'y'.repeat(200_000)}\n${token}`, 'utf8');
    const r2 = scanBytes(utf8);
    expect(r2.nonUtf8).toBe(false);
    expect(r2.hits).toEqual(scanText(utf8.toString('utf8')));
    expect(r2.hits).toHaveLength(1);
  });

  it('matches scanText on large multi-byte UTF-8 files (accents, CJK, emoji surrogate pairs), incl. long lines', () => {
    const texts = corpus.filter((s) => s.expect).map((s) => s.text.trimEnd());
    const accented = ['    /* café — naïve façade ☃ 漢字 😀 */', 'set msg "Grüße, 世界 🎉"', '# ½ ¾ ünïcödé'];
    for (let round = 0; round < 2; round++) {
      const plain = bigFile(rng, 900_000, texts.slice(round * 150, round * 150 + 100));
      // Non-ASCII only in some regions, so both ASCII and UTF-8 segments occur.
      const lines = plain.split('\n');
      for (let i = 0; i < lines.length; i += round === 0 ? 7 : 997) lines.splice(i, 0, accented[i % 3]!);
      const text = lines.join('\n');
      const expected = scanText(text, { path: 'src/module.c' });
      expect(expected.length).toBeGreaterThan(60);
      const { hits, nonUtf8 } = scanBytes(Buffer.from(text, 'utf8'), { path: 'src/module.c' });
      expect(nonUtf8).toBe(false);
      expect(strip(hits)).toEqual(strip(expected));
      expect(hits).toEqual(expected);
    }
    // One 400 KB line full of emoji with secrets in it: columns count UTF-16 units from the real line start.
    const line = texts
      .slice(0, 30)
      .map((t) => t.replace(/\n/g, ' '))
      .join(` ${'😀é'.repeat(3000)} `);
    expect(scanBytes(Buffer.from(line, 'utf8')).hits).toEqual(scanText(line));
  });

  it('matches scanText on multi-byte UTF-8 texts with keywords whether or not a pattern matches (no-match check on code units)', () => {
    // Non-ASCII right next to secrets and keywords: Cyrillic and Latin Extended letters whose UTF-16 low
    // byte is an ASCII letter (the prefilter reads a string's low bytes: `Ŵoken` holds "token" there),
    // CJK, NBSP (a \s for the patterns), emoji surrogate pairs inside and at the edge of values.
    const around = ['Ŵoken', 'пароль', '密码', '\u00a0', '😀', 'сlient_ѕecret', 'ĸey', 'é'];
    const samples = corpus.map((s) => s.text.trimEnd());
    const small: string[] = [];
    for (let i = 0; i < samples.length; i++) {
      const a = around[i % around.length]!,
        b = around[(i * 3 + 1) % around.length]!;
      small.push(i % 2 ? `${a} ${samples[i]}${b}` : `# ${a}\n${samples[i]!.replace(/=/, `=${b}`)}\n${b} token = ${a}`);
    }
    let found = 0;
    for (const text of small) {
      const expected = scanText(text, { path: 'conf/app.env' });
      found += expected.length;
      expect(scanBytes(Buffer.from(text, 'utf8'), { path: 'conf/app.env' }).hits).toEqual(expected);
    }
    expect(found).toBeGreaterThan(100);
    // The same in large files: segments with and without a match.
    const big = bigFile(rng, 600_000, small.slice(0, 160)).replace(/\n(?=static)/g, `\n// ${around[2]} password: ${around[0]}\n`);
    const expected = scanText(big, { path: 'src/module.c' });
    expect(expected.length).toBeGreaterThan(40);
    expect(scanBytes(Buffer.from(big, 'utf8'), { path: 'src/module.c' }).hits).toEqual(expected);
  });

  it('matches scanText where the generic scoring rejects most matches before the text is decoded (translation files)', () => {
    // A translation file's references and messages: generic matches whose values the validator rejects on
    // sight (a line number, a printf conversion, a boolean), among values it accepts, quoted and not.
    const rejected = ['#: credential.c:96 builtin/credential-cache--daemon.c:223', 'msgid "passwd: %s"', 'msgstr "пароль: %s"', 'credential.interactive=false'];
    const values = corpus.filter((s) => s.expect?.detectorId?.startsWith('generic-')).map((s) => s.text.trimEnd());
    expect(values.length).toBeGreaterThan(5);
    const lines: string[] = [];
    for (let i = 0; lines.length < 40_000; i++) {
      lines.push(rejected[i % rejected.length]!, i % 2 ? 'msgstr "Échec de la lecture du mot de passe"' : 'msgstr "读取密码失败"');
      if (i % 900 === 450) lines.push(values[((i / 900) % values.length) | 0]!);
    }
    const text = lines.join('\n');
    for (const [path, part] of [
      ['po/fr.po', text],
      ['po/fr.po', text.slice(0, 20_000)],
      ['src/credential.c', text],
      ['src/credential.c', text.slice(0, 20_000)],
    ] as const) {
      const expected = scanText(part, { path });
      expect(scanBytes(Buffer.from(part, 'utf8'), { path }).hits).toEqual(expected);
      const ascii = part.replace(/[^\x00-\x7f]/g, '?');
      expect(scanBytes(Buffer.from(ascii, 'latin1'), { path }).hits).toEqual(scanText(ascii, { path }));
    }
    expect(scanText(text, { path: 'po/fr.po' }).length).toBeGreaterThan(5);
  });

  it('honours path allowlists and finds nothing in a large file without keywords', () => {
    const token = corpus.find((s) => s.expect?.detectorId === 'github-pat-classic')!.text;
    const text = 'z'.repeat(300_000) + '\n' + token;
    expect(scanBytes(Buffer.from(text), { path: 'vendor/x.c', allowlist: { paths: ['vendor/**'] } }).hits).toEqual([]);
    expect(scanBytes(Buffer.from(text), { path: 'src/x.c' }).hits).toHaveLength(1);
    expect(scanBytes(Buffer.from('q'.repeat(300_000))).hits).toEqual([]);
  });
});

describe('scanBytes on hostile input', () => {
  const token = buildCorpus().find((s) => s.expect?.detectorId === 'github-pat-classic')!.text;
  const cases: Array<[string, () => string]> = [
    ['5 MB single line of A', () => 'A'.repeat(5_000_000)],
    ['"pat" x 1e6 then a token (over a million keyword hits: per-segment prefilter)', () => `${'pat '.repeat(1_000_000)}\n${token}`],
    ['password= x 3e5', () => 'password='.repeat(300_000)],
    ['BEGIN RSA PRIVATE KEY x 1e5', () => '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(100_000)],
    ['4 MB base64 run', () => Buffer.alloc(3_000_000, 7).toString('base64')],
    ['token: x 1e5 on separate lines', () => '  token: \n'.repeat(100_000)],
  ];
  for (const [name, make] of cases) {
    it(`${name}: same result as scanText, in bounded time`, () => {
      const text = make();
      const t0 = performance.now();
      const { hits } = scanBytes(Buffer.from(text, 'latin1'));
      expect(performance.now() - t0).toBeLessThan(5000); // hang guard, not a speed assertion
      const expected = scanText(text);
      expect(hits).toEqual(expected);
      if (text.endsWith(token)) expect(expected.map((h) => h.detectorId)).toEqual(['github-pat-classic']);
    });
  }

  it('drops keywords by their surroundings (keywordContext) only where scanText finds nothing either', () => {
    // Lines built around keywords with every separator the generic patterns accept or refuse, and
    // token prefixes followed by runs too short or long enough: the byte-level checks must never drop
    // a hit the text scan makes.
    const rng = new Rng(4242);
    const names = ['password', 'db_pass', 'PASS', 'pwd', 'api_key', 'clientSecret', 'auth-token', 'token', 'bypass', 'passport', 'secretary'];
    const seps = ['=', ' = ', ':', ': ', ' := ', ' => ', '", ', '", "', '"]=', "'= ", '  =', ' ', '\t=', '==', '(', ''];
    const values = ['"Zq8!Lw3#Rt9vK2mNx7"', "'hX93kqLm2Pz81vRt'", 'Yq7Tn2Lr9Kd4Wm8Zp3', '${DB_PASSWORD}', 'changeme', '"x"'];
    const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(16)]).join('');
    const alnum = (n: number) => Array.from({ length: n }, () => 'abcXYZ0123456789'[rng.int(16)]).join('');
    const lines: string[] = [];
    for (let i = 0; i < 600; i++) {
      switch (rng.int(4)) {
        case 0:
        case 1:
          lines.push(`${names[rng.int(names.length)]}${seps[rng.int(seps.length)]}${values[rng.int(values.length)]}`);
          break;
        case 2:
          lines.push(`dapi${hex(28 + rng.int(8))} cio${alnum(28 + rng.int(8))} pat${alnum(12 + rng.int(4))}.${hex(64)}`);
          break;
        default:
          lines.push(`${hex(28 + rng.int(8))}-us${1 + rng.int(20)} SG.${alnum(20 + rng.int(4))}.${alnum(43)}`);
      }
    }
    const text = lines.join('\n');
    const fromText = scanText(text, { path: 'app/settings.py' });
    expect(fromText.length).toBeGreaterThan(50);
    expect(scanBytes(Buffer.from(text), { path: 'app/settings.py' }).hits).toEqual(fromText);
  });
});
