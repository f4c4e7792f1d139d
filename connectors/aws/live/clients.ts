/**
 * SDK clients for one set of credentials. Endpoints: an explicit setting wins; otherwise the SDK itself
 * honours AWS_ENDPOINT_URL_IAM / _STS / _ORGANIZATIONS / _KMS / _SECRETS_MANAGER / _S3 / _LAMBDA / _SNS / _SQS, AWS_ENDPOINT_URL, and `endpoint_url` in the
 * profile, which is how GovCloud, China, VPC and test endpoints are reached.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { Logger } from '../../../src/log.js';
import type { AwsSettings } from './settings.js';

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface AwsClients {
  iam: IAMClient;
  sts: STSClient;
  organizations: OrganizationsClient;
  /** Regional services whose resources carry resource-based policies (read in the scan's region). */
  kms: KMSClient;
  secretsManager: SecretsManagerClient;
  s3: S3Client;
  lambda: LambdaClient;
  sns: SNSClient;
  sqs: SQSClient;
  /** The same credentials and settings in another region (created once per region, destroyed with these). */
  inRegion(region: string): AwsClients;
  destroy(): void;
}

/** The SDK's default chain (env, SSO, profiles, process, web identity, container/instance roles), for a profile when given. */
export function defaultCredentials(profile: string | undefined, log: Logger): AwsCredentialIdentityProvider {
  // The SDK warns through its logger when a profile and env keys are both set; route that to our debug log.
  const logger = { debug: () => {}, info: () => {}, warn: (m: unknown) => log.debug(String(m)), error: (m: unknown) => log.debug(String(m)), trace: () => {} };
  return fromNodeProviderChain({ ...(profile ? { profile } : {}), logger });
}

/**
 * The SDK warns on every run under Node 20 about *future* SDK releases; nhiscan pins its SDK version and
 * supports Node 20, so the warning is only noise on stderr. An explicit setting of the variable wins.
 */
function quietNodeVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

export async function resolveRegion(settings: AwsSettings, profile: string | undefined): Promise<string> {
  quietNodeVersionWarning();
  if (settings.region) return settings.region;
  // Let the SDK read AWS_REGION or the profile's region; IAM is global, so us-east-1 is a safe default.
  const probe = new STSClient(profile ? { profile } : {});
  try {
    return await probe.config.region();
  } catch {
    return 'us-east-1';
  } finally {
    probe.destroy();
  }
}

/**
 * Per-attempt limits for the SDK's NodeHttpHandler, so a call that is never answered fails as a
 * `TimeoutError`, which the SDK's retry strategy treats as transient (retried within maxAttempts).
 * - requestTimeout alone only logs a warning in @smithy/node-http-handler 4.x: throwOnRequestTimeout makes
 *   it an error. It runs until the response headers arrive.
 * - socketTimeout (inactivity) covers a response whose body stops half-way, after the headers.
 * - connectionTimeout bounds the TCP/TLS connect.
 */
export function requestTimeouts(requestTimeoutMs: number) {
  return {
    requestTimeout: requestTimeoutMs,
    throwOnRequestTimeout: true,
    socketTimeout: requestTimeoutMs,
    connectionTimeout: Math.min(requestTimeoutMs, 10_000),
  };
}

export function createClients(settings: AwsSettings, region: string, credentials: Credentials, profile?: string): AwsClients {
  quietNodeVersionWarning();
  const common = {
    region,
    credentials,
    maxAttempts: settings.maxAttempts,
    retryMode: 'adaptive' as const,
    requestHandler: requestTimeouts(settings.requestTimeoutMs),
    ...(profile ? { profile } : {}),
  };
  const endpointFor = (service: keyof NonNullable<AwsSettings['endpoints']>) => {
    const url = settings.endpoints?.[service] ?? settings.endpoint;
    return url ? { endpoint: url } : {};
  };
  const clients = {
    iam: new IAMClient({ ...common, ...endpointFor('iam') }),
    sts: new STSClient({ ...common, ...endpointFor('sts') }),
    organizations: new OrganizationsClient({ ...common, ...endpointFor('organizations') }),
    kms: new KMSClient({ ...common, ...endpointFor('kms') }),
    secretsManager: new SecretsManagerClient({ ...common, ...endpointFor('secretsmanager') }),
    // A bucket in another region answers with a redirect: follow it rather than fail the bucket.
    s3: new S3Client({ ...common, ...endpointFor('s3'), followRegionRedirects: true }),
    lambda: new LambdaClient({ ...common, ...endpointFor('lambda') }),
    sns: new SNSClient({ ...common, ...endpointFor('sns') }),
    sqs: new SQSClient({ ...common, ...endpointFor('sqs') }),
  };
  const regional = new Map<string, AwsClients>();
  const self: AwsClients = {
    ...clients,
    inRegion(other) {
      if (other === region) return self;
      let found = regional.get(other);
      if (!found) regional.set(other, (found = createClients(settings, other, credentials, profile)));
      return found;
    },
    destroy() {
      for (const client of Object.values(clients)) client.destroy();
      for (const other of regional.values()) other.destroy();
    },
  };
  return self;
}
