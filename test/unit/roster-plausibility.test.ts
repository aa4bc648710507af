import { describe, expect, it } from 'vitest';
import { parseRosterCsv, parseRosterJson } from '../../domain/roster.ts';

const HEADER = 'id,name,email,department,birth_year,career_start_year,languages';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

describe('years on a roster row', () => {
  it('refuses a birth year in the future and a career that starts before its person was born, naming line and column', () => {
    const result = parseRosterCsv(
      csv('p1,Ana,ana@example.com,IT,2031,,pt', 'p2,Bia,bia@example.com,IT,1990,1985,pt', 'p3,Caio,caio@example.com,IT,1990,2012,pt'),
      undefined,
      { currentYear: 2027 },
    );
    expect(result.issues).toEqual([
      { where: 'line 2: birth_year', problem: '2031 is in the future' },
      { where: 'line 3: career_start_year', problem: '1985 is before the birth year (birth_year 1990)' },
    ]);
    expect(result.valid?.map((p) => p.participantId)).toEqual(['p3']);
  });

  it('names the fields of a JSON participant, and refuses a career start in the future', () => {
    const person = { participantId: 'p1', name: 'Ana', email: 'ana@example.com', department: 'IT', languages: ['pt'] };
    const result = parseRosterJson(JSON.stringify([{ ...person, careerStartYear: 2030 }]), undefined, { currentYear: 2027 });
    expect(result.issues).toEqual([{ where: 'participant 1: careerStartYear', problem: '2030 is in the future' }]);
  });
});

describe('an empty roster', () => {
  it('is refused as JSON as it is as CSV: an import of nobody is a mistake', () => {
    expect(parseRosterJson('[]', undefined).issues).toEqual([{ where: 'file', problem: 'has no participants' }]);
    expect(parseRosterJson('{"participants": []}', undefined).issues).toEqual([{ where: 'file', problem: 'has no participants' }]);
    expect(parseRosterCsv(`${HEADER}\n`, undefined).issues).toEqual([{ where: 'file', problem: 'has no participant rows under the header' }]);
  });
});
