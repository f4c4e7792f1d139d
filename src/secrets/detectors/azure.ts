/** Microsoft Azure and Entra ID: storage keys and connection strings, SAS, client secrets, DevOps. */
import type { DetectorEntry } from '../detector.js';
import { AZURE_KEY_88 } from '../validators/cloud.js';
import { entries, ref } from './patterns.js';

const STORAGE_DOCS = 'https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string';

export const azureDetectors: DetectorEntry[] = entries({ provider: 'azure', family: 'cloud-key' }, [
  {
    id: 'azure-storage-connection-string', title: 'Azure storage account connection string',
    keywords: ['accountkey='], pattern: new RegExp(`AccountName=(?<account>[A-Za-z0-9]{3,24});\\s{0,2}AccountKey=(?<secret>${AZURE_KEY_88})`, 'i'),
    validators: ['azure-storage-connection-string'], confidence: 'validated', severity: 'critical', identityKind: 'azure-storage-account', priority: 68, minEntropy: 0,
    references: [STORAGE_DOCS, ref.kingfisher('azure')],
    examples: {
      positive: ['"Storage": "{gen:fakeAzureStorageConnectionString}"\n'],
      negative: ['DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={rep:x:86}==;\n'],
    },
  },
  {
    id: 'azure-storage-account-key', title: 'Azure storage account / Cosmos DB key',
    keywords: ['accountkey', 'account_key', 'storage_key', 'storagekey', 'storage-key', 'azure_storage', 'storage_account', 'primary_key', 'primarykey', 'masterkey', 'master_key', 'cosmos'],
    pattern: new RegExp(`(?<![A-Za-z0-9+/])(?<secret>${AZURE_KEY_88})(?![A-Za-z0-9+/=])`), validators: ['base64-64-bytes'], confidence: 'validated',
    severity: 'critical', identityKind: 'azure-storage-account', window: { linesAfter: 1 }, priority: 62,
    references: ['https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage', ref.noseyparker('azure')],
    examples: { positive: ['AZURE_STORAGE_KEY={b64bytes:64}\n'], negative: ['AZURE_STORAGE_KEY={rep:A:86}==\n', 'image_digest={b64bytes:64}\n'] },
  },
  {
    id: 'azure-sas-connection-string', title: 'Azure Service Bus / Event Hubs / IoT Hub shared access key',
    keywords: ['sharedaccesskey='], pattern: /SharedAccessKeyName=(?<keyName>[^;"'\s]{1,256});\s{0,2}SharedAccessKey=(?<secret>[A-Za-z0-9+/]{43}=)/i,
    validators: ['azure-shared-access-key'], confidence: 'validated', severity: 'high', identityKind: 'azure-shared-access-policy', priority: 66,
    references: ['https://learn.microsoft.com/azure/service-bus-messaging/service-bus-sas', ref.kingfisher('azure')],
    examples: {
      positive: ['Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={b64bytes:32}\n'],
      negative: ['Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey={b64:20}=\n'],
    },
  },
  {
    id: 'azure-sas-token', title: 'Azure shared access signature (SAS) token',
    keywords: ['sig='], pattern: /[?&;]sig=(?<secret>[A-Za-z0-9%+/]{40,120}(?:%3D|=){0,2})(?![A-Za-z0-9%+/=])/i,
    validators: ['azure-sas-signature'], confidence: 'validated', severity: 'high', identityKind: 'azure-sas', minEntropy: 0,
    references: ['https://learn.microsoft.com/azure/storage/common/storage-sas-overview', ref.kingfisher('azure')],
    examples: {
      positive: ['az storage blob download --blob-url "{gen:fakeAzureSasUrl.url}"\n'],
      negative: ['https://example.net/file?sig={b64bytes:32}\n', 'https://acme.blob.core.windows.net/c/b?sv=2022-11-02&sig={b64bytes:20}\n'],
    },
  },
  {
    id: 'azure-ad-client-secret', title: 'Microsoft Entra ID (Azure AD) application client secret',
    keywords: ['q~'], pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/,
    validators: ['entra-client-secret-context'], severity: 'high', identityKind: 'azure-app-registration', hitConfidence: 'high',
    references: ['https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials', ref.gitleaks('azure')],
    examples: { positive: ['AZURE_CLIENT_SECRET={gen:fakeAzureAdClientSecret}\n'], negative: ['AZURE_CLIENT_SECRET={alnum:3}8Q~{alnum:20}\n'] },
  },
  {
    id: 'azure-devops-pat', title: 'Azure DevOps personal access token', family: 'structured-token',
    keywords: ['azdo'], pattern: /(?<![A-Za-z0-9])[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}(?![A-Za-z0-9])/, severity: 'high', identityKind: 'azure-devops-user', hitConfidence: 'high',
    references: ['https://learn.microsoft.com/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate', ref.kingfisher('azure')],
    examples: { positive: ['AZURE_DEVOPS_PAT={alnum:76}AZDO{alnum:4}\n'], negative: ['AZURE_DEVOPS_PAT={alnum:50}AZDO{alnum:4}\n'] },
  },
  {
    id: 'azure-app-configuration-connection-string', title: 'Azure App Configuration connection string',
    keywords: ['azconfig.io'], pattern: /Endpoint=https:\/\/[A-Za-z0-9-]{1,64}\.azconfig\.io;\s{0,2}Id=[^;\s"']{1,64};\s{0,2}Secret=(?<secret>[A-Za-z0-9+/]{40,64}={0,2})/i,
    severity: 'high', identityKind: 'azure-app-configuration', priority: 66,
    references: ['https://learn.microsoft.com/azure/azure-app-configuration/howto-best-practices', ref.kingfisher('azure')],
    examples: {
      positive: ['Endpoint=https://acme-config.azconfig.io;Id={alnum:4}-l1-s0:{alnum:20};Secret={b64bytes:32}\n'],
      negative: ['Endpoint=https://acme-config.azconfig.io;Id=abcd;Secret={b64:20}\n'],
    },
  },
]);
