/**
 * The people directory as a lookup: any handle (email, GitHub login, user principal name, commit
 * e-mail, or an alias from the config's `people.aliases`) → the person. Built once per scan, so joining
 * N owners costs N lookups, not N scans of the directory.
 */
import type { Person } from '../model/index.js';

/** GitHub's no-reply commit addresses (`12345+login@users.noreply.github.com`) name the login. */
function loginOfNoreply(handle: string): string | undefined {
  return /^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$/i.exec(handle)?.[1];
}

export function normaliseHandle(handle: string): string {
  return handle.trim().replace(/^@/, '').toLowerCase();
}

export class PeopleDirectory {
  private readonly byHandle = new Map<string, Person>();
  private readonly byId: Map<string, Person>;

  constructor(
    readonly people: Person[],
    aliases: Record<string, string> = {},
  ) {
    this.byId = new Map(people.map((p) => [p.id, p]));
    for (const person of people) {
      for (const handle of [person.email, ...person.aliases]) if (handle) this.byHandle.set(normaliseHandle(handle), person);
    }
    // Configured aliases point at a handle the directory knows: `"bob@old-domain.example": "bob.okafor@acme.example"`.
    for (const [alias, target] of Object.entries(aliases)) {
      const person = this.byHandle.get(normaliseHandle(target));
      if (person) this.byHandle.set(normaliseHandle(alias), person);
    }
  }

  get size(): number {
    return this.people.length;
  }

  find(handle: string | undefined): Person | undefined {
    if (!handle) return undefined;
    const key = normaliseHandle(handle);
    return this.byHandle.get(key) ?? this.byHandle.get(loginOfNoreply(key) ?? '\u0000');
  }

  /** The person with this `Person.id` (what a joined owner's `personId` holds). */
  get(personId: string): Person | undefined {
    return this.byId.get(personId);
  }

  /** The person's manager, when the directory knows them. */
  managerOf(person: Person): Person | undefined {
    return person.manager ? this.find(person.manager) : undefined;
  }
}
