/**
 * SIGINT or SIGTERM during the clone of a URL source: the `git clone` child is killed and the temporary
 * clone removed (the CLI runs as a real process here: signals are the point).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { CLI } from '../support/cli.js';
import { testEnv } from '../support/env.js';
import { scratch } from './helpers.js';

/** A server that accepts connections and never answers: the clone hangs until it is stopped. */
let server: Server;
const sockets: Socket[] = [];
beforeAll(async () => {
  server = createServer((socket) => sockets.push(socket.on('error', () => {})));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function gitProcessesUnder(dir: string): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(dir) && /\bgit\b/.test(line) && !line.includes('ps -eo'));
}

async function interruptDuringClone(signal: NodeJS.Signals): Promise<{ code: number | null; temp: string }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does)`);
  const temp = scratch('nhiscan-sig-');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/acme/slow.git`;
  const child = spawn(process.execPath, [CLI, 'scan', `git:${url}`, '--out', `${temp}/out`, '--quiet'], {
    env: testEnv({ TMPDIR: temp }),
    stdio: 'ignore',
  });
  // Wait until the clone is under way: its temporary directory exists and git is running in it.
  const started = Date.now();
  while (!(readdirSync(temp).some((n) => n.startsWith('nhiscan-clone-')) && gitProcessesUnder(temp).length)) {
    if (Date.now() - started > 30_000) throw new Error('the clone never started');
    await new Promise((r) => setTimeout(r, 50));
  }
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill(signal);
  const code = await exited;
  return { code, temp };
}

describe('an interrupted scan leaves nothing behind', () => {
  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal}: kills the git clone and removes the temporary clone`, async () => {
      const run = await interruptDuringClone(signal);
      expect(run.code).toBe(code);
      // git gets a moment to die after SIGKILL.
      for (let i = 0; i < 40 && gitProcessesUnder(run.temp).length; i++) await new Promise((r) => setTimeout(r, 50));
      expect(gitProcessesUnder(run.temp)).toEqual([]);
      expect(readdirSync(run.temp).filter((n) => n.startsWith('nhiscan-clone-'))).toEqual([]);
    });
  }
});
