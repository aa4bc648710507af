import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { programSchema, type Skill } from '../../domain/program.ts';
import { parseRosterCsv, parseRosterJson, ROSTER_COLUMNS } from '../../domain/roster.ts';

const root = new URL('../../', import.meta.url);
const program = programSchema.parse(JSON.parse(readFileSync(new URL('examples/program.json', root), 'utf8')));
const sampleCsv = readFileSync(new URL('examples/roster.csv', root), 'utf8');

const catalog: Skill[] = [
  { id: 'negotiation', labels: { 'pt-BR': 'Negotiation', en: 'Negotiation' }, aliases: [], digital: false },
  { id: 'ai-tools', labels: { 'pt-BR': 'AI assistants', en: 'AI assistants' }, aliases: [], digital: true },
  { id: 'social-media', labels: { 'pt-BR': 'Social media', en: 'Social media' }, aliases: [], digital: true },
];

type Row = Partial<Record<(typeof ROSTER_COLUMNS)[number], string>>;
const HEADER = ROSTER_COLUMNS.join(',');

function row(id: string, overrides: Row = {}): string {
  const cells: Row = {
    id,
    name: `Person ${id}`,
    email: `${id}@example.com`,
    department: 'Operations',
    birth_year: '1990',
    career_start_year: '',
    seniority: '3',
    skills_offered: 'ai-tools:4',
    skills_wanted: 'negotiation:5',
    manager_id: '',
    languages: 'en',
    preferred_language: 'en',
    time_zone: 'Europe/London',
    capacity: '1',
    status: 'active',
    ...overrides,
  };
  return ROSTER_COLUMNS.map((c) => cells[c] ?? '').join(',');
}

const validJsonParticipant = (id: string) => ({
  participantId: id,
  name: `Person ${id}`,
  email: `${id}@example.com`,
  department: 'Operations',
  birthYear: 1990,
  seniority: 3,
  skillsOffered: [{ skill: 'ai-tools', level: 4 }],
  skillsWanted: [{ skill: 'negotiation', priority: 5 }],
  languages: ['en'],
});

