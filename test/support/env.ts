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
