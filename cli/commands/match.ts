import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { parse as parseYaml } from 'yaml';
import type { Matcher, MatchContext, MatchResult } from '../../domain/matching/matcher.ts';
import { OptimalMatcher, type OptimalMatchResult } from '../../domain/matching/optimal-matcher.ts';
import { compileCohort, CRITERIA, evaluatePair } from '../../domain/matching/scoring.ts';
import type { Participant } from '../../domain/participant.ts';
import { programSchema, type Program } from '../../domain/program.ts';

/**
 * `tandem match --program ID [--roster FILE] [--json] [--scores-out FILE.csv]`: previews the
 * pairs the identify phase would form, without starting a cycle. The CLI wiring loads the
 * program (from the store or a file) and the roster, then calls this.
 */
export interface MatchPreviewOptions {
  /** The program, already loaded; or give `programFile`. */
  program?: Program;
  /** A program as a JSON or YAML file (validated with programSchema); used when `program` is absent. */
  programFile?: string;
  /** The whole roster (people not taking part are listed as unmatched with the reason). */
  roster: Participant[];
  /** Print JSON instead of a table. */
  json?: boolean;
  /** Write every eligible pair's score, by criterion, to this CSV file. */
  scoresOut?: string;
  /** Pairs from the program's last `noRepeatCycles` cycles (default none). */
  recentPairs?: Array<[string, string]>;
  /** The year generation gaps and time zones are judged in (default this year). */
  referenceYear?: number;
  /** Default `new OptimalMatcher()`. */
  matcher?: Matcher;
}

export async function loadProgramFile(file: string): Promise<Program> {
  const text = await readFile(file, 'utf8');
  const data: unknown = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  return programSchema.parse(data);
}

const csvCell = (value: string | number): string => {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** Writes one row per eligible pair (mentor first), with the score, each criterion and whether it was chosen. Returns the number of rows. */
export async function writeScoresCsv(file: string, roster: readonly Participant[], context: MatchContext, result: MatchResult): Promise<number> {
  const c = compileCohort(roster, context);
  const chosen = new Set(result.pairs.map((p) => `${p.mentorId}|${p.menteeId}`));
  const out = createWriteStream(file, { encoding: 'utf8' });
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(['mentorId', 'mentorName', 'menteeId', 'menteeName', 'score', ...CRITERIA, 'paired'].join(',') + '\n');
  const cents = new Int32Array(CRITERIA.length);
  let rows = 0;
  let buffer = '';
  for (let i = 0; i < c.n; i++) {
    for (let j = i + 1; j < c.n; j++) {
      const e = evaluatePair(c, i, j, cents);
      if (!e.allowed) continue;
      const mentor = c.people[e.mentor] as Participant;
      const mentee = c.people[e.mentee] as Participant;
      const cells: Array<string | number> = [mentor.participantId, mentor.name, mentee.participantId, mentee.name, e.cents / 100];
      for (let k = 0; k < CRITERIA.length; k++) cells.push((cents[k] as number) / 100);
      cells.push(chosen.has(`${mentor.participantId}|${mentee.participantId}`) ? 'yes' : 'no');
      buffer += cells.map(csvCell).join(',') + '\n';
      rows++;
      if (buffer.length > 1 << 16) {
        await write(buffer);
        buffer = '';
      }
    }
  }
  await write(buffer);
  out.end();
  await once(out, 'finish');
  return rows;
}

const pad = (text: string, width: number) => (text.length >= width ? text : text + ' '.repeat(width - text.length));

/** Previews the pairs for a program and roster; returns the text to print (a table, or JSON). */
export async function runMatchPreview(options: MatchPreviewOptions): Promise<string> {
  const program = options.program ?? (options.programFile ? await loadProgramFile(options.programFile) : undefined);
  if (!program) throw new TypeError('runMatchPreview needs a program or a programFile');
  const context: MatchContext = {
    settings: program.matching,
    skillsCatalog: program.skillsCatalog,
    recentPairs: options.recentPairs ?? [],
    referenceYear: options.referenceYear ?? new Date().getUTCFullYear(),
  };
  const matcher = options.matcher ?? new OptimalMatcher();
  const started = performance.now();
  const result = matcher.match(options.roster, context);
  const seconds = (performance.now() - started) / 1000;
  const stats = (result as Partial<OptimalMatchResult>).stats;
  const names = new Map(options.roster.map((p) => [p.participantId, p.name]));
  const totalScore = Math.round(result.pairs.reduce((sum, p) => sum + p.score * 100, 0)) / 100;
  let scoresRows: number | undefined;
  if (options.scoresOut) scoresRows = await writeScoresCsv(options.scoresOut, options.roster, context, result);

  const summary = {
    programId: program.programId,
    matcher: matcher.name,
    mode: program.matching.mode,
    objective: program.matching.objective,
    roster: options.roster.length,
    takingPart: stats?.eligible ?? options.roster.filter((p) => p.status === 'active').length,
    pairs: result.pairs.length,
    unmatched: result.unmatched.length,
    totalScore,
    ...(stats ? { provenOptimal: stats.proven, upperBound: stats.upperBound, allowedPairs: stats.allowedPairs } : {}),
    seconds: Number(seconds.toFixed(3)),
    ...(options.scoresOut ? { scoresOut: options.scoresOut, scoredPairs: scoresRows } : {}),
  };
  if (options.json) {
    return JSON.stringify({ ...summary, pairs: result.pairs, unmatched: result.unmatched }, null, 2);
  }

  const lines: string[] = [];
  const optimality = stats
    ? stats.proven
      ? 'proven optimal'
      : `not proven optimal: at most ${(stats.upperBound - totalScore).toFixed(2)} below the best possible`
    : `by the ${matcher.name} matcher`;
  lines.push(
    `Program ${program.programId} (${program.matching.mode} mode, ${program.matching.objective}): ${summary.takingPart} of ${summary.roster} taking part, ` +
      `${summary.pairs} pairs, ${summary.unmatched} unmatched; total score ${totalScore.toFixed(2)} (${optimality}) in ${seconds.toFixed(2)} s.`,
  );
  lines.push('');
  const rows = result.pairs.map((p) => [
    `${names.get(p.mentorId) ?? p.mentorId} (${p.mentorId})`,
    `${names.get(p.menteeId) ?? p.menteeId} (${p.menteeId})`,
    p.score.toFixed(2),
    p.explanation,
  ]);
  const header = ['Mentor', 'Mentee', 'Score', 'Why'];
  const widths = [0, 1, 2].map((k) => Math.max((header[k] as string).length, ...rows.map((r) => (r[k] as string).length)));
  const format = (r: string[]) =>
    [pad(r[0] as string, widths[0] as number), pad(r[1] as string, widths[1] as number), (r[2] as string).padStart(widths[2] as number), r[3]].join('  ');
  lines.push(format(header));
  for (const r of rows) lines.push(format(r));
  if (result.unmatched.length > 0) {
    lines.push('', 'Unmatched:');
    for (const u of result.unmatched) lines.push(`  ${names.get(u.participantId) ?? u.participantId} (${u.participantId}): ${u.reason}`);
  }
  if (options.scoresOut) lines.push('', `Scores of all ${scoresRows} eligible pairs written to ${options.scoresOut}.`);
  return lines.join('\n');
}