describe('parseRosterCsv', () => {
  it('parses the sample roster to 24 participants with no issues against the sample skills catalog', () => {
    const result = parseRosterCsv(sampleCsv, program.skillsCatalog);
    expect(result.issues).toEqual([]);
    expect(result.rows).toBe(24);
    expect(result.participants).toHaveLength(24);
    expect(new Set(result.participants.map((p) => p.participantId)).size).toBe(24);
    const first = result.participants[0];
    expect(first).toMatchObject({
      participantId: 'p01',
      name: 'Helena Duarte',
      email: 'helena.duarte@example.com',
      department: 'Vendas',
      birthYear: 1966,
      seniority: 9,
      languages: ['pt', 'en'],
      preferredLanguage: 'pt-BR',
      capacity: 1,
      status: 'active',
    });
    expect(first?.skillsOffered).toEqual([
      { skill: 'negotiation', level: 5 },
      { skill: 'strategic-planning', level: 4 },
      { skill: 'people-leadership', level: 4 },
    ]);
  });

  it('reads a semicolon-delimited file with a UTF-8 BOM and quoted fields holding commas and semicolons', () => {
    const text =
      '\uFEFFid;name;email;department;birth_year;seniority;skills_offered;skills_wanted;languages\r\n' +
      'p1;"Duarte, Helena";helena@example.com;"Vendas; Norte";1966;9;"negotiation:5;social-media:2";"ai-tools:4|social-media";"pt;en"\r\n' +
      'p2;"O\'Neil, ""Sam""";sam@example.com;Marketing;1998;2;ai-tools:5;negotiation:3;en\r\n';
    const result = parseRosterCsv(text, catalog);
    expect(result.issues).toEqual([]);
    expect(result.participants).toHaveLength(2);
    const [helena, sam] = result.participants;
    expect(helena).toMatchObject({
      participantId: 'p1',
      name: 'Duarte, Helena',
      department: 'Vendas; Norte',
      birthYear: 1966,
      languages: ['pt', 'en'],
      skillsOffered: [
        { skill: 'negotiation', level: 5 },
        { skill: 'social-media', level: 2 },
      ],
      skillsWanted: [
        { skill: 'ai-tools', priority: 4 },
        { skill: 'social-media', priority: 3 },
      ],
    });
    expect(sam?.name).toBe('O\'Neil, "Sam"');
  });

  it('treats header names case-insensitively and ignores blank lines', () => {
    const text = `${HEADER.toUpperCase()}\n${row('p1')}\n\n${row('p2')}\n`;
    const result = parseRosterCsv(text, catalog);
    expect(result.issues).toEqual([]);
    expect(result.participants.map((p) => p.participantId)).toEqual(['p1', 'p2']);
  });

  it('imports invitees without a seniority column, as an HR export of invitees has none', () => {
    const columns = ROSTER_COLUMNS.filter((c) => c !== 'seniority');
    const cells = row('p1').split(',');
    const text = `${columns.join(',')}\n${cells.filter((_, i) => ROSTER_COLUMNS[i] !== 'seniority').join(',')}\n`;
    const result = parseRosterCsv(text, catalog);
    expect(result.issues).toEqual([]);
    expect(result.participants[0]?.seniority).toBeUndefined();
  });

  it('keeps names and departments to one line without direction marks or zero-width characters', () => {
    const result = parseRosterCsv(`${HEADER}\n${row('p1', { name: 'Ana\u200f Souza\u2028URGENT\u200b', department: 'Sales\u061c' })}\n`);
    expect(result.participants[0]).toMatchObject({ name: 'Ana Souza URGENT', department: 'Sales' });
  });

  it('refuses a cell holding a NUL character as a problem of its row, naming the column, and keeps the other rows valid', () => {
    const result = parseRosterCsv(
      `${HEADER}\n${row('p1', { name: 'Jo\u0000ão' })}\n${row('p2', { time_zone: 'Europe/\u0000London' })}\n${row('p3')}\n`,
      catalog,
    );
    expect(result.issues).toEqual([
      { where: 'line 2: name', problem: expect.stringMatching(/^holds a NUL character \(U\+0000\), which no text has/) },
      { where: 'line 3: time_zone', problem: expect.stringMatching(/^holds a NUL character/) },
    ]);
    expect(result.participants).toEqual([]);
    expect(result.badRows).toBe(2);
    expect(result.valid?.map((p) => p.participantId)).toEqual(['p3']);
  });

  it('lowercases and trims emails', () => {
    const result = parseRosterCsv(`${HEADER}\n${row('p1', { email: '  Ada.Lovelace@Example.ORG ' })}\n`);
    expect(result.participants[0]?.email).toBe('ada.lovelace@example.org');
  });

  it('reports every bad row with its line number and reason, and keeps no participant of an invalid file', () => {
    const lines = [
      HEADER, // line 1
      row('p1'), // line 2: valid
      row('p2', { email: '' }), // line 3: missing email
      row('p3', { email: 'not-an-email' }), // line 4: bad email
      row('p4', { seniority: '11' }), // line 5
      row('p5', { skills_offered: 'ai-tools:6' }), // line 6: level 6
      row('p6', { skills_wanted: 'juggling:2' }), // line 7: unknown skill
      row('p7', { birth_year: '', career_start_year: '' }), // line 8: no generation year
      row('p1', { email: 'other-p1@example.com' }), // line 9: duplicate id
      row('p9', { email: 'P1@Example.com' }), // line 10: duplicate email (case-insensitive)
      row('p10', { manager_id: 'p10' }), // line 11: own manager
      row('p11'), // line 12: valid
    ];
    const result = parseRosterCsv(lines.join('\n') + '\n', catalog);
    expect(result.participants).toEqual([]);
    expect(result.rows).toBe(11);
    const byWhere = (where: string) => result.issues.filter((i) => i.where === where);
    expect(byWhere('line 3: email')).toEqual([{ where: 'line 3: email', problem: 'must be an email address' }]);
    expect(byWhere('line 4: email')).toEqual([{ where: 'line 4: email', problem: 'must be an email address' }]);
    expect(byWhere('line 5: seniority')).toHaveLength(1);
    expect(byWhere('line 5: seniority')[0]?.problem).toMatch(/10/);
    expect(byWhere('line 6: skillsOffered.0.level')).toHaveLength(1);
    expect(byWhere('line 6: skillsOffered.0.level')[0]?.problem).toMatch(/5/);
    expect(byWhere('line 7: skills_wanted')).toEqual([
      { where: 'line 7: skills_wanted', problem: '"juggling" is not in the program\'s skills catalog (--add-unknown-skills adds it)' },
    ]);
    expect(byWhere('line 8: birthYear')).toEqual([{ where: 'line 8: birthYear', problem: 'needs a birth year or a career-start year (its generation)' }]);
    expect(byWhere('line 9: id')).toEqual([{ where: 'line 9: id', problem: '"p1" is used again (first on line 2)' }]);
    expect(byWhere('line 10: email')).toEqual([{ where: 'line 10: email', problem: 'p1@example.com is used again (first on line 2)' }]);
    expect(byWhere('line 11: managerId')).toEqual([{ where: 'line 11: managerId', problem: 'a person cannot be their own manager' }]);
    // Exactly one issue per bad row and none for the valid rows (lines 2 and 12).
    expect(result.issues).toHaveLength(9);
    expect(result.issues.some((i) => i.where.startsWith('line 2:') || i.where.startsWith('line 12:'))).toBe(false);
  });

  it('counts physical lines, so a quoted multi-line cell does not shift later line numbers', () => {
    const text = [HEADER, row('p1', { name: '"Ada\nLovelace"' }), row('p2', { seniority: '0' })].join('\n');
    const result = parseRosterCsv(text, catalog);
    expect(result.issues.map((i) => i.where)).toEqual(['line 4: seniority']);
  });

  it('accepts a career-start year instead of a birth year', () => {
    const result = parseRosterCsv(`${HEADER}\n${row('p1', { birth_year: '', career_start_year: '2015' })}\n`, catalog);
    expect(result.issues).toEqual([]);
    expect(result.participants[0]).toMatchObject({ careerStartYear: 2015 });
    expect(result.participants[0]?.birthYear).toBeUndefined();
  });

  it('reports missing required columns on line 1, naming each of them', () => {
    const columns = ROSTER_COLUMNS.filter((c) => c !== 'email' && c !== 'languages');
    const text = `${columns.join(',')}\n${columns.map((c) => (c === 'id' ? 'p1' : 'x')).join(',')}\n`;
    const result = parseRosterCsv(text, catalog);
    expect(result.participants).toEqual([]);
    expect(result.issues).toEqual([{ where: 'line 1', problem: 'missing column(s): email, languages' }]);
  });

  it('reports an unclosed quote as a line-numbered issue instead of throwing', () => {
    const text = `${HEADER}\n${row('p1')}\n"p2,Broken,b@example.com\n`;
    const result = parseRosterCsv(text, catalog);
    expect(result.participants).toEqual([]);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.where).toBe('line 3');
    expect(result.issues[0]?.problem).toMatch(/^not readable as CSV: .*quote/i);
  });

  it('reports a row with too many cells as a line-numbered issue', () => {
    const text = `${HEADER}\n${row('p1')}\n${row('p2')},extra\n`;
    const result = parseRosterCsv(text, catalog);
    expect(result.participants).toEqual([]);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.where).toBe('line 3');
    expect(result.issues[0]?.problem).toMatch(/^not readable as CSV/);
  });

  it('keeps hostile cell content as data', () => {
    const result = parseRosterCsv(`${HEADER}\n${row('p1', { name: '"<script>alert(1)</script>"', department: '"=HYPERLINK(""x"")"' })}\n`, catalog);
    expect(result.issues).toEqual([]);
    expect(result.participants[0]?.name).toBe('<script>alert(1)</script>');
    expect(result.participants[0]?.department).toBe('=HYPERLINK("x")');
  });

  it('refuses more than 100000 rows without validating them', () => {
    const text = 'id,name,email,department,seniority,languages\n' + 'x,,,,,\n'.repeat(100_001);
    const result = parseRosterCsv(text, catalog);
    expect(result).toEqual({ participants: [], rows: 100_001, issues: [{ where: 'file', problem: 'more than 100000 rows' }] });
  }, 20_000);
});

