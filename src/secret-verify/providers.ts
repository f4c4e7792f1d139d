/**
 * Opt-in live verification (`--verify`): for each provider, the one read-only identity call that tells
 * whether a found credential works, and how its answer maps to live / revoked / unknown. Every call is
 * listed, with what it sends, in docs/secrets.md ("Live verification"). Nothing here runs unless asked.
 */

export type VerificationState = 'live' | 'revoked' | 'unknown';

export interface Verification {
  state: VerificationState;
  /** Who the credential acts as, when the provider said (never secret): AWS account + ARN, a login. */
  identity?: Record<string, string>;
  /** Why the state is what it is (HTTP status, provider error code); never the credential. */
  detail: string;
}

/** What a verifier gets: the value (in memory only) and non-secret facts decoded offline. */
export interface Candidate {
  detector: string;
  value: string;
  decoded: Record<string, string | number | boolean>;
  /** The text around the value (a few lines): Azure needs the tenant and client ids written next to a secret. */
  around: string;
}

export interface VerifyContext {
  endpoint: string;
  signal: AbortSignal;
}

export type ProviderId = 'aws' | 'github' | 'gitlab' | 'slack' | 'stripe' | 'openai' | 'sendgrid' | 'npm' | 'google' | 'azure';

export interface Provider {
  id: ProviderId;
  /** The provider's own endpoint; `settings.secrets.verify.endpoints.<id>` or NHISCAN_VERIFY_<ID>_URL replace it. */
  defaultEndpoint: string;
  detectors: readonly string[];
  /** One line for the docs: the call and what it carries. */
  call: string;
  verify(candidate: Candidate, ctx: VerifyContext): Promise<Verification>;
}

async function httpStatus(url: string, init: RequestInit, signal: AbortSignal): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { ...init, signal, redirect: 'manual' });
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, body };
}

