import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // 2-core CI machines: forks keep worker_threads-based scanners isolated per file.
    pool: 'forks',
    // Vitest's default is one worker per core minus one: a single process on these 2-core machines, so the
    // suite ran file after file (327 s). Most files wait on git, the emulators, PostgreSQL or Chromium much of
    // the time; two processes overlap those waits.
    maxWorkers: 2,
    // GitHub's workflow parser imports its schema JSON without an import attribute, which Node 20 refuses: Vite transforms it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
