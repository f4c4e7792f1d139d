/** Amazon Web Services: access key pairs, key ids, session tokens, MWS. */
import type { DetectorEntry } from '../detector.js';
import { KEY_ID_SOURCE, PAIR_LINES, SECRET_KEY_SOURCE } from '../validators/cloud.js';
import { entry, ref } from './patterns.js';

const AWS_PAIR_KEYWORDS = ['akia', 'asia', 'abia', 'acca'];
const AWS_SECRET_NAME_KEYWORDS = [
  'secret_access_key',
  'secretaccesskey',
  'secret-access-key',
  'aws_secret',
  'aws-secret',
  'awssecret',
  'secret_key',
  'secretkey',
];
const KEY_DOCS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html';

export const awsDetectors: DetectorEntry[] = [
  entry({
    id: 'aws-access-key-pair',
    title: 'AWS access key (key id + secret access key)',
    provider: 'aws',
    family: 'cloud-key',
    keywords: AWS_PAIR_KEYWORDS,
    pattern: new RegExp(SECRET_KEY_SOURCE),
    validators: ['aws-pair'],
    confidence: 'validated',
    severity: 'critical',
    identityKind: 'iam-user',
    window: { linesBefore: PAIR_LINES, linesAfter: PAIR_LINES },
    priority: 70,
    minEntropy: 0,
    references: [KEY_DOCS, ref.gitleaks('aws')],
    examples: {
      positive: [
        '{gen:fakeAwsCredentialsFile}',
        'const s3 = new S3Client({ credentials: {\n  accessKeyId: "{gen:fakeAwsAccessKeyId}",\n  secretAccessKey: "{gen:fakeAwsSecretAccessKey}" } });\n',
      ],
      negative: [
        'aws_access_key_id = {gen:AWS_DOC_KEY_ID}\naws_secret_access_key = {gen:AWS_DOC_SECRET}\n',
        'aws_access_key_id = {gen:fakeAwsAccessKeyId}\naws_secret_access_key = {hex:40}\n',
      ],
    },
  }),
  entry({
    id: 'aws-secret-access-key',
    title: 'AWS secret access key (no key id nearby)',
    provider: 'aws',
    family: 'cloud-key',
    keywords: AWS_SECRET_NAME_KEYWORDS,
    pattern: new RegExp(SECRET_KEY_SOURCE),
    validators: ['aws-lone-secret'],
    severity: 'high',
    identityKind: 'iam-user',
    window: { linesAfter: 1 },
    priority: 65,
    minEntropy: 0,
    references: [KEY_DOCS, ref.gitleaks('aws')],
    examples: {
      positive: ['aws_secret_access_key = {gen:fakeAwsSecretAccessKey}\n'],
      negative: ['aws_secret_access_key = {hex:40}\n', 'aws_secret_access_key = {gen:AWS_DOC_SECRET}\n', 'checksum = {gen:fakeAwsSecretAccessKey}\n'],
    },
  }),
  entry({
    id: 'aws-access-key-id',
    title: 'AWS access key id (without its secret)',
    provider: 'aws',
    family: 'cloud-key',
    keywords: AWS_PAIR_KEYWORDS,
    pattern: new RegExp(KEY_ID_SOURCE),
    validators: ['aws-key-id'],
    confidence: 'validated',
    severity: 'medium',
    identityKind: 'iam-user',
    priority: 60,
    minEntropy: 0,
    references: [KEY_DOCS, ref.gitleaks('aws')],
    examples: {
      positive: ['The deploy user key is {gen:fakeAwsAccessKeyId} (rotate quarterly).\n'],
      negative: ['key id {gen:AWS_DOC_KEY_ID}\n', 'AKIA{base32:15}\n'],
    },
  }),
  entry({
    id: 'aws-session-token',
    title: 'AWS STS session token',
    provider: 'aws',
    family: 'cloud-key',
    keywords: ['fwogzxivyxdz', 'iqojb3jpz2lu'],
    pattern: /(?<![A-Za-z0-9/+])(?:FwoGZXIvYXdz|IQoJb3JpZ2lu)[A-Za-z0-9/+=]{100,4000}(?![A-Za-z0-9/+=])/,
    severity: 'medium',
    identityKind: 'iam-role-session',
    hitConfidence: 'high',
    references: ['https://docs.aws.amazon.com/STS/latest/APIReference/API_Credentials.html', ref.noseyparker('aws')],
    examples: { positive: ['aws_session_token = {gen:fakeAwsSessionToken}\n'], negative: ['aws_session_token = IQoJb3JpZ2lu{b64:60}\n'] },
  }),
  entry({
    id: 'aws-mws-auth-token',
    title: 'Amazon MWS auth token',
    provider: 'aws',
    keywords: ['amzn.mws.'],
    pattern: /amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f-])/,
    references: [ref.noseyparker('aws')],
    examples: { positive: ['mws_token: amzn.mws.{uuid}\n'], negative: ['mws_token: amzn.mws.{hex:8}-{hex:4}\n'] },
  }),
];
