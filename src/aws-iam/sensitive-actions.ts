/**
 * Actions that hand out credentials or bulk data: harmless on one named resource, an exfiltration
 * channel on every resource. Based on Cloudsplaining's "credentials exposure" and "data exfiltration"
 * lists, plus secret-bearing reads (Lambda environment variables) and snapshot sharing.
 * Actions that AWS only allows on `*` (ecr:GetAuthorizationToken, sts:GetSessionToken) are left out:
 * they cannot be scoped, so flagging them is noise.
 */

export type SensitiveKind = 'credentials' | 'data';

export interface SensitiveAction {
  action: string;
  kind: SensitiveKind;
  why: string;
}

export const SENSITIVE_ACTIONS: readonly SensitiveAction[] = [
  { action: 'secretsmanager:GetSecretValue', kind: 'credentials', why: 'reads every secret in Secrets Manager' },
  { action: 'ssm:GetParameter', kind: 'credentials', why: 'reads SecureString parameters' },
  { action: 'ssm:GetParameters', kind: 'credentials', why: 'reads SecureString parameters' },
  { action: 'ssm:GetParametersByPath', kind: 'credentials', why: 'reads whole parameter trees' },
  { action: 'ssm:GetParameterHistory', kind: 'credentials', why: 'reads past parameter values' },
  { action: 'kms:Decrypt', kind: 'credentials', why: 'decrypts anything encrypted under any key' },
  { action: 'sts:AssumeRole', kind: 'credentials', why: 'obtains credentials of any role whose trust policy admits the account' },
  { action: 'ec2:GetPasswordData', kind: 'credentials', why: 'reads Windows administrator passwords' },
  { action: 'redshift:GetClusterCredentials', kind: 'credentials', why: 'mints database credentials' },
  { action: 'redshift:GetClusterCredentialsWithIAM', kind: 'credentials', why: 'mints database credentials' },
  { action: 'rds-db:connect', kind: 'credentials', why: 'connects to any IAM-enabled database as any user' },
  { action: 'lightsail:GetInstanceAccessDetails', kind: 'credentials', why: 'returns SSH keys and passwords of instances' },
  { action: 'lightsail:GetRelationalDatabaseMasterUserPassword', kind: 'credentials', why: 'returns database master passwords' },
  { action: 'lambda:GetFunctionConfiguration', kind: 'credentials', why: 'returns function environment variables, a common home of secrets' },
  { action: 'iam:CreateServiceSpecificCredential', kind: 'credentials', why: 'creates CodeCommit/Keyspaces credentials for any user' },
  { action: 's3:GetObject', kind: 'data', why: 'reads every object in every bucket' },
  { action: 's3:GetObjectVersion', kind: 'data', why: 'reads every version of every object' },
  { action: 'dynamodb:Scan', kind: 'data', why: 'reads whole tables' },
  { action: 'dynamodb:Query', kind: 'data', why: 'reads any table' },
  { action: 'dynamodb:BatchGetItem', kind: 'data', why: 'reads any table' },
  { action: 'codecommit:GitPull', kind: 'data', why: 'clones every repository' },
  { action: 'ec2:ModifySnapshotAttribute', kind: 'data', why: 'shares any EBS snapshot with another account' },
  { action: 'rds:ModifyDBSnapshotAttribute', kind: 'data', why: 'shares any database snapshot with another account' },
];
