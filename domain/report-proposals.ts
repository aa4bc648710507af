import { durationToSeconds } from './duration.ts';
import { resolveWeights } from './matching/scoring.ts';
import { departmentLink, gainsByPerson, meanGainOn, type CycleMetrics, type MetricsInput, type MissingSkill } from './metrics.ts';
import { idSchema, type MatchingWeightKey, type Program } from './program.ts';
import { skillIdFromLabel, skillLabel, SkillResolver } from './skills.ts';

/**
 * The review's proposals for the next cycle: each a change to the program's configuration (a
 * JSON-Patch-like operation on the Program), why, and the figure it comes from. Pure.
 */

export type ProposalKind =
  'recruit-mentors' | 'favour-partnership' | 'drop-partnership' | 'adjust-weight' | 'continue-pair' | 'do-not-pair' | 'phase-window' | 'check-in-cadence';

/**
 * add: put `value` into the array at `path` unless an equal element is there already;
 * remove: take every element equal to `value` out of the array at `path`;
 * replace: set `path` to `value` (`from` is the value the review saw).
 */
export type Change =
  { op: 'add'; path: string; value: unknown } | { op: 'remove'; path: string; value: unknown } | { op: 'replace'; path: string; from: unknown; value: unknown };

export interface Proposal {
  /**
   * Stable within a review: kind and subject, e.g. "do-not-pair:p03~p11". Pairs are named by
   * participant id only, so that the report carries no names; `tandem review show` adds them.
   */
  id: string;
  kind: ProposalKind;
  title: string;
  /** Null for advice HR acts on outside the configuration (e.g. recruiting for a catalog skill). */
  change: Change | null;
  reason: string;
  evidence: { figure: string; value: number | string };
}

export const THRESHOLDS = {
  /** A skill named as lacking by at least this many people (in feedback or at enrollment), and offered by nobody, is worth recruiting for. */
  missingSkillMentions: 2,
  /** A phase answered by fewer than this share of members gets a longer window. */
  responseRate: 0.8,
  /** Check-ins answered or "we met" below this share: a longer cadence. */
  checkIns: 0.6,
  /** A gap in mean gain (1-5 scale points) between directions worth correcting through the weights. */
  directionGap: 0.5,
  /** Shares below this raise the weight of the criterion behind them. */
  crossShare: 0.5,
  /** A department link whose learners gained this much more (or less) than everyone is favoured (or dropped). */
  partnershipGap: 0.5,
  /** Both members of a pair worth continuing gained at least this much on what they learned… */
  continueGain: 1,
  /** …and both recommend the program at least this much. */
  continueSatisfaction: 9,
  /** Weights change by this factor, rounded, within the schema's 0-100. */
  weightStep: 1.25,
  /** Windows and cadence grow by this factor. */
  durationStep: 1.5,
} as const;

const pct = (v: number) => `${Math.round(v * 100)}%`;
const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;

/** The id a proposed skill gets: the catalog's own id derivation (domain/skills.ts). */
export const slugSkillId = skillIdFromLabel;

const titleCase = (text: string) => text.replace(/(^|\s)(\p{L})/gu, (_m, space: string, letter: string) => space + letter.toUpperCase());

/** An ISO-8601 duration of whole days when it divides evenly, else of seconds. */
export function secondsToDuration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  return s % 86400 === 0 ? `P${s / 86400}D` : `PT${s}S`;
}

const longer = (duration: string) => secondsToDuration(durationToSeconds(duration) * THRESHOLDS.durationStep);

/** "3 people (2 in their feedback, 2 on the join page)": who named a skill as lacking, each person once. */
export function whoNamed(s: Pick<MissingSkill, 'mentions' | 'inFeedback' | 'atEnrollment'>): string {
  const where = [s.inFeedback ? `${s.inFeedback} in their feedback` : '', s.atEnrollment ? `${s.atEnrollment} on the join page` : ''].filter(Boolean);
  return `${s.mentions} ${s.mentions === 1 ? 'person' : 'people'}${where.length ? ` (${where.join(', ')})` : ''}`;
}

