/**
 * Fixed values of the fingerprint formula and of the id formats. Suppressions and baselines in users'
 * configs and CI hold these strings: a change to any of them silently un-suppresses findings and makes
 * every baseline finding "new". Changing one is a deliberate migration (see docs/report.md, "Stable
 * identifiers"), never a side effect of a refactor.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findingFingerprint } from '../../src/fingerprint.js';
import { makeId } from '../../src/model/index.js';
import { secretHash } from '../../src/redact.js';
import { secretCredentialId } from '../../src/secret-scan/secret-inventory.js';
import { applySuppressions } from '../../src/suppress.js';
import { suppressionExpiredRule } from '../../rules/core/suppression-expired.js';
import { keyId, roleId, rootId, userId } from '../../connectors/aws/inventory.js';
import { principalIdentityId, vaultIdentityId } from '../../connectors/azure/normalise.js';
import { applicationIdentityId, servicePrincipalIdentityId } from '../../connectors/entra/normalise.js';
import { githubSnapshotImporter as githubImporter } from '../../connectors/github/importer.js';
import { testContext } from '../support/context.js';

describe('finding fingerprints (fixed values)', () => {
  it('are the first 32 hex digits of SHA-256 over rule, resource id and key, NUL-separated', () => {
    expect(findingFingerprint('leaked-secret', 'secret:leaked-secret:abc', 'config/app.env')).toBe('b85c93041e2f9d0db2c2a5ab7f2a1f36');
    expect(findingFingerprint('aws-access-key-not-rotated', 'aws:aws-access-key:AKIAEXAMPLEKEYID0001')).toBe('0cc87efb083e5aae3b42d42a6fcf254b');
    expect(findingFingerprint('aws-access-key-not-rotated', 'aws:aws-access-key:AKIAEXAMPLEKEYID0001', '')).toBe('0cc87efb083e5aae3b42d42a6fcf254b');
    expect(findingFingerprint('missing-owner', 'github:deploy-key:acme/web/42', 'x')).toBe('ec8822c60564b752562bfa797f718562');
  });

  it('of an expired suppression are named by what it suppressed', () => {
    const expired = (s: { rule: string; resource?: string; fingerprint?: string }) =>
      applySuppressions([], [{ ...s, reason: 'r', expires: '2020-01-01' }], new Date('2026-11-29T00:00:00Z'), { meta: suppressionExpiredRule.meta })
        .expired[0]!;
    expect(expired({ rule: 'aws-role-unused', resource: '*AWSServiceRoleFor*' })).toMatchObject({
      fingerprint: '679f7e0c742689fdad3ef31f991ff412',
      resource: { id: 'suppression:rule aws-role-unused on *AWSServiceRoleFor*' },
    });
    expect(expired({ rule: 'x', fingerprint: '0123456789abcdef0123456789abcdef' }).resource.id).toBe(
      'suppression:fingerprint 0123456789abcdef0123456789abcdef',
    );
  });
});

describe('ids (fixed values)', () => {
  it('are provider:kind:native-id', () => {
    expect(makeId('aws', 'iam-user', 'arn:aws:iam::123456789012:user/ci')).toBe('aws:iam-user:arn:aws:iam::123456789012:user/ci');
  });

  it('of a secret found in code: the SHA-256 of its value', () => {
    const hash = secretHash('correct horse battery staple');
    expect(hash).toBe('sha256:c4bbcb1fbec99d65bf59d85c8cb62ee2db963f0fe106f483d9afa73bd4e39a8a');
    expect(secretCredentialId(hash)).toBe(`secret:leaked-secret:${hash.slice('sha256:'.length)}`);
  });

  it('of AWS principals and keys: the ARN or the key id', () => {
    expect(userId('arn:aws:iam::123456789012:user/ci/deployer')).toBe('aws:iam-user:arn:aws:iam::123456789012:user/ci/deployer');
    expect(roleId('arn:aws:iam::123456789012:role/app')).toBe('aws:iam-role:arn:aws:iam::123456789012:role/app');
    expect(rootId('arn:aws:iam::123456789012:root')).toBe('aws:iam-root:arn:aws:iam::123456789012:root');
    expect(keyId('AKIAEXAMPLEKEYID0001')).toBe('aws:aws-access-key:AKIAEXAMPLEKEYID0001');
  });

  it('of Azure and Entra ID objects: lower-cased resource and object ids', () => {
    expect(vaultIdentityId('/subscriptions/S1/resourceGroups/RG/providers/Microsoft.KeyVault/vaults/KV')).toBe(
      'azure:keyvault:/subscriptions/s1/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv',
    );
    expect(principalIdentityId('TENANT', 'OBJECT')).toBe('azure:azure-principal:tenant/object');
    expect(applicationIdentityId('ABC-1')).toBe('entra:entra-application:abc-1');
    expect(servicePrincipalIdentityId('ABC-2')).toBe('entra:entra-service-principal:abc-2');
  });

  it('of GitHub objects (the sample estate organisation): one id per kind', async () => {
    const path = join(import.meta.dirname, '..', '..', 'examples', 'estate', 'github', 'acme-org.json');
    const text = readFileSync(path, 'utf8');
    const result = await githubImporter.read({ path, text, parsed: JSON.parse(text) }, testContext('import:acme-org.json'));
    const firstOfKind = new Map<string, string>();
    for (const item of [...result.identities, ...result.credentials].sort((a, b) => a.id.localeCompare(b.id)))
      if (!firstOfKind.has(item.kind)) firstOfKind.set(item.kind, item.id);
    expect(Object.fromEntries(firstOfKind)).toEqual({
      'actions-secret': 'github:actions-secret:acme-corp/api/environments/production/AWS_DEPLOY_KEY',
      'actions-workflow-token': 'github:actions-workflow-token:acme-corp',
      'codespaces-secret': 'github:codespaces-secret:acme-corp/DEV_DB_URL',
      'dependabot-secret': 'github:dependabot-secret:acme-corp/NPM_READ_TOKEN',
      'deploy-key': 'github:deploy-key:acme-corp/api/1124',
      'fine-grained-pat': 'github:fine-grained-pat:acme-corp/grants/1136',
      'fine-grained-pat-request': 'github:fine-grained-pat-request:acme-corp/requests/1139',
      'github-app-installation': 'github:github-app-installation:acme-corp/installations/1133',
      'secret-scanning-alert': 'github:secret-scanning-alert:acme-corp/api#1',
      webhook: 'github:webhook:acme-corp/api/hooks/1131',
    });
  });
});
