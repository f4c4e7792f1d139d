/**
 * IAM users that are people (a console password with MFA, no active access key: `isHumanUser`) are
 * listed as people of the organisation, for the ownership join: an owner tag naming `alice.admin`
 * then finds someone who signs in to the account. They stay identities of the inventory (their rights
 * are analysed), marked `human` by the IAM analysis, and the ownership rules do not judge them as NHIs.
 */
import { isHumanUser } from '../../src/aws-iam/humans.js';
import { personId, type Credential, type Identity, type Person } from '../../src/model/index.js';
import type { CollectResult } from '../../src/plugin.js';

/** Tag keys that hold the person's e-mail address on an IAM user. */
const EMAIL_TAGS = ['email', 'mail', 'e-mail', 'emailaddress', 'email_address'];
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function emailOf(user: Identity): string | undefined {
  if (EMAIL.test(user.name)) return user.name.toLowerCase();
  for (const [key, value] of Object.entries(user.tags))
    if (EMAIL_TAGS.includes(key.toLowerCase()) && EMAIL.test(value.trim())) return value.trim().toLowerCase();
  return undefined;
}

export function humanPeople(identities: Identity[], credentials: Credential[], source: string): Person[] {
  const holders = new Set<string>();
  for (const c of credentials) if (c.provider === 'aws' && c.kind === 'aws-access-key' && c.status === 'active' && c.identityId) holders.add(c.identityId);
  return identities
    .filter((i) => isHumanUser(i, holders))
    .map((user) => {
      const login = user.name.toLowerCase();
      const email = emailOf(user);
      return {
        id: personId(email ?? login),
        ...(email ? { email } : {}),
        aliases: email === login ? [] : [login],
        // The account can sign in: whether the person is still employed is the people directory's to say.
        status: user.status === 'inactive' ? 'unknown' : 'active',
        sources: [source],
      } satisfies Person;
    });
}

/** The result with its human IAM users added as people (the same people across accounts merge by name). */
export function withHumanPeople(result: CollectResult, source: string): CollectResult {
  const people = humanPeople(result.identities, result.credentials, source);
  if (!people.length) return result;
  return { ...result, people: [...(result.people ?? []), ...people], stats: { ...result.stats, people: people.length } };
}
