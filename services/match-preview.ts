import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { toSpreadsheetCsv } from '../domain/csv.ts';
import { ValidationError } from '../domain/errors.ts';
import type { Matcher, MatchContext, MatchResult } from '../domain/matching/matcher.ts';
import { OptimalMatcher, type OptimalMatchResult } from '../domain/matching/optimal-matcher.ts';
import { compileCohort, CRITERIA, evaluatePair } from '../domain/matching/scoring.ts';
import type { Participant } from '../domain/participant.ts';
import type { Program } from '../domain/program.ts';
import { parseRosterCsv, parseRosterJson } from '../domain/roster.ts';
import type { ProgramStore } from './ports.ts';
import { readProgramFile } from './program-files.ts';
import { getProgramOrFail } from './programs.ts';
import { readTextFile } from './text-files.ts';

/**
 * The match preview behind `tandem match`: the pairs the identify phase would form for a program
 * and a roster, without starting a cycle, and optionally every eligible pair's score by criterion.
 */

/** A program as a JSON or YAML file, validated with programSchema (every problem named). */
export async function loadProgramFile(file: string): Promise<Program> {
  return readProgramFile(file);
}

/** A roster as a CSV or JSON file; a file with any bad row is rejected with every problem listed. */
export async function loadRosterFile(file: string, skillsCatalog: Program['skillsCatalog'], language: Program['language'] = 'en'): Promise<Participant[]> {
  const text = await readTextFile(file, {
    encodingHint: 'save it as "CSV UTF-8" in the spreadsheet, or import it with tandem roster import --encoding latin1 and preview the stored roster',
  });
  // Skill cells read as roster import reads them: labels or aliases in either language; unknown ones are row errors with suggestions.
  const parsed = /\.json$/i.test(file) ? parseRosterJson(text, skillsCatalog, { language }) : parseRosterCsv(text, skillsCatalog, { language });
  if (parsed.issues.length) throw new ValidationError(`${file} has ${parsed.issues.length} problem(s)`, parsed.issues);
  return parsed.participants;
}

export interface MatchPreviewSource {
  /** The program from the store… */
  programId?: string;
  /** …or from a file (then no store is needed when the roster is a file too). */
  programFile?: string;
  /** A roster file instead of the program's stored roster. */
  rosterFile?: string;
}

/** The program and the roster to preview; the store is asked for only when a file does not give them. */
export async function loadMatchPreviewInput(source: MatchPreviewSource, store: () => ProgramStore): Promise<{ program: Program; roster: Participant[] }> {
  if (!source.programId && !source.programFile) throw new ValidationError('name the program: --program <id> or --program-file <file>');
  const program = source.programFile ? await loadProgramFile(source.programFile) : await getProgramOrFail(store(), source.programId as string);
  const roster = source.rosterFile
    ? await loadRosterFile(source.rosterFile, program.skillsCatalog, program.language)
    : await store().listParticipants(program.programId);
  return { program, roster };
}

export interface MatchPreviewRequest {
  program: Program;
  /** The whole roster (people not taking part are listed as unmatched with the reason). */
  roster: Participant[];
  /** Write every eligible pair's score, by criterion, to this CSV file. */
  scoresOut?: string;
  /** Pairs from the program's last `noRepeatCycles` cycles (default none). */
  recentPairs?: Array<[string, string]>;
  /** The year generation gaps and time zones are judged in (default this year). */
  referenceYear?: number;
  /** Default `new OptimalMatcher()`. */
  matcher?: Matcher;
}

export interface MatchPreviewSummary {
  programId: string;
  matcher: string;
  mode: Program['matching']['mode'];
  objective: Program['matching']['objective'];
  roster: number;
  takingPart: number;
  pairs: number;
  unmatched: number;
  totalScore: number;
  provenOptimal?: boolean;
  upperBound?: number;
  allowedPairs?: number;
  seconds: number;
  scoresOut?: string;
  scoredPairs?: number;
}

export interface MatchPreview {
  summary: MatchPreviewSummary;
  result: MatchResult;
  /** Each participant's name by id, to show the pairs. */
  names: ReadonlyMap<string, string>;
}

/** Runs the matcher over the roster and, when asked, writes the scores CSV. */
export async function previewMatch(request: MatchPreviewRequest): Promise<MatchPreview> {
  const { program, roster } = request;
  const context: MatchContext = {
    settings: program.matching,
    skillsCatalog: program.skillsCatalog,
    recentPairs: request.recentPairs ?? [],
    referenceYear: request.referenceYear ?? new Date().getUTCFullYear(),
  };
  const matcher = request.matcher ?? new OptimalMatcher();
  const started = performance.now();
  const result = matcher.match(roster, context);
  const seconds = (performance.now() - started) / 1000;
  const stats = (result as Partial<OptimalMatchResult>).stats;
  const totalScore = Math.round(result.pairs.reduce((sum, p) => sum + p.score * 100, 0)) / 100;
  let scoredPairs: number | undefined;
  if (request.scoresOut) scoredPairs = await writeScoresCsv(request.scoresOut, roster, context, result);
  const summary: MatchPreviewSummary = {
    programId: program.programId,
    matcher: matcher.name,
    mode: program.matching.mode,
    objective: program.matching.objective,
    roster: roster.length,
    takingPart: stats?.eligible ?? roster.filter((p) => p.status === 'active').length,
    pairs: result.pairs.length,
    unmatched: result.unmatched.length,
    totalScore,
    ...(stats ? { provenOptimal: stats.proven, upperBound: stats.upperBound, allowedPairs: stats.allowedPairs } : {}),
    seconds: Number(seconds.toFixed(3)),
    ...(request.scoresOut ? { scoresOut: request.scoresOut, scoredPairs } : {}),
  };
  return { summary, result, names: new Map(roster.map((p) => [p.participantId, p.name])) };
}

/** Writes one row per eligible pair (mentor first), with the score, each criterion and whether it was chosen. Returns the number of rows. */
export async function writeScoresCsv(file: string, roster: readonly Participant[], context: MatchContext, result: MatchResult): Promise<number> {
  const c = compileCohort(roster, context);
  const chosen = new Set(result.pairs.map((p) => `${p.mentorId}|${p.menteeId}`));
  const out = createWriteStream(file, { encoding: 'utf8' });
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(toSpreadsheetCsv([['mentorId', 'mentorName', 'menteeId', 'menteeName', 'score', ...CRITERIA, 'paired']]));
  // Ids and names are the only text a person typed: each person's two cells are written (and escaped against formulas) once, not per pair.
  const personCells = c.people.map((p) => toSpreadsheetCsv([[p.participantId, p.name]]).trimEnd());
  const cents = new Int32Array(CRITERIA.length);
  let rows = 0;
  let buffer = '';
  for (let i = 0; i < c.n; i++) {
    for (let j = i + 1; j < c.n; j++) {
      const e = evaluatePair(c, i, j, cents);
      if (!e.allowed) continue;
      const mentor = c.people[e.mentor] as Participant;
      const mentee = c.people[e.mentee] as Participant;
      const cells: Array<string | number> = [personCells[e.mentor] as string, personCells[e.mentee] as string, e.cents / 100];
      for (let k = 0; k < CRITERIA.length; k++) cells.push((cents[k] as number) / 100);
      cells.push(chosen.has(`${mentor.participantId}|${mentee.participantId}`) ? 'yes' : 'no');
      buffer += cells.join(',') + '\n';
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
