/**
 * A loopback emulator of the identity endpoints `--verify` calls (GitHub, GitLab, Slack, Stripe, OpenAI,
 * SendGrid, npm, Google API keys, Entra ID token endpoint), answering as each provider documents:
 * 200 with the caller's identity for a live credential, the provider's own rejection for any other
 * (401; Slack `ok: false, error: invalid_auth`; Google 400 `API_KEY_INVALID`; Entra 401 `AADSTS7000215`).
 * AWS STS is testkit/aws. Records every request (method, path, which credential header was present) and
 * injects faults per path: `hang` (never answered), `throttle` (429), `server-error` (500).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VerifyCall {
  method: string;
  path: string;
  /** The credential the request carried (for the test to compare; the emulator is the provider here). */
  credential: string;
  at: number;
}

export interface VerifyEmulatorOptions {
  /** Credentials the emulated providers accept. */
  live: string[];
  faults?: Array<{ path: string; kind: 'hang' | 'throttle' | 'server-error' }>;
}

export class VerifyEmulator {
  readonly calls: VerifyCall[] = [];
  url = '';
  private server?: Server;
  private readonly hung: ServerResponse[] = [];

  constructor(private readonly options: VerifyEmulatorOptions) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://emulator');
    const auth = String(req.headers.authorization ?? '').replace(/^(?:Bearer|token)\s+/i, '');
    const credential =
      String(req.headers['private-token'] ?? '') || auth || url.searchParams.get('key') || new URLSearchParams(body).get('client_secret') || '';
    this.calls.push({ method: req.method ?? 'GET', path: url.pathname, credential, at: Date.now() });
    const fault = this.options.faults?.find((f) => url.pathname === f.path || url.pathname.endsWith(f.path));
    if (fault?.kind === 'hang') {
      this.hung.push(res);
      return;
    }
    if (fault) return this.json(res, fault.kind === 'throttle' ? 429 : 500, { message: fault.kind });
    const live = this.options.live.includes(credential);
    const path = url.pathname;
    if (path === '/user' && req.method === 'GET')
      return live ? this.json(res, 200, { login: 'octo-bot', id: 1 }) : this.json(res, 401, { message: 'Bad credentials' });
    if (path === '/api/v4/user' && req.method === 'GET')
      return live ? this.json(res, 200, { username: 'gitlab-bot', id: 2 }) : this.json(res, 401, { message: '401 Unauthorized' });
    if (path === '/api/auth.test' && req.method === 'POST')
      return this.json(res, 200, live ? { ok: true, team: 'Acme', user: 'deploy-bot', team_id: 'T1', user_id: 'U1' } : { ok: false, error: 'invalid_auth' });
    if (path === '/v1/account' && req.method === 'GET')
      return live
        ? this.json(res, 200, { id: 'acct_1Emulated', object: 'account' })
        : this.json(res, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    if (path === '/v1/models' && req.method === 'GET')
      return live ? this.json(res, 200, { object: 'list', data: [] }) : this.json(res, 401, { error: { code: 'invalid_api_key' } });
    if (path === '/v3/scopes' && req.method === 'GET')
      return live ? this.json(res, 200, { scopes: ['mail.send'] }) : this.json(res, 401, { errors: [{ message: 'authorization required' }] });
    if (path === '/-/whoami' && req.method === 'GET')
      return live ? this.json(res, 200, { username: 'npm-bot' }) : this.json(res, 401, { error: 'Unauthorized' });
    if (path === '/v1beta/models' && req.method === 'GET') {
      return live
        ? this.json(res, 200, { models: [] })
        : this.json(res, 400, { error: { code: 400, status: 'INVALID_ARGUMENT', details: [{ reason: 'API_KEY_INVALID' }] } });
    }
    if (/^\/[0-9a-f-]{36}\/oauth2\/v2\.0\/token$/.test(path) && req.method === 'POST') {
      return live
        ? this.json(res, 200, { token_type: 'Bearer', expires_in: 3599, access_token: 'emulated' })
        : this.json(res, 401, { error: 'invalid_client', error_codes: [7000215] });
    }
    return this.json(res, 404, { message: 'Not Found' });
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}
