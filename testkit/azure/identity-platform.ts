/**
 * What the ARM and Graph emulators share: a TLS server on loopback with the test CA (tls.ts), and the
 * Microsoft identity platform's endpoints (`/{tenant}/v2.0/.well-known/openid-configuration`,
 * `/{tenant}/oauth2/v2.0/token`) so a spawned CLI can authenticate with EnvironmentCredential →
 * ClientSecretCredential through AZURE_AUTHORITY_HOST. Each emulator accepts only bearer tokens it issued.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testTls } from './tls.js';
import { fakeAccessToken } from './estate.js';

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

const IDENTITY_PATH = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token)$/;

export interface IdentityPlatformOptions {
  tenantId: string;
  /** When set, the token endpoint accepts only this client id / secret (the spawned-CLI tests). */
  clientId?: string;
  clientSecret?: string;
}

/** The token endpoint of one emulator: issues fake access tokens for its own base URL and knows which it issued. */
export class EmulatedIdentityPlatform {
  /** Scopes requested at the token endpoint. */
  readonly tokenScopes: string[] = [];
  private readonly tokens = new Set<string>();
  /** The emulator's https://127.0.0.1:PORT, known once it listens (tokens name it as their audience). */
  base = '';

  constructor(private readonly options: IdentityPlatformOptions) {}

  /** A bearer token the emulator accepts, for in-process tests' static credential. */
  issueToken = (): string => {
    const { tenantId } = this.options;
    const token = fakeAccessToken({ aud: this.base, iss: `${this.base}/${tenantId}/v2.0`, tid: tenantId, exp: Math.floor(Date.now() / 1000) + 3600 });
    this.tokens.add(token);
    return token;
  };

  isIdentityPath(pathname: string): boolean {
    return IDENTITY_PATH.test(pathname);
  }

  /** Whether the request carries a bearer token this emulator issued. */
  authorized(req: IncomingMessage): boolean {
    const auth = req.headers.authorization ?? '';
    return auth.startsWith('Bearer ') && this.tokens.has(auth.slice(7));
  }

  /** Answers an identity-platform request: the OpenID configuration, or a client-credentials token. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const m = IDENTITY_PATH.exec(url.pathname);
    const tenant = m?.[1] ?? '';
    const base = this.base;
    if (m?.[2]?.startsWith('v2.0')) {
      return sendJson(res, 200, {
        token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
        issuer: `${base}/${tenant}/v2.0`,
        jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
      });
    }
    const form = new URLSearchParams(await readBody(req));
    this.tokenScopes.push(form.get('scope') ?? '');
    const { clientId, clientSecret } = this.options;
    const valid =
      req.method === 'POST' &&
      form.get('grant_type') === 'client_credentials' &&
      (!clientId || form.get('client_id') === clientId) &&
      (!clientSecret || form.get('client_secret') === clientSecret);
    if (!valid) return sendJson(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
    sendJson(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: this.issueToken() });
  }
}

export interface TlsEmulatorServer {
  server: Server;
  /** https://127.0.0.1:PORT */
  url: string;
  close(): Promise<void>;
}

/** An https server with the test CA's certificate, listening on a free loopback port. */
export async function listenTls(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TlsEmulatorServer> {
  const tls = await testTls();
  const server = createServer({ key: tls.serverKey, cert: tls.serverCert }, handler);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A credential for in-process tests: hands out a token the emulator issued. Never a real Azure credential. */
export function staticEmulatorCredential(emulator: { issueToken(): string }) {
  const token = emulator.issueToken();
  const scopes: string[] = [];
  return {
    scopes,
    async getToken(scope: string | string[]) {
      scopes.push(...(Array.isArray(scope) ? scope : [scope]));
      return { token, expiresOnTimestamp: Date.now() + 3_600_000, tokenType: 'Bearer' as const };
    },
  };
}
