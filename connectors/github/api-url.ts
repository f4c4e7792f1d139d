/**
 * The GitHub API URL decides where the token goes. Over plain http anyone on the path reads it, so an
 * `http://` URL is refused unless it points at this machine (a loopback emulator or proxy) or the user
 * says `--allow-insecure-http`; either way nhiscan warns, loudly, every scan.
 */
import type { Logger } from '../../src/log.js';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export class InsecureApiUrlError extends Error {
  override name = 'InsecureApiUrlError';
}

export function checkApiUrl(apiUrl: string | undefined, allowInsecureHttp: boolean, log: Logger, spec: string): void {
  if (apiUrl === undefined) return;
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new InsecureApiUrlError(`${spec}: the GitHub API URL "${apiUrl}" is not a URL (expected e.g. https://HOST/api/v3)`);
  }
  if (url.protocol === 'https:') return;
  if (url.protocol !== 'http:') throw new InsecureApiUrlError(`${spec}: the GitHub API URL must use https (got ${url.protocol})`);
  const loopback = LOOPBACK.test(url.hostname);
  if (!loopback && !allowInsecureHttp) {
    throw new InsecureApiUrlError(
      `${spec}: refusing to send the GitHub credential over plain http to ${url.host}; use https, or --allow-insecure-http if you accept that anyone on the network can read it`,
    );
  }
  log.warn(`${spec}: INSECURE: the GitHub credential is sent over plain http to ${url.host}${loopback ? ' (a loopback address)' : ' (--allow-insecure-http)'}`);
}
