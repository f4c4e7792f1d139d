/** Service endpoints given on the command line or in settings (Resource Manager, Microsoft Graph). */
import { ConfigError } from './config.js';

/** An https URL without a trailing slash; bearer tokens are never sent over plain http. */
export function normaliseHttpsEndpoint(value: string, origin: string, example: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${origin}: "${value}" is not a URL (expected e.g. ${example})`);
  }
  if (url.protocol !== 'https:') throw new ConfigError(`${origin}: the endpoint must use https (got ${url.protocol})`);
  return url.href.replace(/\/+$/, '');
}
