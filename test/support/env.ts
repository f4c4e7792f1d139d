import { fileURLToPath } from 'node:url';

/** Environment for CLI processes spawned by tests: same guards as the test process. */
export function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const guard = fileURLToPath(new URL('./no-network.mjs', import.meta.url));
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...(process.env.XDG_CACHE_HOME ? { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME } : {}),
    NODE_OPTIONS: `--import ${guard}`,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret-not-a-real-key',
    AWS_REGION: 'us-east-1',
    AZURE_TOKEN_CREDENTIALS: 'EnvironmentCredential',
    METADATA_SERVER_DETECTION: 'none',
    NO_COLOR: '1',
    ...extra,
  };
}

/**
 * Runs `run` with these variables set in this process's environment (undefined: unset), restoring each
 * after: the git connector reads its switches (`NHISCAN_GIT_*`) there.
 */
export async function withEnv<T>(vars: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  try {
    apply(vars);
    return await run();
  } finally {
    apply(saved);
  }
}
