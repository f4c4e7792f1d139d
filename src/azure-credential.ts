/**
 * The production credential: `DefaultAzureCredential`, which honours `AZURE_TOKEN_CREDENTIALS` to
 * pin one credential type (e.g. `EnvironmentCredential` in CI, `ManagedIdentityCredential` on a VM).
 *
 * When `AZURE_AUTHORITY_HOST` names a host that is not one of Microsoft's public or sovereign login
 * hosts (Azure Stack, a private or test cloud), instance discovery is turned off: MSAL would
 * otherwise ask login.microsoftonline.com to vouch for the unknown authority, which such a cloud
 * cannot satisfy. For Microsoft's own hosts discovery stays on.
 */
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';

const MICROSOFT_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'sts.windows.net',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
]);

export function shouldDisableInstanceDiscovery(authorityHost: string | undefined): boolean {
  if (!authorityHost) return false;
  try {
    return !MICROSOFT_AUTHORITY_HOSTS.has(new URL(authorityHost).hostname.toLowerCase());
  } catch {
    return false;
  }
}

/** Shared by the azure and entra sources; `tenantId` (entra:TENANT_ID) pins the tenant signed in to. */
export function defaultAzureCredential(env: NodeJS.ProcessEnv = process.env, tenantId?: string): TokenCredential {
  return new DefaultAzureCredential({ disableInstanceDiscovery: shouldDisableInstanceDiscovery(env.AZURE_AUTHORITY_HOST), ...(tenantId ? { tenantId } : {}) });
}
