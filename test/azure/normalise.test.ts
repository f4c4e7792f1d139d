/**
 * The pure pieces: the normaliser fed Microsoft's published example bodies verbatim, rotation
 * policy durations, and when instance discovery is turned off.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shouldDisableInstanceDiscovery } from '../../src/azure-credential.js';
import { durationDays } from '../../connectors/azure/duration.js';
import { normaliseAzureSnapshot, rotationIntervalDays } from '../../connectors/azure/normalise.js';
import type { AzureEstateSnapshot } from '../../connectors/azure/snapshot.js';

const body = (file: string) => JSON.parse(readFileSync(new URL(`../../testkit/azure/examples/${file}`, import.meta.url), 'utf8')).responses['200'].body;

describe("normaliseAzureSnapshot on Microsoft's examples", () => {
  const vault = body('listVaultBySubscription.json').value[0];
  const snapshot: AzureEstateSnapshot = {
    nhiscanSnapshot: 'azure',
    version: 1,
    subscriptions: body('GetSubscriptions.json').value,
    vaults: [{ vault, secrets: body('listSecrets.json').value, keys: [{ key: body('getKey.json'), versions: body('listKeyVersions.json').value }] }],
    notCovered: [],
  };
  const now = new Date('2026-11-29T00:00:00Z');
  const { identities, credentials } = normaliseAzureSnapshot(snapshot, { now, source: 'azure' });

  it('turns Unix-second attributes into ISO dates and keeps no value', () => {
    const secret = credentials.find((c) => c.kind === 'keyvault-secret' && c.name === 'sample-vault/secret-name')!;
    expect(secret.createdAt).toBe(new Date(1514941476 * 1000).toISOString());
    expect(secret.status).toBe('active');
    expect(secret.expiresAt).toBeUndefined();
    const key = credentials.find((c) => c.kind === 'keyvault-key')!;
    expect(key.attributes).toMatchObject({ keyType: 'RSA', keySize: 2048, rotationAutomatic: false, versionCount: 2 });
    expect(key.createdAt).toBe(new Date(1598641074 * 1000).toISOString()); // oldest of the listed versions
  });

  it('reads the example vault: soft delete on, purge protection and RBAC absent (off), no firewall (open)', () => {
    const v = identities.find((i) => i.kind === 'keyvault')!;
    expect(v.attributes).toMatchObject({
      enableSoftDelete: true,
      enablePurgeProtection: false,
      enableRbacAuthorization: false,
      openToPublicNetwork: true,
      sku: 'premium',
      resourceGroup: 'sample-group',
    });
    expect(v.createdAt).toBe('2020-01-01T12:00:00.000Z');
  });

  it('makes one principal per tenant and object id with one grant per permission category', () => {
    const principals = identities.filter((i) => i.kind === 'azure-principal');
    expect(principals).toHaveLength(1);
    expect(principals[0]!.grants.map((g) => [g.actions[0]!.split('/')[0], g.level, g.actions.length])).toEqual([
      ['keys', 'admin', 16],
      ['secrets', 'admin', 8],
      ['certificates', 'admin', 14],
    ]);
  });

  it('counts a vault listed twice once', () => {
    const twice = normaliseAzureSnapshot({ ...snapshot, vaults: [...snapshot.vaults, ...snapshot.vaults] }, { now, source: 'azure' });
    expect(twice.identities.filter((i) => i.kind === 'keyvault')).toHaveLength(1);
  });
});

describe('rotation policy durations', () => {
  it('parses ISO 8601 durations in days', () => {
    expect(durationDays('P90D')).toBe(90);
    expect(durationDays('P1Y')).toBe(365);
    expect(durationDays('P2Y6M')).toBe(910);
    expect(durationDays('P4W')).toBe(28);
    expect(durationDays('P')).toBeUndefined();
    expect(durationDays('90 days')).toBeUndefined();
  });

  it('derives the interval from timeAfterCreate, or expiryTime minus timeBeforeExpiry', () => {
    expect(rotationIntervalDays({ lifetimeActions: [{ trigger: { timeAfterCreate: 'P1Y' }, action: { type: 'Rotate' } }] })).toEqual({
      automatic: true,
      days: 365,
    });
    expect(
      rotationIntervalDays({ attributes: { expiryTime: 'P13M' }, lifetimeActions: [{ trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'rotate' } }] }),
    ).toEqual({ automatic: true, days: 360 });
    // Notify-only policies do not rotate anything.
    expect(rotationIntervalDays({ lifetimeActions: [{ trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'notify' } }] })).toEqual({ automatic: false });
  });
});

describe('instance discovery', () => {
  it('stays on for Microsoft login hosts and goes off for private or test authorities', () => {
    expect(shouldDisableInstanceDiscovery(undefined)).toBe(false);
    expect(shouldDisableInstanceDiscovery('https://login.microsoftonline.us')).toBe(false);
    expect(shouldDisableInstanceDiscovery('https://login.chinacloudapi.cn/')).toBe(false);
    expect(shouldDisableInstanceDiscovery('https://127.0.0.1:8443')).toBe(true);
    expect(shouldDisableInstanceDiscovery('https://adfs.azurestack.contoso.example/adfs')).toBe(true);
  });
});