function join(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/** 2xx → live; 401 (and the listed statuses) → revoked; anything else (429, 5xx, 403 without a clear answer) → unknown. */
function byStatus(status: number, revoked: number[] = [401]): Verification {
  if (status >= 200 && status < 300) return { state: 'live', detail: `HTTP ${status}` };
  if (revoked.includes(status)) return { state: 'revoked', detail: `HTTP ${status}` };
  return { state: 'unknown', detail: `HTTP ${status}` };
}

function field(body: unknown, name: string): string | undefined {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** A GET with a bearer-style header: the common shape of most providers' identity endpoints. */
function bearerGet(path: string, header: (value: string) => Record<string, string>, identity?: (body: unknown) => Record<string, string> | undefined) {
  return async (candidate: Candidate, ctx: VerifyContext): Promise<Verification> => {
    const { status, body } = await httpStatus(
      join(ctx.endpoint, path),
      { method: 'GET', headers: { accept: 'application/json', 'user-agent': 'nhiscan-verify', ...header(candidate.value) } },
      ctx.signal,
    );
    const result = byStatus(status);
    const who = result.state === 'live' ? identity?.(body) : undefined;
    return who ? { ...result, identity: who } : result;
  };
}

const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** The tenant and client (application) ids written next to an Entra ID client secret, if any. */
export function azureIdsAround(text: string): { tenant?: string; client?: string } {
  const find = (names: string) => new RegExp(`(?:${names})[\\w.-]{0,20}["']?\\s{0,4}[:=]\\s{0,4}["']?(${GUID})`, 'i').exec(text)?.[1];
  return { tenant: find('tenant|directory'), client: find('client|app(?:lication)?') };
}

export const PROVIDERS: Provider[] = [
  {
    id: 'aws',
    defaultEndpoint: 'https://sts.amazonaws.com',
    detectors: ['aws-access-key-pair'],
    call: 'STS `GetCallerIdentity` (POST, signed with SigV4 by the AWS SDK using the found key id and secret; the secret itself is not sent)',
    async verify(candidate, ctx) {
      const accessKeyId = String(candidate.decoded.accessKeyId ?? '');
      if (!accessKeyId) return { state: 'unknown', detail: 'no key id next to the secret' };
      // The AWS SDK loads only when a key is verified: most scans never verify, and it is the heaviest import.
      const { GetCallerIdentityCommand, STSClient } = await import('@aws-sdk/client-sts');
      const client = new STSClient({
        region: 'us-east-1',
        endpoint: ctx.endpoint,
        maxAttempts: 1,
        credentials: { accessKeyId, secretAccessKey: candidate.value },
      });
      try {
        const out = await client.send(new GetCallerIdentityCommand({}), { abortSignal: ctx.signal });
        return { state: 'live', detail: 'GetCallerIdentity answered', identity: { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' } };
      } catch (error) {
        const name = (error as { name?: string }).name ?? 'Error';
        if (['InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken'].includes(name)) return { state: 'revoked', detail: name };
        return { state: 'unknown', detail: name };
      } finally {
        client.destroy();
      }
    },
  },
  {
    id: 'github',
    defaultEndpoint: 'https://api.github.com',
    detectors: ['github-pat-classic', 'github-pat-fine-grained', 'github-oauth-token', 'github-user-to-server-token', 'github-server-to-server-token'],
    call: '`GET /user` with `Authorization: Bearer <token>`',
    verify: bearerGet('/user', bearer, (body) => (field(body, 'login') ? { login: field(body, 'login')! } : undefined)),
  },
  {
    id: 'gitlab',
    defaultEndpoint: 'https://gitlab.com',
    detectors: ['gitlab-pat'],
    call: '`GET /api/v4/user` with `PRIVATE-TOKEN: <token>`',
    verify: bearerGet(
      '/api/v4/user',
      (value) => ({ 'private-token': value }),
      (body) => (field(body, 'username') ? { login: field(body, 'username')! } : undefined),
    ),
  },
  {
    id: 'slack',
    defaultEndpoint: 'https://slack.com',
    detectors: ['slack-bot-token', 'slack-user-token', 'slack-app-token', 'slack-legacy-token'],
    call: '`POST /api/auth.test` with `Authorization: Bearer <token>` and an empty body',
    async verify(candidate, ctx) {
      const { status, body } = await httpStatus(
        join(ctx.endpoint, '/api/auth.test'),
        { method: 'POST', headers: { ...bearer(candidate.value), 'content-type': 'application/x-www-form-urlencoded' }, body: '' },
        ctx.signal,
      );
      if (status !== 200) return { state: 'unknown', detail: `HTTP ${status}` };
      const ok = body && typeof body === 'object' ? (body as Record<string, unknown>).ok : undefined;
      if (ok === true) return { state: 'live', detail: 'auth.test ok', identity: { team: field(body, 'team') ?? '', user: field(body, 'user') ?? '' } };
      const error = field(body, 'error') ?? 'unknown_error';
      const dead = ['invalid_auth', 'token_revoked', 'account_inactive', 'token_expired', 'not_authed'].includes(error);
      return { state: dead ? 'revoked' : 'unknown', detail: error };
    },
  },
  {
    id: 'stripe',
    defaultEndpoint: 'https://api.stripe.com',
    detectors: ['stripe-live-secret-key', 'stripe-live-restricted-key', 'stripe-test-secret-key'],
    call: '`GET /v1/account` with `Authorization: Bearer <key>`',
    verify: bearerGet('/v1/account', bearer, (body) => (field(body, 'id') ? { account: field(body, 'id')! } : undefined)),
  },
  {
    id: 'openai',
    defaultEndpoint: 'https://api.openai.com',
    detectors: ['openai-api-key'],
    call: '`GET /v1/models` with `Authorization: Bearer <key>`',
    verify: bearerGet('/v1/models', bearer),
  },
  {
    id: 'sendgrid',
    defaultEndpoint: 'https://api.sendgrid.com',
    detectors: ['sendgrid-api-key'],
    call: '`GET /v3/scopes` with `Authorization: Bearer <key>`',
    async verify(candidate, ctx) {
      const { status } = await httpStatus(join(ctx.endpoint, '/v3/scopes'), { method: 'GET', headers: bearer(candidate.value) }, ctx.signal);
      return byStatus(status, [401, 403]);
    },
  },
  {
    id: 'npm',
    defaultEndpoint: 'https://registry.npmjs.org',
    detectors: ['npm-access-token'],
    call: '`GET /-/whoami` with `Authorization: Bearer <token>`',
    verify: bearerGet('/-/whoami', bearer, (body) => (field(body, 'username') ? { login: field(body, 'username')! } : undefined)),
  },
  {
    id: 'google',
    defaultEndpoint: 'https://generativelanguage.googleapis.com',
    detectors: ['google-api-key'],
    call: '`GET /v1beta/models?pageSize=1&key=<key>` (listing models is free; a key restricted to other APIs answers 403, which still proves it exists)',
    async verify(candidate, ctx) {
      const { status, body } = await httpStatus(
        join(ctx.endpoint, `/v1beta/models?pageSize=1&key=${encodeURIComponent(candidate.value)}`),
        { method: 'GET' },
        ctx.signal,
      );
      if (status === 200 || status === 403) return { state: 'live', detail: `HTTP ${status}` };
      if (status === 400 && JSON.stringify(body ?? '').includes('API_KEY_INVALID')) return { state: 'revoked', detail: 'API_KEY_INVALID' };
      return { state: 'unknown', detail: `HTTP ${status}` };
    },
  },
  {
    id: 'azure',
    defaultEndpoint: 'https://login.microsoftonline.com',
    detectors: ['azure-ad-client-secret'],
    call: '`POST /<tenant>/oauth2/v2.0/token` (client_credentials: client id, client secret, scope `https://graph.microsoft.com/.default`), only when a tenant id and a client id are written next to the secret; the token it returns is discarded',
    async verify(candidate, ctx) {
      const { tenant, client } = azureIdsAround(candidate.around);
      if (!tenant || !client) return { state: 'unknown', detail: 'no tenant id and client id next to the secret' };
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client,
        client_secret: candidate.value,
        scope: 'https://graph.microsoft.com/.default',
      });
      const { status, body } = await httpStatus(
        join(ctx.endpoint, `/${tenant}/oauth2/v2.0/token`),
        { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() },
        ctx.signal,
      );
      if (status === 200) return { state: 'live', detail: 'token issued', identity: { tenant, clientId: client } };
      const codes = JSON.stringify((body as { error_codes?: unknown } | undefined)?.error_codes ?? []);
      // AADSTS7000215 invalid secret, 7000222 expired secret, 700016 unknown application.
      if (/7000215|7000222|700016/.test(codes)) return { state: 'revoked', detail: `AADSTS ${codes}` };
      return { state: 'unknown', detail: `HTTP ${status}` };
    },
  },
];

export function providerFor(detector: string): Provider | undefined {
  return PROVIDERS.find((p) => p.detectors.includes(detector));
}