describe('parseRosterJson', () => {
  it('reads an array of participants', () => {
    const result = parseRosterJson(JSON.stringify([validJsonParticipant('p1'), validJsonParticipant('p2')]), catalog);
    expect(result.issues).toEqual([]);
    expect(result.rows).toBe(2);
    expect(result.participants.map((p) => p.participantId)).toEqual(['p1', 'p2']);
    // Schema defaults are applied.
    expect(result.participants[0]).toMatchObject({ capacity: 1, status: 'active' });
  });

  it('reads { "participants": [...] } and tolerates a BOM', () => {
    const result = parseRosterJson('\uFEFF' + JSON.stringify({ participants: [validJsonParticipant('p1')] }), catalog);
    expect(result.issues).toEqual([]);
    expect(result.participants).toHaveLength(1);
    expect(result.participants[0]?.email).toBe('p1@example.com');
  });

  it('names bad entries by their position and keeps nothing', () => {
    const result = parseRosterJson(
      JSON.stringify([validJsonParticipant('p1'), { ...validJsonParticipant('p2'), email: 'nope' }, { ...validJsonParticipant('p3'), seniority: 'high' }]),
      catalog,
    );
    expect(result.participants).toEqual([]);
    expect(result.rows).toBe(3);
    expect(result.issues.map((i) => i.where)).toEqual(['participant 2: email', 'participant 3: seniority']);
  });

  it('refuses a participant with a NUL character in any text, naming where it is', () => {
    const result = parseRosterJson(
      JSON.stringify([
        { ...validJsonParticipant('p1'), timeZone: 'America/Sao_Paulo\u0000' },
        { ...validJsonParticipant('p2'), languages: ['e\u0000n'] },
        validJsonParticipant('p3'),
      ]),
      catalog,
    );
    expect(result.issues.filter((i) => i.problem.startsWith('holds a NUL character')).map((i) => i.where)).toEqual([
      'participant 1: timeZone',
      'participant 2: languages.0',
    ]);
    expect(result.valid?.map((p) => p.participantId)).toEqual(['p3']);
  });

  it('names a non-object entry as a whole row', () => {
    const result = parseRosterJson('[42]');
    expect(result.participants).toEqual([]);
    expect(result.issues.length).toBeGreaterThan(0);
    expect(result.issues[0]?.where).toBe('participant 1: row');
  });

  it('says the text is not valid JSON and why', () => {
    const result = parseRosterJson('{"participants": [', catalog);
    expect(result.participants).toEqual([]);
    expect(result.rows).toBe(0);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.where).toBe('file');
    expect(result.issues[0]?.problem).toMatch(/^not valid JSON: ./);
  });

  it('refuses JSON that is neither an array nor { participants }', () => {
    for (const text of ['42', 'null', '"x"', '{"people": []}', '{"participants": {}}']) {
      expect(parseRosterJson(text)).toEqual({
        participants: [],
        rows: 0,
        issues: [{ where: 'file', problem: 'expected an array of participants or { "participants": [...] }' }],
      });
    }
  });

  it('refuses more than 100000 entries without validating them', () => {
    const result = parseRosterJson(`[${'{},'.repeat(100_000)}{}]`);
    expect(result).toEqual({ participants: [], rows: 100_001, issues: [{ where: 'file', problem: 'more than 100000 rows' }] });
  });
});
