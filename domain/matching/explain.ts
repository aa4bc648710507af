import type { Skill } from '../program.ts';
import { skillLabel } from '../skills.ts';
import type { ProposedPair } from './matcher.ts';
import { CRITERIA, evaluatePair, REJECTIONS, type CompiledCohort, type Rejection } from './scoring.ts';

/** "a", "a and b", "a, b and c". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Skills `teacher` offers that `learner` wants, most valuable first (level × priority, then catalog order). */
export function taughtSkills(c: CompiledCohort, teacher: number, learner: number): string[] {
  const out: Array<{ skill: number; value: number }> = [];
  const end = c.offerStart[teacher + 1] as number;
  for (let q = c.offerStart[teacher] as number; q < end; q++) {
    const skill = c.offerSkill[q] as number;
    const priority = c.wanted[learner * c.skillCount + skill] as number;
    if (priority > 0) out.push({ skill, value: (c.offerLevel[q] as number) * priority });
  }
  out.sort((a, b) => b.value - a.value || a.skill - b.skill);
  return out.map((s) => c.skillIds[s.skill] as string);
}

/** How the explanation names two partners: by their first names, or by their full names when the first names are the same. */
export function namesInExplanation(fa: string, fb: string): [string, string] {
  const sa = fa.split(/\s+/)[0] ?? fa;
  const sb = fb.split(/\s+/)[0] ?? fb;
  return sa === sb ? [fa, fb] : [sa, sb];
}

function firstNames(c: CompiledCohort, a: number, b: number): [string, string] {
  return namesInExplanation(c.people[a]?.name ?? '', c.people[b]?.name ?? '');
}

/** Catalog names are titles ("Data visualisation"); in a sentence they read lower-case, acronyms kept ("AI assistants"). */
function inSentence(name: string): string {
  return /^[A-Z][a-z]/.test(name) ? name[0]?.toLowerCase() + name.slice(1) : name;
}

/** Each catalog's skill names as a sentence reads them, made once per catalog rather than once per pair. */
const sentenceNames = new WeakMap<readonly Skill[], Map<string, string>>();

function skillNamesInSentences(catalog: readonly Skill[]): Map<string, string> {
  let names = sentenceNames.get(catalog);
  if (names === undefined) {
    // The explanation is an English sentence (tandem match, the HR report), so skills read in English.
    names = new Map(catalog.map((s) => [s.id, inSentence(skillLabel(s, 'en'))]));
    sentenceNames.set(catalog, names);
  }
  return names;
}

/** Builds the proposed pair for (mentor, mentee): score, breakdown by criterion and a sentence. */
export function describePair(c: CompiledCohort, i: number, j: number, catalog: readonly Skill[]): ProposedPair {
  const cents = new Int32Array(CRITERIA.length);
  const e = evaluatePair(c, i, j, cents);
  if (!e.allowed) throw new Error(`pair ${c.people[i]?.participantId}-${c.people[j]?.participantId} is not allowed (${e.rejection})`);
  const mentor = e.mentor;
  const mentee = e.mentee;
  const names = skillNamesInSentences(catalog);
  const skillName = (id: string) => names.get(id) ?? inSentence(id);
  const forward = taughtSkills(c, mentor, mentee);
  const backward = taughtSkills(c, mentee, mentor);
  const [mentorName, menteeName] = firstNames(c, mentor, mentee);
  const years = Math.abs((c.gen[mentor] as number) - (c.gen[mentee] as number));
  const dm = c.department[mentor] as number;
  const dn = c.department[mentee] as number;
  const dmName = c.departmentNames[dm] as string;
  const dnName = c.departmentNames[dn] as string;
  const favoured = c.favoured[dm * c.departmentNames.length + dn] === 1;
  const parts: string[] = [];
  if (forward.length > 0) parts.push(`${mentorName} teaches ${menteeName} ${listInWords(forward.map(skillName))}`);
  if (backward.length > 0) parts.push(`${menteeName} teaches ${mentorName} ${listInWords(backward.map(skillName))}`);
  parts.push(years === 0 ? 'same generation' : `${years} year${years === 1 ? '' : 's'} apart`);
  if (dm === dn) parts.push(`both in ${dmName}`);
  else parts.push(`${dmName} and ${dnName}${favoured ? ', a partnership HR asked for' : ''}`);
  const oi = c.tzOffset[mentor] as number;
  const oj = c.tzOffset[mentee] as number;
  if (!Number.isNaN(oi) && !Number.isNaN(oj) && oi !== oj) {
    const shared = Math.max(0, 8 - Math.abs(oi - oj) / 60);
    parts.push(`${shared === 0 ? 'no' : Number(shared.toFixed(1))} shared working hour${shared === 1 ? '' : 's'}`);
  }
  const breakdown: Record<string, number> = {};
  CRITERIA.forEach((criterion, k) => (breakdown[criterion] = (cents[k] as number) / 100));
  return {
    mentorId: c.people[mentor]?.participantId as string,
    menteeId: c.people[mentee]?.participantId as string,
    score: e.cents / 100,
    breakdown,
    explanation: parts.join('; '),
    skillsTaught: { byMentor: forward, byMentee: backward },
  };
}

/** The words describePair writes between the values it puts in its sentence: parts, lists, who teaches whom, a department. */
const SENTENCE_WORDS = /(; | teaches |, | and |(?<=^|; )both in )/;

/**
 * A pair's explanation split into the values describePair put in it (names, skill labels, departments, and its own
 * phrases such as "28 years apart") and the words between them, so that a page can bidi-isolate each value: a skill
 * label beginning with U+202E must not reverse the names after it. `names` are the partners' names as the sentence says
 * them (namesInExplanation): after "teaches" they end where the learner's name does, else at the first space. The
 * explanation is stored text: a value holding one of those words is split in two, each part still kept apart from the
 * rest. The parts' texts, joined, are the explanation.
 */
export function explanationParts(explanation: string, names: readonly string[]): Array<{ text: string; value: boolean }> {
  const tokens = explanation.split(SENTENCE_WORDS);
  const longestFirst = names.filter(Boolean).sort((a, b) => b.length - a.length);
  const parts: Array<{ text: string; value: boolean }> = [];
  tokens.forEach((token, i) => {
    if (i % 2 === 1) return void parts.push({ text: token, value: false });
    let rest = token;
    if (tokens[i - 1] === ' teaches ') {
      const learner = longestFirst.find((name) => rest.startsWith(`${name} `));
      const end = learner ? learner.length : rest.indexOf(' ');
      if (end > 0) {
        parts.push({ text: rest.slice(0, end), value: true }, { text: ' ', value: false });
        rest = rest.slice(end + 1);
      }
    }
    if (rest) parts.push({ text: rest, value: true });
  });
  return parts;
}

/** Why a person with no eligible partner has none, from the counts of each rule that ruled a partner out. */
export function noPartnerReason(counts: Partial<Record<Rejection, number>>, others: number): string {
  if (others === 0) return 'no eligible partner: nobody else is taking part';
  const parts = (Object.keys(REJECTIONS) as Rejection[]).filter((r) => (counts[r] ?? 0) > 0).map((r) => `${counts[r]} ${REJECTIONS[r]}`);
  return `no eligible partner among the ${others} other people taking part (${parts.join('; ')})`;
}
