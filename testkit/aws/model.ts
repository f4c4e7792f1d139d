/**
 * The emulator's account model, kept in the IAM API's own vocabulary so responses are a direct
 * serialisation. `AccountBuilder` makes fixtures short to write in tests and the bench.
 */
import { randomBytes } from 'node:crypto';
import { makeAccessKeyId } from '../../connectors/aws/key-id.js';

export type Doc = { Version?: string; Statement: unknown };

export interface EmuKey {
  AccessKeyId: string;
  Status: 'Active' | 'Inactive';
  CreateDate: string;
  LastUsed?: { LastUsedDate: string; ServiceName: string; Region: string };
}

export interface EmuUser {
  UserName: string;
  Path: string;
  UserId: string;
  Arn: string;
  CreateDate: string;
  Groups: string[];
  Attached: string[];
  Inline: Record<string, Doc>;
  Tags: Record<string, string>;
  Boundary?: string;
  Keys: EmuKey[];
  Password?: { CreateDate: string; LastUsed?: string };
  Mfa: boolean;
}

export interface EmuRole {
  RoleName: string;
  Path: string;
  RoleId: string;
  Arn: string;
  CreateDate: string;
  Trust: Doc;
  Attached: string[];
  Inline: Record<string, Doc>;
  Tags: Record<string, string>;
  Boundary?: string;
  LastUsed?: { LastUsedDate: string; Region: string };
  InstanceProfiles: string[];
}

export interface EmuGroup {
  GroupName: string;
  Path: string;
  GroupId: string;
  Arn: string;
  CreateDate: string;
  Attached: string[];
  Inline: Record<string, Doc>;
}

export interface EmuPolicy {
  PolicyName: string;
  Arn: string;
  Path: string;
  PolicyId: string;
  CreateDate: string;
  DefaultVersionId: string;
  Versions: { VersionId: string; Document: Doc; CreateDate: string }[];
}

export interface EmuAccount {
  accountId: string;
  users: Map<string, EmuUser>;
  roles: Map<string, EmuRole>;
  groups: Map<string, EmuGroup>;
  policies: Map<string, EmuPolicy>;
  root: { Mfa: boolean; Keys: EmuKey[]; PasswordLastUsed?: string; CreateDate: string };
  /** Secrets, KMS keys, buckets, functions, topics and queues with their resource policies (testkit/aws/resources.ts). */
  resources?: import('./resources.js').EmuResources;
}

const uid = (prefix: string, n: number) => `${prefix}${n.toString(36).toUpperCase().padStart(17, 'Q')}`;

export class AccountBuilder {
  readonly account: EmuAccount;
  private seq = 0;

  /** A new account, or more principals for an existing one (`extending`; its ids then start further on). */
  constructor(accountId = '123456789012', extending?: EmuAccount) {
    if (extending) {
      this.account = extending;
      this.seq = 10_000;
      return;
    }
    this.account = {
      accountId,
      users: new Map(),
      roles: new Map(),
      groups: new Map(),
      policies: new Map(),
      root: { Mfa: true, Keys: [], CreateDate: '2015-01-01T00:00:00Z' },
    };
  }

  policy(name: string, document: Doc, options: { path?: string; aws?: boolean; versions?: Doc[] } = {}): string {
    const arn = options.aws ? `arn:aws:iam::aws:policy/${name}` : `arn:aws:iam::${this.account.accountId}:policy${options.path ?? '/'}${name}`;
    const older = (options.versions ?? []).map((d, i) => ({ VersionId: `v${i + 1}`, Document: d, CreateDate: '2019-01-01T00:00:00Z' }));
    const current = { VersionId: `v${older.length + 1}`, Document: document, CreateDate: '2020-01-01T00:00:00Z' };
    this.account.policies.set(arn, {
      PolicyName: name,
      Arn: arn,
      Path: options.path ?? '/',
      PolicyId: uid('ANPA', ++this.seq),
      CreateDate: '2020-01-01T00:00:00Z',
      DefaultVersionId: current.VersionId,
      Versions: [...older, current],
    });
    return arn;
  }

  group(name: string, options: { attached?: string[]; inline?: Record<string, Doc> } = {}): this {
    this.account.groups.set(name, {
      GroupName: name,
      Path: '/',
      GroupId: uid('AGPA', ++this.seq),
      Arn: `arn:aws:iam::${this.account.accountId}:group/${name}`,
      CreateDate: '2020-01-01T00:00:00Z',
      Attached: options.attached ?? [],
      Inline: options.inline ?? {},
    });
    return this;
  }

  user(name: string, options: Partial<Omit<EmuUser, 'UserName' | 'Arn' | 'UserId'>> & { keys?: Partial<EmuKey>[] } = {}): EmuUser {
    const path = options.Path ?? '/';
    const keys = (options.keys ?? []).map((k) => ({
      AccessKeyId: k.AccessKeyId ?? makeAccessKeyId(this.account.accountId, ++this.seq),
      Status: k.Status ?? 'Active',
      CreateDate: k.CreateDate ?? '2026-10-01T00:00:00Z',
      LastUsed: k.LastUsed,
    }));
    const user: EmuUser = {
      UserName: name,
      Path: path,
      UserId: uid('AIDA', ++this.seq),
      Arn: `arn:aws:iam::${this.account.accountId}:user${path}${name}`,
      CreateDate: options.CreateDate ?? '2020-01-01T00:00:00Z',
      Groups: options.Groups ?? [],
      Attached: options.Attached ?? [],
      Inline: options.Inline ?? {},
      Tags: options.Tags ?? {},
      Boundary: options.Boundary,
      Keys: keys,
      Password: options.Password,
      Mfa: options.Mfa ?? false,
    };
    this.account.users.set(name, user);
    return user;
  }

  role(name: string, options: Partial<Omit<EmuRole, 'RoleName' | 'Arn' | 'RoleId'>> = {}): EmuRole {
    const path = options.Path ?? '/';
    const role: EmuRole = {
      RoleName: name,
      Path: path,
      RoleId: uid('AROA', ++this.seq),
      Arn: `arn:aws:iam::${this.account.accountId}:role${path}${name}`,
      CreateDate: options.CreateDate ?? '2020-01-01T00:00:00Z',
      Trust: options.Trust ?? {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      Attached: options.Attached ?? [],
      Inline: options.Inline ?? {},
      Tags: options.Tags ?? {},
      Boundary: options.Boundary,
      LastUsed: options.LastUsed,
      InstanceProfiles: options.InstanceProfiles ?? [],
    };
    this.account.roles.set(name, role);
    return role;
  }

  rootKey(key: Partial<EmuKey> = {}): this {
    this.account.root.Keys.push({
      AccessKeyId: key.AccessKeyId ?? makeAccessKeyId(this.account.accountId, ++this.seq),
      Status: key.Status ?? 'Active',
      CreateDate: key.CreateDate ?? '2018-01-01T00:00:00Z',
      LastUsed: key.LastUsed,
    });
    return this;
  }
}

/** A throwaway secret for emulated STS credentials; generated per run, never written anywhere. */
export function ephemeralSecret(): string {
  return randomBytes(30).toString('base64');
}