/** Proposes the next cycle's configuration from a cycle's metrics (and the answers they came from). */
export function proposeChanges(program: Program, metrics: CycleMetrics, input: MetricsInput): Proposal[] {
  const proposals: Proposal[] = [];
  const minGroup = metrics.method.minGroupSize;

  // 1. Skills to recruit mentors for: named as lacking (feedback, join page), offered by nobody.
  const catalog = new SkillResolver(program.skillsCatalog);
  for (const s of metrics.themes.unofferedSkills) {
    if (s.mentions < THRESHOLDS.missingSkillMentions || s.namesRedacted) continue;
    const who = whoNamed(s);
    const inCatalog = catalog.resolve(s.skill);
    const id = slugSkillId(s.skill);
    const evidence = { figure: `themes.unofferedSkills["${s.skill}"].mentions`, value: s.mentions };
    if (inCatalog) {
      proposals.push({
        id: `recruit-mentors:${inCatalog.id}`,
        kind: 'recruit-mentors',
        title: `Recruit mentors who offer ${skillLabel(inCatalog, program.language)}`,
        change: null,
        reason: `${who} ask for ${skillLabel(inCatalog, program.language)}, which is in the catalog but offered by nobody in this cohort: invite people who can teach it.`,
        evidence,
      });
    } else if (idSchema.safeParse(id).success) {
      proposals.push({
        id: `recruit-mentors:${id}`,
        kind: 'recruit-mentors',
        title: `Add "${s.skill}" to the skills catalog and recruit mentors for it`,
        change: {
          op: 'add',
          path: '/skillsCatalog',
          value: { id, labels: { 'pt-BR': titleCase(s.skill), en: titleCase(s.skill) }, aliases: [], digital: false },
        },
        reason: `${who} name "${s.skill}" as a skill the organization lacks, and nobody in the cohort offers it. In the catalog, people can offer and ask for it at the next roster import (set "digital" if it is a digital skill).`,
        evidence,
      });
    }
  }

  // 2. Weights: the direction that taught less, and the shares across departments and generations.
  const weights = resolveWeights(program.matching);
  const raise = (key: MatchingWeightKey, reason: string, evidence: Proposal['evidence']) => {
    const from = weights[key];
    const value = Math.min(100, Math.max(from + 1, Math.round(from * THRESHOLDS.weightStep)));
    if (value === from) return;
    proposals.push({
      id: `adjust-weight:${key}`,
      kind: 'adjust-weight',
      title: `Raise the matching weight ${key} from ${from} to ${value}`,
      change: { op: 'replace', path: `/matching/weights/${key}`, from: program.matching.weights[key] ?? null, value },
      reason,
      evidence,
    });
  };
  const jts = metrics.gainsByDirection.juniorTaughtSenior;
  const stj = metrics.gainsByDirection.seniorTaughtJunior;
  if (!jts.suppressed && !stj.suppressed) {
    const gap = jts.mean - stj.mean;
    if (gap >= THRESHOLDS.directionGap) {
      raise(
        'skillsTaughtByMentee',
        `Seniors' teaching gained less (${stj.mean.toFixed(2)}) than juniors' (${jts.mean.toFixed(2)}): weigh more what the mentee can teach, so that knowledge flows both ways.`,
        {
          figure: 'gainsByDirection.juniorTaughtSenior.mean − gainsByDirection.seniorTaughtJunior.mean',
          value: Number(gap.toFixed(2)),
        },
      );
    } else if (-gap >= THRESHOLDS.directionGap) {
      raise(
        'skillsTaughtByMentor',
        `Juniors' teaching gained less (${jts.mean.toFixed(2)}) than seniors' (${stj.mean.toFixed(2)}): weigh more what the mentor can teach, the program's main direction.`,
        {
          figure: 'gainsByDirection.juniorTaughtSenior.mean − gainsByDirection.seniorTaughtJunior.mean',
          value: Number(gap.toFixed(2)),
        },
      );
    }
  }
  const crossDept = metrics.benefits.diversity.share;
  if (crossDept !== null && crossDept < THRESHOLDS.crossShare) {
    raise(
      'crossDepartment',
      `Only ${pct(crossDept)} of pairs crossed departments, below ${pct(THRESHOLDS.crossShare)}: the diversity-and-inclusion benefit needs more pairs across departments.`,
      {
        figure: 'benefits.diversity.share',
        value: Number(crossDept.toFixed(3)),
      },
    );
  }
  const crossGen = metrics.benefits.acrossGenerations.share;
  if (crossGen !== null && crossGen < THRESHOLDS.crossShare) {
    raise(
      'generationGap',
      `Only ${pct(crossGen)} of pairs crossed generations, below ${pct(THRESHOLDS.crossShare)}: learning across generations needs wider generation gaps.`,
      {
        figure: 'benefits.acrossGenerations.share',
        value: Number(crossGen.toFixed(3)),
      },
    );
  }

  // 3. Department partnerships: favour the links whose learners gained clearly more, drop favoured ones that gained clearly less.
  const gains = gainsByPerson(input.responses, input.catalog);
  const department = new Map(input.members.map((m) => [m.participantId, m.department]));
  const byLink = new Map<string, number[]>();
  const allLearners: number[] = [];
  for (const p of input.pairs) {
    const a = department.get(p.mentorId);
    const b = department.get(p.menteeId);
    const values = [meanGainOn(gains, p.menteeId, p.skillsTaught.byMentor), meanGainOn(gains, p.mentorId, p.skillsTaught.byMentee)].filter(
      (v): v is number => v !== null,
    );
    allLearners.push(...values);
    if (!a || !b || a === b) continue;
    const link = departmentLink(a, b);
    (byLink.get(link) ?? byLink.set(link, []).get(link))?.push(...values);
  }
  const overall = allLearners.length ? allLearners.reduce((x, y) => x + y, 0) / allLearners.length : null;
  const favoured = new Map(program.matching.favouredDepartmentPairs.map((fp) => [departmentLink(fp[0], fp[1]), fp] as const));
  if (overall !== null) {
    for (const [link, values] of [...byLink.entries()].sort((x, y) => x[0].localeCompare(y[0]))) {
      if (values.length < minGroup) continue;
      const linkMean = values.reduce((x, y) => x + y, 0) / values.length;
      const [a, b] = link.split(' ↔ ') as [string, string];
      const evidence = { figure: `mean gain of learners in ${link} pairs − mean gain of all learners`, value: Number((linkMean - overall).toFixed(2)) };
      if (linkMean - overall >= THRESHOLDS.partnershipGap && !favoured.has(link)) {
        proposals.push({
          id: `favour-partnership:${link}`,
          kind: 'favour-partnership',
          title: `Favour the ${link} partnership`,
          change: { op: 'add', path: '/matching/favouredDepartmentPairs', value: [a, b] },
          reason: `The ${values.length} learners in ${link} pairs gained ${signed(linkMean - overall)} points more than all learners (${linkMean.toFixed(2)} vs ${overall.toFixed(2)}).`,
          evidence,
        });
      } else if (overall - linkMean >= THRESHOLDS.partnershipGap && favoured.has(link)) {
        proposals.push({
          id: `drop-partnership:${link}`,
          kind: 'drop-partnership',
          title: `Stop favouring the ${link} partnership`,
          change: { op: 'remove', path: '/matching/favouredDepartmentPairs', value: favoured.get(link) },
          reason: `The ${values.length} learners in ${link} pairs gained ${signed(linkMean - overall)} points less than all learners (${linkMean.toFixed(2)} vs ${overall.toFixed(2)}).`,
          evidence,
        });
      }
    }
  }

  // 4. Pairs: continue the ones where both gained and would recommend the program; never repeat the ones at risk that gained nothing.
  const satisfaction = new Map(input.responses.feedback.map((f) => [f.participantId, f.answer.satisfaction]));
  const atRisk = new Map(metrics.pairStatus.atRiskPairs.map((p) => [p.pairId, p]));
  for (const p of input.pairs) {
    const menteeGain = meanGainOn(gains, p.menteeId, p.skillsTaught.byMentor);
    const mentorGain = meanGainOn(gains, p.mentorId, p.skillsTaught.byMentee);
    const risk = atRisk.get(p.pairId);
    if (risk) {
      if (menteeGain !== null && mentorGain !== null && menteeGain > 0 && mentorGain > 0) continue;
      if (program.matching.doNotPair.some(([x, y]) => (x === p.mentorId && y === p.menteeId) || (x === p.menteeId && y === p.mentorId))) continue;
      proposals.push({
        id: `do-not-pair:${p.pairId}`,
        kind: 'do-not-pair',
        title: `Do not pair ${p.mentorId} and ${p.menteeId} again`,
        change: { op: 'add', path: '/matching/doNotPair', value: [p.mentorId, p.menteeId] },
        reason: `The pair was at risk (${risk.reasons.join('; ')}) and its members did not both report a gain.`,
        evidence: { figure: `pairStatus.atRiskPairs["${p.pairId}"].reasons`, value: risk.reasons.join('; ') },
      });
      continue;
    }
    const bothGained = menteeGain !== null && mentorGain !== null && menteeGain >= THRESHOLDS.continueGain && mentorGain >= THRESHOLDS.continueGain;
    const bothRecommend =
      (satisfaction.get(p.mentorId) ?? -1) >= THRESHOLDS.continueSatisfaction && (satisfaction.get(p.menteeId) ?? -1) >= THRESHOLDS.continueSatisfaction;
    if (bothGained && bothRecommend && !program.matching.continuePairs.some(([x, y]) => x === p.mentorId && y === p.menteeId)) {
      proposals.push({
        id: `continue-pair:${p.pairId}`,
        kind: 'continue-pair',
        title: `Continue the pair ${p.mentorId} and ${p.menteeId}`,
        change: { op: 'add', path: '/matching/continuePairs', value: [p.mentorId, p.menteeId] },
        reason: `Both members gained at least ${THRESHOLDS.continueGain} point on what they learned and both would recommend the program (${THRESHOLDS.continueSatisfaction}+), with no check-in problem.`,
        evidence: {
          figure: `pair ${p.pairId}: both gains ≥ ${THRESHOLDS.continueGain} and both satisfaction ≥ ${THRESHOLDS.continueSatisfaction}`,
          value: 'yes',
        },
      });
    }
  }

  // 5. Phase windows and the check-in cadence.
  const windows = [
    ['goalSetting', 'goal-setting'],
    ['measure', 'measure'],
    ['feedback', 'feedback'],
  ] as const;
  for (const [field, label] of windows) {
    const rate = metrics.responseRate[field];
    if (rate === null || rate >= THRESHOLDS.responseRate) continue;
    const from = program.phaseWindows[field];
    proposals.push({
      id: `phase-window:${field}`,
      kind: 'phase-window',
      title: `Lengthen the ${label} window from ${from} to ${longer(from)}`,
      change: { op: 'replace', path: `/phaseWindows/${field}`, from, value: longer(from) },
      reason: `Only ${pct(rate)} of members answered the ${label} survey, below ${pct(THRESHOLDS.responseRate)}: give people more time.`,
      evidence: { figure: `responseRate.${field}`, value: Number(rate.toFixed(3)) },
    });
  }
  const { answerRate, adherence } = metrics.checkIns;
  const weak =
    answerRate !== null && answerRate < THRESHOLDS.checkIns
      ? (['checkIns.answerRate', answerRate] as const)
      : adherence !== null && adherence < THRESHOLDS.checkIns
        ? (['checkIns.adherence', adherence] as const)
        : undefined;
  if (weak) {
    const from = program.checkInCadence;
    proposals.push({
      id: 'check-in-cadence',
      kind: 'check-in-cadence',
      title: `Check in every ${longer(from)} instead of every ${from}`,
      change: { op: 'replace', path: '/checkInCadence', from, value: longer(from) },
      reason:
        weak[0] === 'checkIns.answerRate'
          ? `Only ${pct(weak[1])} of check-ins were answered: fewer, less frequent check-ins.`
          : `Pairs had met at only ${pct(weak[1])} of check-ins: give them longer between check-ins.`,
      evidence: { figure: weak[0], value: Number(weak[1].toFixed(3)) },
    });
  }
  return proposals;
}

