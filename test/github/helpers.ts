import type { CollectResult } from '../../src/plugin.js';
import { defaultConfig } from '../../src/config.js';
import { testContext } from '../support/context.js';
import { githubConnector } from '../../connectors/github/connector.js';

/** Runs the github connector against an emulator with a token in the environment. */
export async function scanWithToken(
  apiUrl: string,
  token: string,
  options: Record<string, unknown> = {},
  settings: Record<string, unknown> = {},
  org = 'acme',
): Promise<CollectResult> {
  process.env.GITHUB_TOKEN = token;
  try {
    const ctx = testContext(`github:${org}`, { options, config: { ...defaultConfig(), settings: { github: { apiUrl, retryBaseMs: 5, ...settings } } } });
    return await githubConnector.collect(ctx);
  } finally {
    delete process.env.GITHUB_TOKEN;
  }
}
