/**
 * A loopback git smart-HTTP server standing in for github.com's git endpoint: the real
 * `git http-backend` behind a small node:http CGI shim, serving bare repositories created at test time.
 * Like GitHub for a private repository, it answers 401 unless the request carries
 * `Authorization: Basic base64(USER:TOKEN)` with a token `authorize` accepts. It serves fetches only
 * (upload-pack); a push (receive-pack) is refused and recorded, so tests can assert the scan is read-only.
 * Recorded requests say whether a credential came and whether it was accepted, never the credential.
 */
import { spawn, execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface GitHttpRequest {
  method: string;
  path: string;
  service?: string;
  auth: 'none' | 'accepted' | 'refused';
  status: number;
}

export interface GitHttpServer {
  url: string;
  requests: GitHttpRequest[];
  /** Publishes `sourceDir`'s history as `NAME` (e.g. `acme/web.git`) and returns its clone URL. */
  addRepository(name: string, sourceDir: string): string;
  close(): Promise<void>;
}

function gitEnvForServer(root: string, home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_PROJECT_ROOT: root, GIT_HTTP_EXPORT_ALL: '1' };
}

/** The token in a Basic (or token/Bearer) Authorization header, or undefined. */
function presentedToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!value) return undefined;
  if (/^basic$/i.test(scheme!)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return /^(token|bearer)$/i.test(scheme!) ? value : undefined;
}

export async function startGitHttpServer(options: { authorize(token: string): boolean }): Promise<GitHttpServer> {
  const root = mkdtempSync(join(tmpdir(), 'nhiscan-git-http-'));
  const home = join(root, '.home');
  mkdirSync(home);
  const requests: GitHttpRequest[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const service = url.searchParams.get('service') ?? url.pathname.split('/').pop();
    const record: GitHttpRequest = { method: req.method ?? 'GET', path: url.pathname, service, auth: 'none', status: 0 };
    requests.push(record);
    const reply = (status: number, text: string, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'text/plain', ...headers });
      res.end(text);
    };
    const token = presentedToken(req.headers.authorization);
    if (token !== undefined) record.auth = options.authorize(token) ? 'accepted' : 'refused';
    // GitHub answers 401 with a Basic challenge for a private repository without (valid) credentials.
    if (record.auth !== 'accepted') return reply(401, 'Authentication required\n', { 'www-authenticate': 'Basic realm="GitHub"' });
    if (service === 'git-receive-pack') return reply(403, 'emulator: pushing is not allowed\n');

    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...gitEnvForServer(root, home),
        GATEWAY_INTERFACE: 'CGI/1.1',
        SERVER_PROTOCOL: 'HTTP/1.1',
        REQUEST_METHOD: record.method,
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
        REMOTE_USER: 'x-access-token',
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
        ...(req.headers['git-protocol'] ? { HTTP_GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    req.pipe(cgi.stdin);
    cgi.stdin.on('error', () => {});
    // CGI output: headers (with an optional `Status:`), a blank line, then the body, streamed on.
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const crlf = head.indexOf('\r\n\r\n');
      const lf = head.indexOf('\n\n');
      const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (/^status$/i.test(name)) status = Number.parseInt(value, 10) || 200;
        else headers[name] = value;
      }
      record.status = status;
      res.writeHead(status, headers);
      res.write(head.subarray(end));
    });
    cgi.on('close', () => {
      if (!headersDone) return reply(502, 'emulator: git http-backend gave no response\n');
      res.end();
    });
    cgi.on('error', () => {
      if (!res.headersSent) reply(500, 'emulator: cannot run git http-backend\n');
    });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    addRepository(name, sourceDir) {
      const target = join(root, name);
      mkdirSync(dirname(target), { recursive: true });
      execFileSync('git', ['clone', '--bare', '--quiet', '--no-local', sourceDir, target], { env: gitEnvForServer(root, home), stdio: 'ignore' });
      return `${url}/${name}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => {
          rmSync(root, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
