/**
 * npm run bench:review — the review's pure pass (metrics, proposals, the HR report) over a generated
 * cohort, the part of the review step that does not read the store. Members come from the roster
 * generator (real first names and surnames, so that quotes are redacted against a realistic cohort),
 * paired two by two; everyone answers goal-setting, check-in 1 and measure, a sixth check-in 2 and
 * a third the feedback forum, whose free text names a partner now and then (as people do).
 *
 * Usage: npm run bench:review [-- 1000 7000 10000]
 */
import { performance } from 'node:perf_hooks';
import type { Member, Pair, StoredResponse } from '../domain/cycle.ts';
import { meetingFigures, type MeetingFact } from '../domain/meeting-figures.ts';
import { computeCycleMetrics, summarizeCycle, type MetricsInput } from '../domain/metrics.ts';
import { programSchema } from '../domain/program.ts';
import { renderReport } from '../domain/report.ts';
import { proposeChanges } from '../domain/report-proposals.ts';
import { generateRoster, SAMPLE_SKILLS } from '../domain/roster-generator.ts';
import type { CheckInAnswer, FeedbackAnswer, GoalSettingAnswer, MeasureAnswer } from '../domain/surveys.ts';
import { readFileSync } from 'node:fs';

const sizes = process.argv.slice(2).map(Number);
const DAY = 86_400_000;

function cohort(size: number): { input: MetricsInput; meetings: MeetingFact[] } {
  const roster = generateRoster({ size, seed: 42 });
  const members: Member[] = roster.map((p) => ({
    participantId: p.participantId,
    name: p.name,
    email: p.email,
    department: p.department,
    language: 'en',
    skillsOffered: p.skillsOffered.map((s) => s.skill),
    skillsWanted: p.skillsWanted.map((s) => s.skill),
    teaches: p.skillsOffered.slice(0, 2).map((s) => s.skill),
    learns: p.skillsWanted.slice(0, 2).map((s) => s.skill),
    partners: [],
  }));
  const pairs: Pair[] = [];
  for (let i = 0; i + 1 < members.length; i += 2) {
    const [mentor, mentee] = [members[i] as Member, members[i + 1] as Member];
    pairs.push({
      pairId: `${mentor.participantId}~${mentee.participantId}`,
      mentorId: mentor.participantId,
      menteeId: mentee.participantId,
      score: 50,
      breakdown: {},
      explanation: '',
      skillsTaught: { byMentor: mentor.teaches, byMentee: mentee.teaches },
    });
  }
  const answer = <T>(phaseKey: string, participantId: string, value: T): StoredResponse<T> => ({
    cycleId: 'bench',
    phaseKey,
    participantId,
    answer: value,
    recordedAt: 0,
  });
  const rated = (m: Member, base: number) => Object.fromEntries([...m.teaches, ...m.learns].map((skill, k) => [skill, Math.min(5, base + (k % 2))]));
  const partnerOf = (i: number) => members[i % 2 === 0 ? i + 1 : i - 1] ?? members[0];
  const feedbackText = (i: number, what: string) =>
    i % 4 === 0 ? `${partnerOf(i)?.name.split(' ')[0]} ${what}, and the ${members[i]?.department} team noticed` : `${what} — sessions every two weeks`;
  const goalSetting = members.map((m) =>
    answer<GoalSettingAnswer>('goal-setting', m.participantId, { goals: ['learn the basics', 'use it weekly'], baseline: rated(m, 2) }),
  );
  const measure = members.map((m, i) =>
    answer<MeasureAnswer>('measure', m.participantId, { ratings: rated(m, 3 + (i % 2)), goalAttainment: [80, 40 + (i % 50)] }),
  );
  const checkIns = [
    ...members.map((m, i) => answer<CheckInAnswer>('run#1', m.participantId, { status: i % 7 === 0 ? 'not-yet' : 'met', note: '' })),
    ...members.filter((_, i) => i % 6 === 0).map((m) => answer<CheckInAnswer>('run#2', m.participantId, { status: 'need-help', note: 'hard to find time' })),
  ];
  const feedback = members
    .filter((_, i) => i % 3 === 0)
    .map((m, i) =>
      answer<FeedbackAnswer>('feedback', m.participantId, {
        worked: feedbackText(i, 'taught me shortcuts'),
        keep: feedbackText(i + 1, 'the weekly slot'),
        more: 'more practice',
        explore: i % 2 ? 'data visualisation' : '',
        improve: feedbackText(i + 2, 'could prepare more'),
        missingSkills: i % 5 === 0 ? ['Power BI'] : [],
        satisfaction: i % 11,
      }),
    );
  const meetings = pairs.flatMap((p, i) =>
    Array.from({ length: i % 4 }, (_, k) => ({
      pairId: p.pairId,
      date: `2027-03-${String(10 + k).padStart(2, '0')}`,
      skills: [{ skill: p.skillsTaught.byMentor[0] ?? 'excel', direction: 'by-mentor' as const }],
    })),
  );
  return {
    input: {
      members,
      pairs,
      responses: { goalSetting, checkIns, measure, feedback },
      catalog: SAMPLE_SKILLS,
      language: 'en',
      roster: roster.map((p) => ({ participantId: p.participantId, birthYear: p.birthYear, careerStartYear: p.careerStartYear })),
      checkInRounds: [1, 2],
    },
    meetings,
  };
}

const program = programSchema.parse({
  ...JSON.parse(readFileSync(new URL('../examples/program.json', import.meta.url), 'utf8')),
  skillsCatalog: SAMPLE_SKILLS,
});
const ms = (start: number) => Math.round(performance.now() - start);

console.log('| members | feedback answers | metrics (ms) | proposals (ms) | report (ms) | report size (KB) | heap used after (MB) |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const size of sizes.length ? sizes : [1000, 7000, 10_000]) {
  const { input, meetings } = cohort(size);
  let start = performance.now();
  const metrics = computeCycleMetrics(input);
  const metricsMs = ms(start);
  start = performance.now();
  const proposals = proposeChanges(program, metrics, input);
  const proposalsMs = ms(start);
  start = performance.now();
  const html = renderReport({
    programName: program.name,
    cycleId: 'bench',
    startedAt: 0,
    generatedAt: 0,
    metrics,
    proposals,
    history: [summarizeCycle('bench', 0, metrics)],
    meetings: {
      figures: meetingFigures({ pairs: input.pairs, meetings, cadenceMs: 14 * DAY, introducedAt: Date.UTC(2027, 2, 1), runEndedAt: Date.UTC(2027, 5, 1) }),
      skillNames: Object.fromEntries(SAMPLE_SKILLS.map((s) => [s.id, s.labels.en])),
      cadence: '2 weeks',
    },
  });
  const reportMs = ms(start);
  const heap = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
  console.log(
    `| ${size.toLocaleString('en')} | ${input.responses.feedback.length.toLocaleString('en')} | ${metricsMs} | ${proposalsMs} | ${reportMs} | ${Math.round(html.length / 1024)} | ${heap} |`,
  );
}
