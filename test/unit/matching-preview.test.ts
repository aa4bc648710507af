import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMatchPreview } from '../../cli/commands/match.ts';
import { loadProgramFile } from '../../services/match-preview.ts';
import { parseRosterCsv } from '../../domain/roster.ts';
import { programSchema } from '../../domain/program.ts';
import { generateRoster, SAMPLE_SKILLS } from '../../domain/roster-generator.ts';

const examples = join(import.meta.dirname, '../../examples');

describe('the match preview', () => {
  it('previews the sample roster as a table with every pair explained and every unmatched person given a reason', async () => {
    const program = await loadProgramFile(join(examples, 'program.json'));
    const { participants, issues } = parseRosterCsv(readFileSync(join(examples, 'roster.csv'), 'utf8'), program.skillsCatalog);
    expect(issues).toEqual([]);
    const text = await runMatchPreview({ program, roster: participants, json: false, referenceYear: 2026 });
    expect(text).toMatch(/^Program mentoria-reversa \(reverse mode, best-score\): 24 of 24 taking part, \d+ pairs/);
    expect(text).toContain('proven optimal');
    expect(text).toMatch(/teaches .* years apart/);
    const json = JSON.parse(await runMatchPreview({ program, roster: participants, json: true, referenceYear: 2026 }));
    expect(json.pairs.length * 2 + json.unmatched.length).toBeGreaterThanOrEqual(24);
    for (const u of json.unmatched) expect(u.reason).toBeTruthy();
  });

  it('writes every eligible pair with its score by criterion to the scores CSV, marking the chosen ones', async () => {
    const program = await loadProgramFile(join(examples, 'program.json'));
    const { participants } = parseRosterCsv(readFileSync(join(examples, 'roster.csv'), 'utf8'), program.skillsCatalog);
    const file = join(mkdtempSync(join(tmpdir(), 'tandem-match-')), 'scores.csv');
    const json = JSON.parse(await runMatchPreview({ program, roster: participants, json: true, scoresOut: file, referenceYear: 2026 }));
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'mentorId,mentorName,menteeId,menteeName,score,skillsTaughtByMentor,skillsTaughtByMentee,generationGap,seniorityGap,crossDepartment,favouredPartnership,diversity,timeZoneOverlap,paired',
    );
    expect(lines.length - 1).toBe(json.allowedPairs);
    expect(lines.filter((l) => l.endsWith(',yes'))).toHaveLength(json.pairs.length);
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      const parts = cells.slice(5, 13).map(Number);
      expect(parts.reduce((a, b) => a + b, 0)).toBeCloseTo(Number(cells[4]), 6);
    }
  });

  it('writes names that start like a spreadsheet formula as text in the scores CSV', async () => {
    const program = await loadProgramFile(join(examples, 'program.json'));
    const { participants } = parseRosterCsv(readFileSync(join(examples, 'roster.csv'), 'utf8'), program.skillsCatalog);
    const hostile = ['=HYPERLINK("http://evil.example","x")', '+cmd|calc', '@SUM(A1:A9)', '-2+3'];
    const roster = participants.map((p, i) => (i < hostile.length ? { ...p, name: hostile[i] as string } : p));
    const file = join(mkdtempSync(join(tmpdir(), 'tandem-match-')), 'scores.csv');
    await runMatchPreview({ program, roster, json: true, scoresOut: file, referenceYear: 2026 });
    const rows: string[][] = parse(readFileSync(file, 'utf8'));
    const names = new Set(rows.slice(1).flatMap((row) => [row[1], row[3]]));
    for (const name of hostile) {
      expect(names.has(name)).toBe(false);
      if ([...names].some((n) => n?.endsWith(name))) expect(names.has(`'${name}`)).toBe(true);
    }
    expect([...names].filter((n) => n?.startsWith("'")).length).toBeGreaterThanOrEqual(2);
    for (const row of rows.slice(1)) for (const cell of [row[0], row[1], row[2], row[3]]) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  it('previews a generated roster of 10,000 people with a pairing proven optimal', { timeout: 600_000 }, async () => {
    const program = programSchema.parse({
      ...JSON.parse(readFileSync(join(examples, 'program.json'), 'utf8')),
      skillsCatalog: SAMPLE_SKILLS,
      matching: {
        mode: 'reverse',
        favouredDepartmentPairs: [
          ['Sales', 'Marketing'],
          ['Customer Relations', 'Product Marketing'],
        ],
      },
    });
    const roster = generateRoster({ size: 10_000, seed: 42 });
    const json = JSON.parse(await runMatchPreview({ program, roster, json: true, referenceYear: 2026 }));
    expect(json.roster).toBe(10_000);
    expect(json.pairs.length).toBeGreaterThan(3_000);
    const ids = new Set(roster.map((p) => p.participantId));
    const seen = new Set<string>();
    for (const pair of json.pairs) {
      expect(ids.has(pair.mentorId) && ids.has(pair.menteeId)).toBe(true);
      seen.add(pair.mentorId);
      seen.add(pair.menteeId);
    }
    for (const u of json.unmatched) expect(seen.has(u.participantId)).toBe(false);
    expect(json.provenOptimal).toBe(true);
    expect(json.upperBound).toBe(json.totalScore);
  });
});
