/**
 * One person, whichever sources listed them. People are joined on any handle they share (email,
 * login, user principal name, alias): an HR row `bob@acme.example` with login `bob`, the GitHub
 * member `bob` and the Entra user whose mail is `bob@acme.example` are one person with every alias
 * and source. "Departed" wins over "active": an HR record saying someone left is the fact offboarding
 * needs, even while a provider still lists the account.
 */
import type { Person } from '../model/index.js';
import { normaliseHandle } from './directory.js';

const STATUS_RANK: Record<Person['status'], number> = { departed: 2, active: 1, unknown: 0 };

function handlesOf(person: Person): string[] {
  return [person.id.replace(/^person:/, ''), person.email, ...person.aliases].filter((h): h is string => !!h).map(normaliseHandle);
}

function mergeInto(target: Person, extra: Person): void {
  const handles = [...(extra.email && extra.email !== target.email ? [extra.email] : []), ...extra.aliases];
  for (const alias of handles) if (alias !== target.email && !target.aliases.includes(alias)) target.aliases.push(alias);
  for (const source of extra.sources) if (!target.sources.includes(source)) target.sources.push(source);
  if (STATUS_RANK[extra.status] > STATUS_RANK[target.status]) target.status = extra.status;
  target.email ??= extra.email;
  target.name ??= extra.name;
  target.manager ??= extra.manager;
  if (extra.endDate && (!target.endDate || extra.endDate < target.endDate)) target.endDate = extra.endDate;
}

/** A people directory (`people:FILE`) is the authority on who someone is: its records come first and keep their ids. */
const fromDirectory = (p: Person) => p.sources.some((s) => s.startsWith('people:'));

export function mergePeople(people: Person[]): Person[] {
  const merged: Person[] = [];
  const byHandle = new Map<string, Person>();
  for (const person of [...people.filter(fromDirectory), ...people.filter((p) => !fromDirectory(p))]) {
    const handles = handlesOf(person);
    const existing = handles.map((h) => byHandle.get(h)).find((p) => p !== undefined);
    let target: Person;
    if (existing) {
      mergeInto(existing, person);
      target = existing;
    } else {
      target = { ...person, aliases: [...person.aliases], sources: [...person.sources] };
      merged.push(target);
    }
    for (const handle of handlesOf(target)) if (!byHandle.has(handle)) byHandle.set(handle, target);
  }
  return merged;
}
