import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.ts';
import { detectDelimiter, normaliseHeader, parseRosterCsv, rosterToCsv } from '../../domain/roster.ts';
import { parseColumnMapping } from '../../domain/roster-mapping-file.ts';

const HEADER = 'id,name,email,department,birth_year,seniority,skills_offered,skills_wanted,languages';

describe('roster column mapping, delimiters and export', () => {
  it('finds the delimiter from the header line, ignoring delimiters inside quotes', () => {
    expect(detectDelimiter('a,b,c\n1,2,3')).toBe(',');
    expect(detectDelimiter('\uFEFFNome;E-mail;"Depto, área"\n')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('"x;y;z",b,c')).toBe(',');
  });

  it('compares headers without case, accents or extra spaces', () => {
    expect(normaliseHeader('  Ano de  Nascimento ')).toBe('ano de nascimento');
    expect(normaliseHeader('Situação')).toBe('situacao');
  });

  it('maps headers and values, fills defaults, and reports the columns it ignored', () => {
    const mapping = parseColumnMapping(
      [
        'columns: { Matricula: id, Nome: name, E-mail: email, Departamento: department, "Ano de nascimento": birth_year, Idiomas: languages, Situação: status, Observações: ignore }',
        'values: { languages: { Português: pt, Inglês: en }, status: { Ativo: active, Desligado: opted-out } }',
        'defaults: { seniority: 3 }',
      ].join('\n'),
      'm.yaml',
    );
    const csv = [
      'Matrícula;Nome;E-mail;Departamento;Ano de nascimento;Idiomas;Situação;Observações;Cargo',
      '7;"Silva; Ana";ANA@x.com;Vendas;1990;Português|inglês;desligado;nota;Analista',
    ].join('\r\n');
    const result = parseRosterCsv(csv, undefined, { mapping });
    expect(result.issues).toEqual([]);
    expect(result.delimiter).toBe(';');
    expect(result.ignoredColumns).toEqual(['Observações', 'Cargo']);
    expect(result.participants[0]).toMatchObject({
      participantId: '7',
      name: 'Silva; Ana',
      email: 'ana@x.com',
      seniority: 3,
      languages: ['pt', 'en'],
      status: 'opted-out',
    });
  });

  it('names the field of a bad mapping file', () => {
    const error = (() => {
      try {
        parseColumnMapping('columns: { Nome: nome }', 'm.yaml');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.where).toBe('columns.Nome');
  });

  it('keeps the valid rows apart from the bad ones, and the old result shape for a valid file', () => {
    const csv = [HEADER, 'a,A,a@x.com,Sales,1990,3,,,en', 'b,B,not-an-email,Sales,1990,3,,,en', 'c,C,a@x.com,Sales,1990,3,,,en'].join('\n');
    const result = parseRosterCsv(csv);
    expect(result.participants).toEqual([]);
    expect(result.valid?.map((p) => p.participantId)).toEqual(['a']);
    expect(result.badRows).toBe(2);
    expect(result.issues.map((i) => i.where)).toEqual(['line 3: email', 'line 4: email']);
  });

  it('exports a roster that reads back to the same participants', () => {
    const csv = [HEADER, 'a,"Lima, Ana",a@x.com,Sales,1990,3,ai-tools:4,negotiation:5,pt;en', 'b,"Say ""hi""",b@x.com,Ops,1970,8,,,en'].join('\n');
    const first = parseRosterCsv(csv).participants;
    expect(first).toHaveLength(2);
    expect(parseRosterCsv(rosterToCsv(first)).participants).toEqual(first);
  });

  it('exports cells that start like a spreadsheet formula as text, and reads them back unchanged', () => {
    const csv = [HEADER, 'a,"=HYPERLINK(""http://evil.example"")",a@x.com,+cmd|calc,1990,3,,,en', 'b,@SUM(A1:A9),b@x.com,-Ops,1970,8,,,en'].join('\n');
    const first = parseRosterCsv(csv).participants;
    expect(first.map((p) => p.name)).toEqual(['=HYPERLINK("http://evil.example")', '@SUM(A1:A9)']);
    const exported = rosterToCsv(first);
    for (const line of exported.split('\n').slice(1)) {
      for (const cell of line.split(',')) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@]/);
    }
    expect(exported).toContain(`'=HYPERLINK`);
    expect(parseRosterCsv(exported).participants).toEqual(first);
  });
});
