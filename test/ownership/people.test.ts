/** The people directory: CSV and JSON, header aliases, bad rows by line, duplicates and manager cycles. */
import { describe, expect, it } from 'vitest';
import { parsePeople } from '../../connectors/people/parse.js';
import { PeopleDirectory } from '../../src/people/directory.js';
import { mergePeople } from '../../src/people/merge.js';

const NOW = new Date('2026-12-06T00:00:00Z');
const parse = (text: string, path = 'hr.csv') => parsePeople(text, path, `people:${path}`, NOW);

describe('people directory', () => {
  it('reads CSV with header aliases, several logins, statuses and end dates', () => {
    const { people, errors } = parse(
      [
        'Work Email,GitHub,Full Name,Employment Status,Termination Date,Reports To',
        'Alice@Acme.example,alice;@al-ice,Alice,Active,,dana@acme.example',
        'bob@acme.example,bob,Bob,,2026-08-31,alice@acme.example',
        'carol@acme.example,,Carol,terminated,,',
        'dana@acme.example,dana,Dana,active,2027-01-31,',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    expect(people.map((p) => [p.id, p.status])).toEqual([
      ['person:alice@acme.example', 'active'],
      ['person:bob@acme.example', 'departed'], // no status, end date in the past
      ['person:carol@acme.example', 'departed'],
      ['person:dana@acme.example', 'active'], // leaves in the future
    ]);
    expect(people[0]).toMatchObject({ aliases: ['alice', 'al-ice'], manager: 'dana@acme.example', sources: ['people:hr.csv'] });
  });

  it('names each bad row by its line, merges duplicates, reports manager cycles, and keeps the rest', () => {
    const { people, errors } = parse(
      [
        'email,login,status,end_date,manager',
        'a@x.example,a,active,,b@x.example',
        'not-an-email,,active,,',
        ',,active,,',
        'c@x.example,c,on vacation,,',
        'd@x.example,d,active,2026-13-01,',
        'b@x.example,b,active,,a@x.example',
        'a@x.example,a2,departed,,',
      ].join('\n'),
    );
    expect(errors).toEqual([
      { part: 'hr.csv:3', message: 'skipped: "not-an-email" is not an email address' },
      { part: 'hr.csv:4', message: 'skipped: no email and no login' },
      { part: 'hr.csv:5', message: 'skipped: status "on vacation" is neither active nor departed' },
      { part: 'hr.csv:6', message: 'skipped: end_date "2026-13-01" is not a date (YYYY-MM-DD)' },
      { part: 'hr.csv:8', message: 'duplicate of hr.csv:2 (a@x.example): merged' },
      { part: 'hr.csv:manager', message: 'manager cycle: a@x.example → b@x.example → a@x.example' },
    ]);
    expect(people.map((p) => p.id)).toEqual(['person:a@x.example', 'person:b@x.example']);
    expect(people[0]).toMatchObject({ status: 'departed', aliases: ['a', 'a2'] });
  });

  it('a file without an email or login column is refused with the headers it has', () => {
    expect(() => parse('name,status\nAlice,active\n')).toThrow(/no email or login column \(headers: name, status\)/);
  });

  it('reads JSON (a list or {"people": [...]}) with arrays of logins', () => {
    const { people, errors } = parse(
      JSON.stringify({ people: [{ mail: 'e@x.example', logins: ['e1', 'e2'], status: 'departed' }, { nope: 1 }] }),
      'people.json',
    );
    expect(people).toEqual([expect.objectContaining({ id: 'person:e@x.example', aliases: ['e1', 'e2'], status: 'departed' })]);
    expect(errors).toEqual([{ part: 'people.json[1]', message: 'skipped: no email and no login' }]);
  });

  it('people listed by several sources under different primary handles are one person when they share any handle', () => {
    const merged = mergePeople([
      // HR knows Carol by her work email, with her Entra UPN and GitHub login as aliases; she has left.
      {
        id: 'person:carol@acme.example',
        email: 'carol@acme.example',
        aliases: ['carol.diaz@contoso.example', 'cdiaz'],
        status: 'departed',
        sources: ['people:hr.csv'],
      },
      // Entra still lists her account (enabled); GitHub lists the login.
      { id: 'person:carol.diaz@contoso.example', email: 'carol.diaz@contoso.example', aliases: [], status: 'active', sources: ['entra'] },
      { id: 'person:cdiaz', aliases: ['cdiaz'], status: 'active', sources: ['github:acme'] },
      { id: 'person:dan@acme.example', email: 'dan@acme.example', aliases: [], status: 'active', sources: ['entra'] },
    ]);
    expect(merged.map((p) => [p.id, p.status, p.sources])).toEqual([
      ['person:carol@acme.example', 'departed', ['people:hr.csv', 'entra', 'github:acme']],
      ['person:dan@acme.example', 'active', ['entra']],
    ]);
    expect(new PeopleDirectory(merged).find('@cdiaz')?.status).toBe('departed');
  });

  it('joins any handle: email, login, GitHub no-reply commit address, configured aliases; departed wins on merge', () => {
    const merged = mergePeople([
      { id: 'person:bob@x.example', email: 'bob@x.example', aliases: ['bob'], status: 'active', sources: ['github:acme'] },
      {
        id: 'person:bob@x.example',
        email: 'bob@x.example',
        aliases: ['bob.o@contoso.example'],
        status: 'departed',
        endDate: '2026-08-31T00:00:00.000Z',
        sources: ['people:hr.csv'],
      },
    ]);
    expect(merged).toEqual([
      // The directory's record leads (its id is kept); the provider's handles join it.
      expect.objectContaining({ status: 'departed', aliases: ['bob.o@contoso.example', 'bob'], sources: ['people:hr.csv', 'github:acme'] }),
    ]);
    const directory = new PeopleDirectory(merged, { 'robert@old.example': 'bob@x.example' });
    for (const handle of ['BOB@x.example', '@bob', '1234+bob@users.noreply.github.com', 'bob.o@contoso.example', 'robert@old.example'])
      expect(directory.find(handle)?.id).toBe('person:bob@x.example');
    expect(directory.find('nobody@x.example')).toBeUndefined();
  });
});