// ---- applying proposals ----------------------------------------------------------------------------

const same = (a: unknown, b: unknown): boolean => {
  if (a && b && typeof a === 'object' && typeof b === 'object' && 'id' in a && 'id' in b) return a.id === b.id;
  return JSON.stringify(a) === JSON.stringify(b);
};

function parentOf(root: Record<string, unknown>, path: string): { parent: Record<string, unknown>; key: string } {
  const parts = path.split('/').slice(1);
  if (parts.length === 0 || parts.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype'))
    throw new RangeError(`bad path ${path}`);
  let node: Record<string, unknown> = root;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === undefined || next === null) node[part] = {};
    else if (typeof next !== 'object') throw new RangeError(`path ${path} runs through a value`);
    node = node[part] as Record<string, unknown>;
  }
  return { parent: node, key: parts[parts.length - 1] as string };
}

export interface ConfigurationDiff {
  path: string;
  before: unknown;
  after: unknown;
  proposals: string[];
}

/**
 * Applies the proposals' changes to a copy of the program; returns it with the differences, one
 * per path. Applying the same proposals twice changes nothing the second time.
 */
export function applyProposals(program: Program, proposals: readonly Proposal[]): { program: Program; diff: ConfigurationDiff[] } {
  const next = structuredClone(program) as unknown as Record<string, unknown>;
  const touched = new Map<string, string[]>();
  const read = (root: unknown, path: string): unknown =>
    path
      .split('/')
      .slice(1)
      .reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), root);
  for (const proposal of proposals) {
    const change = proposal.change;
    if (!change) continue;
    const { parent, key } = parentOf(next, change.path);
    if (change.op === 'replace') {
      parent[key] = structuredClone(change.value);
    } else {
      const list = Array.isArray(parent[key]) ? (parent[key] as unknown[]) : [];
      if (change.op === 'add' && !list.some((item) => same(item, change.value))) list.push(structuredClone(change.value));
      parent[key] = change.op === 'remove' ? list.filter((item) => !same(item, change.value)) : list;
    }
    touched.set(change.path, [...(touched.get(change.path) ?? []), proposal.id]);
  }
  const diff = [...touched.entries()]
    .map(([path, ids]) => ({ path, before: read(program, path) ?? null, after: read(next, path) ?? null, proposals: ids }))
    .filter((d) => JSON.stringify(d.before) !== JSON.stringify(d.after));
  return { program: next as unknown as Program, diff };
}
