import { OptimalMatcher } from '../domain/matching/optimal-matcher.ts';
import { matchingSettingsSchema } from '../domain/program.ts';
import { generateRoster, SAMPLE_SKILLS } from '../domain/roster-generator.ts';
const size = Number(process.env.SIZE ?? 1000), seed = Number(process.env.SEED ?? 43);
const ctx = { settings: matchingSettingsSchema.parse({ mode: 'reverse', objective: 'best-score', favouredDepartmentPairs: [['Sales','Marketing'],['Customer Relations','Product Marketing']] }), skillsCatalog: SAMPLE_SKILLS, recentPairs: [], referenceYear: 2025 };
for (const s of [seed, seed + 1, seed + 2, seed]) {
  const roster = generateRoster({ size, seed: s });
  const c0 = process.cpuUsage();
  const r = new OptimalMatcher({}).match(roster, ctx as never);
  const c = process.cpuUsage(c0);
  console.log(s, (c.user + c.system) / 1e6, JSON.stringify(r.stats.timings));
}
