import { describe, expect, it } from 'vitest';
import type { Pair } from '../../domain/cycle.ts';
import { meetingFigures, type MeetingFact } from '../../domain/meeting-figures.ts';
import { meetingsSection } from '../../domain/meeting-report.ts';
import { newCycle } from '../../domain/cycle.ts';
import { programSchema, type ProgramInput } from '../../domain/program.ts';
import { meetingReport } from '../../services/review.ts';
import { cohortIds, consecutivePairs, memberOf } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';
import { readFileSync } from 'node:fs';

const DAY = 86_400_000;
const INTRODUCED = Date.UTC(2027, 2, 1, 15);
const WEEK = 7 * DAY;

const pair = (n: number, status?: 'declined'): Pair => ({
  pairId: `m${n}~e${n}`,
  mentorId: `m${n}`,
  menteeId: `e${n}`,
  score: 1,
  breakdown: {},
  explanation: '',
  skillsTaught: { byMentor: ['excel'], byMentee: ['ai'] },
  ...(status ? { status } : {}),
});
const met = (n: number, date: string, skills: MeetingFact['skills'] = []): MeetingFact => ({ pairId: `m${n}~e${n}`, date, skills });

/** Six pairs over a four-week run with a weekly cadence: four meetings each are "at the cadence". */
function figures(meetings: MeetingFact[], pairs = [1, 2, 3, 4, 5, 6].map((n) => pair(n))) {
  return meetingFigures({ pairs, meetings, cadenceMs: WEEK, introducedAt: INTRODUCED, runEndedAt: INTRODUCED + 4 * WEEK });
}

const weekly = (n: number, skills: MeetingFact['skills'] = []) => ['2027-03-02', '2027-03-09', '2027-03-16', '2027-03-23'].map((d) => met(n, d, skills));

describe('meetings in the report', () => {
  it('counts meetings per pair, the share that met at the cadence and the days to the first meeting', () => {
    const f = figures([...[1, 2, 3, 4, 5].flatMap((n) => weekly(n)), met(6, '2027-03-11')]);
    expect(f).toMatchObject({ pairs: 6, meetings: 21, expectedPerPair: 4, medianPerPair: 4 });
    expect(f.metAtCadence).toBeCloseTo(5 / 6);
    // Five pairs first met a day after the introduction, one ten days after.
    expect(f.daysToFirstMeeting).toEqual({ pairs: 6, median: 1, mean: 2.5 });
    expect(f.distribution).toEqual([
      [0, null],
      [1, null],
      [2, null],
      [3, 5],
    ]);
  });

  it('leaves declined pairs and their meetings out', () => {
    const f = figures([met(1, '2027-03-02'), met(7, '2027-03-02')], [...[1, 2, 3, 4, 5, 6].map((n) => pair(n)), pair(7, 'declined')]);
    expect(f).toMatchObject({ pairs: 6, meetings: 1 });
    expect(f.distribution[0]).toEqual([0, 5]);
  });

  it('counts pairs that practised each skill per direction, hiding counts under five pairs', () => {
    const f = figures([
      ...[1, 2, 3, 4, 5].flatMap((n) => weekly(n, [{ skill: 'excel', direction: 'by-mentor' }])),
      met(6, '2027-03-02', [{ skill: 'ai', direction: 'by-mentee' }]),
    ]);
    expect(f.skills).toEqual([
      { skill: 'ai', byMentor: null, byMentee: null },
      { skill: 'excel', byMentor: 5, byMentee: null },
    ]);
  });

  it('shows no rate, median or time to first meeting about fewer than five pairs', () => {
    const f = figures(
      weekly(1),
      [1, 2, 3, 4].map((n) => pair(n)),
    );
    expect(f).toMatchObject({ pairs: 4, medianPerPair: null, metAtCadence: null, daysToFirstMeeting: { pairs: 1, median: null, mean: null } });
    const html = meetingsSection({ figures: f, skillNames: {}, cadence: '1 week' });
    expect(html).toContain('fewer than 5 pairs');
    expect(html).not.toContain('%');
  });

  it('renders the section with the skills named in the program’s language', () => {
    const f = figures([...[1, 2, 3, 4, 5].flatMap((n) => weekly(n, [{ skill: 'excel', direction: 'by-mentor' }]))]);
    const html = meetingsSection({ figures: f, skillNames: { excel: 'Planilhas' }, cadence: '1 week' });
    expect(html).toContain('<h2>Meetings</h2>');
    expect(html).toContain('Pairs that met at least once every 1 week (4 meetings)</th><td>83%');
    expect(html).toContain('<td>Planilhas</td><td>5</td><td>fewer than 5</td>');
    expect(meetingsSection(undefined)).toContain('No pairs in this cycle');
  });

  it('counts from goal-setting’s close over the stored pairs and meetings, the cadence in words', async () => {
    const store = new InMemoryStore();
    const sample = JSON.parse(readFileSync(new URL('../../examples/program.json', import.meta.url), 'utf8')) as ProgramInput;
    const program = programSchema.parse({ ...sample, checkInCadence: 'P7D', phaseWindows: { ...sample.phaseWindows, run: 'P28D' } });
    await store.createCycle(newCycle(program, 'c1', INTRODUCED - 10 * DAY));
    const ids = cohortIds(12);
    await store.putCohort(
      'c1',
      ids.map((id) => memberOf(id)),
      consecutivePairs(ids),
    );
    await store.openPhase('c1', 'goal-setting', { openedAt: INTRODUCED - 10 * DAY, deadline: INTRODUCED, expected: 12 });
    await store.closePhase('c1', 'goal-setting', INTRODUCED);
    await store.openPhase('c1', 'run', { openedAt: INTRODUCED, deadline: INTRODUCED + 4 * WEEK, expected: 0 });
    const [first] = consecutivePairs(ids);
    await store.recordMeeting({
      cycleId: 'c1',
      pairId: first?.pairId as string,
      meetingId: 'x',
      loggedBy: 'p01',
      source: 'check-in',
      date: '2027-03-04',
      skills: [],
      loggedAt: INTRODUCED,
    });
    const report = await meetingReport(store, (await store.getCycle('c1'))!, INTRODUCED + 5 * WEEK);
    expect(report.cadence).toBe('7 days');
    expect(report.figures).toMatchObject({
      pairs: 6,
      meetings: 1,
      expectedPerPair: 4,
      metAtCadence: 0,
      distribution: [
        [0, 5],
        [1, null],
        [2, null],
        [3, null],
      ],
    });
  });
});
