/**
 * One person, whichever sources listed them: the same id (lower-cased email or login) is one person
 * with every alias and source. "Departed" wins over "active": an HR record saying someone left is the
 * fact offboarding needs, even while a provider still lists the account.
 */
import type { Person } from '../model/index.js';

const STATUS_RANK: Record<Person['status'], number> = { departed: 2, active: 1, unknown: 0 };

function mergeInto(target: Person, extra: Person): void {
  for (const alias of extra.aliases) if (!target.aliases.includes(alias)) target.aliases.push(alias);
  for (const source of extra.sources) if (!target.sources.includes(source)) target.sources.push(source);
  if (STATUS_RANK[extra.status] > STATUS_RANK[target.status]) target.status = extra.status;
  target.email ??= extra.email;
  target.name ??= extra.name;
  target.manager ??= extra.manager;
  if (extra.endDate && (!target.endDate || extra.endDate < target.endDate)) target.endDate = extra.endDate;
}

export function mergePeople(people: Person[]): Person[] {
  const byId = new Map<string, Person>();
  for (const person of people) {
    const existing = byId.get(person.id);
    if (existing) mergeInto(existing, person);
    else byId.set(person.id, { ...person, aliases: [...person.aliases], sources: [...person.sources] });
  }
  return [...byId.values()];
}
