/** Builds real git repositories in temp dirs for tests, with fixed authors and dates. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Author {
  name: string;
  email: string;
}

export const ALICE: Author = { name: 'Alice Dev', email: 'alice@example.com' };
export const BOB: Author = { name: 'Bob Ops', email: 'bob@example.com' };

export class TestRepo {
  private clock = Date.parse('2025-01-01T10:00:00Z');

  constructor(readonly dir: string) {}

  static create(prefix = 'nhiscan-git-'): TestRepo {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    const repo = new TestRepo(dir);
    repo.git('-c', 'init.defaultBranch=main', 'init', '-q');
    return repo;
  }

  env(author: Author = ALICE, date = this.clock): NodeJS.ProcessEnv {
    const iso = new Date(date).toISOString();
    return {
      PATH: process.env.PATH,
      HOME: this.dir, // no user config (signing, hooks) leaks into the tests
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_AUTHOR_DATE: iso,
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
      GIT_COMMITTER_DATE: iso,
    };
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, env: this.env(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim();
  }

  /** Writes (string/Buffer) or deletes (null) files, commits them, returns the commit id. */
  commit(message: string, files: Record<string, string | Buffer | null>, author: Author = ALICE): string {
    this.clock += 86_400_000; // one commit a day: dates order the history
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.dir, path);
      if (content === null) rmSync(full, { force: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    execFileSync('git', ['add', '-A'], { cwd: this.dir, env: this.env(author) });
    execFileSync('git', ['commit', '-q', '--allow-empty', '-m', message], { cwd: this.dir, env: this.env(author) });
    return this.git('rev-parse', 'HEAD');
  }

  lastDate(): string {
    return new Date(this.clock).toISOString();
  }

  blobOf(rev: string, path: string): string {
    return this.git('rev-parse', `${rev}:${path}`);
  }
}
