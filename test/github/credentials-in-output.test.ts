import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubConnector } from '../../connectors/github/connector.js';
import type { Logger } from '../../src/log.js';
import { runCli, tempDir } from '../support/cli.js';
import { testContext } from '../support/context.js';

/** A GitHub look-alike whose every error quotes the credential it was sent, as a broken proxy might. */
function echoingServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const credential = String(req.headers.authorization ?? '').replace(/^(token|bearer)\s+/i, '');
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: `no such credential ${credential} (sent as ${req.headers.authorization})` }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function capturingLogger(lines: string[]): Logger {
  const push = (m: string) => void lines.push(m);
  return { debug: push, info: push, warn: push, error: push };
}

describe('credentials nhiscan holds never reach an output', () => {
  let server: Server;
  beforeAll(async () => {
    server = await echoingServer();
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('scrubs a GitHub token an API error echoes, from stderr and every report format', async () => {
    // No known token shape: only the registry of held credentials can recognise it.
    const token = `nhi${randomBytes(18).toString('hex')}`;
    const out = tempDir();
    const { port } = server.address() as AddressInfo;
    const run = await runCli(['scan', 'github:acme', '--github-api-url', `http://127.0.0.1:${port}`, '--out', out, '--fail-on', 'none', '--verbose'], {
      env: { GITHUB_TOKEN: token },
    });
    expect(run.code).toBe(3);
    const outputs = [run.stdout, run.stderr, ...readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8'))];
    expect(outputs.join('\n')).toContain('[REDACTED:GITHUB_TOKEN]'); // the echo happened, and was scrubbed
    for (const text of outputs) expect(text).not.toContain(token);
    expect(run.stderr).toMatch(/INSECURE: the GitHub credential is sent over plain http to 127\.0\.0\.1:\d+ \(a loopback address\)/);
  });

  it('refuses an http:// GitHub API URL that is not loopback, before sending anything', async () => {
    const lines: string[] = [];
    const ctx = testContext('github:acme', { options: { 'github-api-url': 'http://ghe.example.invalid/api/v3' }, log: capturingLogger(lines) });
    await expect(githubConnector.collect(ctx)).rejects.toThrow(
      /refusing to send the GitHub credential over plain http to ghe\.example\.invalid; use https, or --allow-insecure-http/,
    );
  });

  it('with --allow-insecure-http, goes on and warns loudly', async () => {
    const lines: string[] = [];
    const ctx = testContext('github:acme', {
      options: { 'github-api-url': 'http://ghe.example.invalid/api/v3', 'allow-insecure-http': true },
      log: capturingLogger(lines),
    });
    // No credential in this test process: the connector stops right after the URL check.
    const saved = { a: process.env.GITHUB_TOKEN, b: process.env.GH_TOKEN };
    delete process.env.GITHUB_TOKEN;
    delete process.env.GH_TOKEN;
    try {
      await expect(githubConnector.collect(ctx)).rejects.toThrow(/no GitHub credential/);
    } finally {
      if (saved.a !== undefined) process.env.GITHUB_TOKEN = saved.a;
      if (saved.b !== undefined) process.env.GH_TOKEN = saved.b;
    }
    expect(lines).toContainEqual(expect.stringMatching(/INSECURE: .* plain http to ghe\.example\.invalid \(--allow-insecure-http\)/));
  });
});
