/**
 * The GitHub REST client: @octokit/rest with the throttling and retry plugins, so primary rate limits
 * (x-ratelimit-remaining: 0 → wait until x-ratelimit-reset), secondary rate limits (Retry-After) and
 * transient 5xx are handled below the collector, and every attempt has a deadline and a JSON check
 * (transport.ts), so a hung server or a malformed body is retried like a 5xx. Authentication is a token or a GitHub App installation.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Octokit } from '@octokit/rest';
import { throttling } from '@octokit/plugin-throttling';
import { retry } from '@octokit/plugin-retry';
import { createAppAuth } from '@octokit/auth-app';
import type { Logger } from '../../src/log.js';
import { redactText } from '../../src/redact.js';
import { holdSecret } from '../../src/held-secrets.js';
import { timedFetch } from './transport.js';

export const GithubClient = Octokit.plugin(throttling, retry);
export type GithubClientInstance = InstanceType<typeof GithubClient>;

export type GithubAuth = { kind: 'token'; token: string } | { kind: 'app'; appId: string; privateKey: string; installationId: string } | { kind: 'none' };

export interface GithubClientOptions {
  auth: GithubAuth;
  /** API root, e.g. `https://ghe.example.com/api/v3`; github.com when absent. */
  baseUrl?: string;
  log: Logger;
  /** How many times a rate-limited, failed (5xx), timed-out or malformed request is retried. */
  maxRetries?: number;
  /**
   * Multiplier applied to Retry-After/backoff seconds (1000 = honour them as given). Only tests shrink it,
   * to exercise the retry paths without waiting.
   */
  retryBaseMs?: number;
  /** Deadline of one attempt, body included (a timed-out attempt is retried like a 5xx). */
  requestTimeoutMs?: number;
  signal?: AbortSignal;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export const DEFAULT_API_URL = 'https://api.github.com';

/** Reads the authentication the environment and settings provide; App settings win over a token. */
export function resolveAuth(input: {
  appId?: string;
  privateKeyPath?: string;
  privateKey?: string;
  installationId?: string;
  env: NodeJS.ProcessEnv;
}): GithubAuth {
  if (input.appId || input.installationId || input.privateKeyPath) {
    if (!input.appId || !input.installationId || !(input.privateKeyPath || input.privateKey)) {
      throw new Error(
        'GitHub App authentication needs an app id, a private key file and an installation id (--github-app-id, --github-app-key, --github-app-installation-id)',
      );
    }
    let privateKey = input.privateKey;
    if (!privateKey) {
      try {
        privateKey = readFileSync(input.privateKeyPath!, 'utf8');
      } catch (error) {
        throw new Error(`cannot read the GitHub App private key file ${input.privateKeyPath}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      }
    }
    holdSecret(privateKey, 'github-app-key');
    return { kind: 'app', appId: String(input.appId), privateKey, installationId: String(input.installationId) };
  }
  const token = input.env.GITHUB_TOKEN || input.env.GH_TOKEN;
  holdSecret(token, input.env.GITHUB_TOKEN ? 'GITHUB_TOKEN' : 'GH_TOKEN');
  return token ? { kind: 'token', token } : { kind: 'none' };
}

export function createGithubClient(options: GithubClientOptions): GithubClientInstance {
  const { auth, log } = options;
  const maxRetries = options.maxRetries ?? 3;
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    log.warn(`github: ${kind} rate limit on ${request.method} ${request.url}; ${retryCount < maxRetries ? `retrying in ${retryAfter}s` : 'giving up'}`);
    return retryCount < maxRetries;
  };
  const authOptions =
    auth.kind === 'app'
      ? { authStrategy: createAppAuth, auth: { appId: auth.appId, privateKey: auth.privateKey, installationId: auth.installationId } }
      : auth.kind === 'token'
        ? { auth: auth.token }
        : {};
  return new GithubClient({
    ...authOptions,
    baseUrl: (options.baseUrl ?? DEFAULT_API_URL).replace(/\/+$/, ''),
    userAgent: 'nhiscan',
    request: { signal: options.signal, fetch: timedFetch(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS) },
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => log.debug(`github: ${redactText(String(message))}`),
      error: (message: string) => log.debug(`github: ${redactText(String(message))}`),
    },
    throttle: {
      // A fresh id per client: the plugin's limiter groups are process-wide and keyed by id, so two scans
      // (or a scan and a benchmark baseline) must not share one queue.
      id: `nhiscan-${randomUUID()}`,
      retryAfterBaseValue: retryBaseMs,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
    },
    retry: { retries: maxRetries, retryAfterBaseValue: retryBaseMs },
  });
}
