import { escapeHtml, escapeHtmlIsolatingControls, isolatedHtml, isolatedText } from '../../../domain/html.ts';
import { explanationParts, namesInExplanation } from '../../../domain/matching/explain.ts';
import type { MatchingWeightKey } from '../../../domain/program.ts';
import { idSchema, type Language } from '../../../domain/program.ts';
import { ValidationError, issuesFromZod } from '../../../domain/errors.ts';
import * as z from '../../../domain/validation.ts';
import type { PairReviewView, PairView, PersonView } from './review.ts';

/**
 * The console's Pairs page, main content only (the console adds the layout, sign-in and
 * routing): the proposed pairs in a table with their score, criteria and explanation, a form
 * per action, and the parser of those forms' posts into review commands. Every form posts to
 * the page's own address with `action`, the ids it concerns, the `revision` of the pairs it
 * showed (a post on pairs that changed since is refused) and the `csrf` token; it works
 * without JavaScript.
 */

const CRITERIA: Record<Language, Record<MatchingWeightKey, string>> = {
  en: {
    skillsTaughtByMentor: 'skills the mentor teaches',
    skillsTaughtByMentee: 'skills the mentee teaches',
    generationGap: 'generation gap',
    seniorityGap: 'seniority gap',
    crossDepartment: 'across departments',
    favouredPartnership: 'favoured departments',
    diversity: 'diversity',
    timeZoneOverlap: 'time-zone overlap',
  },
  'pt-BR': {
    skillsTaughtByMentor: 'habilidades que o mentor ensina',
    skillsTaughtByMentee: 'habilidades que o mentorado ensina',
    generationGap: 'diferença de geração',
    seniorityGap: 'diferença de senioridade',
    crossDepartment: 'entre departamentos',
    favouredPartnership: 'departamentos favorecidos',
    diversity: 'diversidade',
    timeZoneOverlap: 'fusos horários compatíveis',
  },
};

const TEXT = {
  en: {
    title: (program: string) => `Pairs of ${program}`,
    caption: (count: number, cycle: string) => `${count} proposed pairs of cycle ${cycle}, best score first`,
    mentor: 'Mentor',
    mentee: 'Mentee',
    score: 'Score',
    criteria: 'Criteria',
    why: 'Why',
    actions: 'Actions',
    locked: 'locked',
    forbid: 'Forbid',
    forbidLabel: (a: string, b: string) => `Forbid pairing ${a} with ${b}`,
    programWide: 'also in later cycles',
    lock: 'Lock',
    lockLabel: (a: string, b: string) => `Lock the pair ${a} and ${b}`,
    unlock: 'Unlock',
    unlockLabel: (a: string, b: string) => `Unlock the pair ${a} and ${b}`,
    exclude: (name: string) => `Exclude ${name}`,
    excludeLabel: (name: string) => `Exclude ${name} from this cycle`,
    unmatched: 'Unmatched',
    noUnmatched: 'Everyone taking part has a partner.',
    excluded: 'Excluded from this cycle',
    bans: 'Forbidden pairs in this cycle',
    resolve: 'Re-solve the pairs',
    resolveHelp: 'The exact matcher pairs everyone again: locked pairs stay, forbidden pairs and excluded people are left out.',
    approve: 'Approve the pairs',
    approveHelp: 'Invitations go out once the pairs are approved.',
    stale: 'The pairs do not reflect the latest bans or exclusions yet: re-solve before approving.',
    pending: (deadline: string, then: string) => `Waiting for approval until ${deadline}; then ${then}.`,
    then: { approve: 'the pairs are approved as they stand', stop: 'the cycle stops' },
    decided: (status: string, by?: string) => `The pairs were ${status}${by ? ` by ${by}` : ''}.`,
    status: { approved: 'approved', stopped: 'stopped' },
    notOpen: 'Identify has not finished yet: there are no pairs to review.',
    notRequired: 'This program does not ask for approval: invitations go out right after identify.',
    readOnly: 'Your role can read the pairs but not change them: HR forbids, locks, excludes, re-solves and approves.',
    ended: {
      stopped: 'The cycle was stopped before its pairs were approved: they can no longer be changed or approved.',
      failed: 'The cycle failed before its pairs were approved: they cannot be changed or approved unless the cycle runs again (tandem executions redrive).',
      succeeded: 'The cycle has ended: its pairs can no longer be changed or approved.',
    },
  },
  'pt-BR': {
    title: (program: string) => `Pares de ${program}`,
    caption: (count: number, cycle: string) => `${count} pares propostos do ciclo ${cycle}, da maior pontuação para a menor`,
    mentor: 'Mentor',
    mentee: 'Mentorado',
    score: 'Pontuação',
    criteria: 'Critérios',
    why: 'Por quê',
    actions: 'Ações',
    locked: 'travado',
    forbid: 'Proibir',
    forbidLabel: (a: string, b: string) => `Proibir o par ${a} e ${b}`,
    programWide: 'também nos próximos ciclos',
    lock: 'Travar',
    lockLabel: (a: string, b: string) => `Travar o par ${a} e ${b}`,
    unlock: 'Destravar',
    unlockLabel: (a: string, b: string) => `Destravar o par ${a} e ${b}`,
    exclude: (name: string) => `Excluir ${name}`,
    excludeLabel: (name: string) => `Excluir ${name} deste ciclo`,
    unmatched: 'Sem par',
    noUnmatched: 'Todos os participantes têm par.',
    excluded: 'Excluídos deste ciclo',
    bans: 'Pares proibidos neste ciclo',
    resolve: 'Refazer os pares',
    resolveHelp: 'O algoritmo exato forma os pares de novo: pares travados ficam, pares proibidos e pessoas excluídas ficam de fora.',
    approve: 'Aprovar os pares',
    approveHelp: 'Os convites só saem depois da aprovação.',
    stale: 'Os pares ainda não refletem as últimas proibições ou exclusões: refaça os pares antes de aprovar.',
    pending: (deadline: string, then: string) => `Aguardando aprovação até ${deadline}; depois, ${then}.`,
    then: { approve: 'os pares são aprovados como estão', stop: 'o ciclo é encerrado' },
    decided: (status: string, by?: string) => `Os pares foram ${status}${by ? ` por ${by}` : ''}.`,
    status: { approved: 'aprovados', stopped: 'encerrados' },
    notOpen: 'A identificação ainda não terminou: não há pares para revisar.',
    notRequired: 'Este programa não pede aprovação: os convites saem logo após a identificação.',
    readOnly: 'Seu papel permite ler os pares, mas não alterá-los: o RH proíbe, trava, exclui, refaz e aprova.',
    ended: {
      stopped: 'O ciclo foi interrompido antes da aprovação dos pares: eles não podem mais ser alterados nem aprovados.',
      failed: 'O ciclo falhou antes da aprovação dos pares: eles só podem ser alterados ou aprovados se o ciclo voltar a rodar (tandem executions redrive).',
      succeeded: 'O ciclo terminou: os pares não podem mais ser alterados nem aprovados.',
    },
  },
} as const;

const when = (at: number) =>
  new Date(at)
    .toISOString()
    .replace('T', ' ')
    .replace(/:\d\d\.\d+Z$/, ' UTC');
/**
 * A person's name, bidi-isolated: a name in a right-to-left script, or one holding a direction override such as
 * U+202E, must not reorder what follows it (the id, the partner, the reason). In HTML a <bdi>; in an attribute
 * (an aria-label), where no element can go, the first-strong and pop directional isolates around it.
 */
const isolated = isolatedHtml;
const nameHtml = (p: PersonView) => `${isolated(p.name)} (${escapeHtml(p.participantId)})`;
const nameText = (p: PersonView) => `${isolatedText(p.name)} (${p.participantId})`;
/**
 * The sentence that explains a pair, with each value in it (the names, the skill labels, the departments) isolated
 * on its own: the labels come from the program as stored, and one beginning with U+202E would otherwise reverse the
 * rest of the sentence, the partners' names included.
 */
const explanationHtml = (p: PairView) =>
  explanationParts(p.explanation, namesInExplanation(p.mentor.name, p.mentee.name))
    .map((part) => (part.value ? isolated(part.text) : escapeHtml(part.text)))
    .join('');
/** A translated sentence around a name, escaped, with the name isolated in it. */
const sayingName = (sentence: (name: string) => string, name: string) => escapeHtml(sentence('\u0000')).replace('\u0000', isolated(name));

/** A form of one action; `button.html` is the button's content, already escaped. */
function form(csrfToken: string, action: string, fields: Record<string, string>, button: { html: string; label?: string }, extra = ''): string {
  const hidden = Object.entries({ action, ...fields, csrf: csrfToken })
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const label = button.label ? ` aria-label="${escapeHtml(button.label)}"` : '';
  return `<form method="post" class="inline">${hidden}${extra}<button type="submit"${label}>${button.html}</button></form>`;
}

/**
 * The Pairs page's main content for a cycle, in the reader's language; every name and text is escaped. With
 * `readOnly` (the ops role, which may not post) the review is shown without its forms.
 */
export function renderPairReview(view: PairReviewView, language: Language, csrfToken: string, access: { readOnly: boolean }): string {
  const t = TEXT[language];
  const parts = [`<h1>${sayingName(t.title, view.programName)}</h1>`];
  // A cycle stopped (or failed) while its pairs waited: they stay as they were, and nobody can act on them any more.
  const ended = view.cycleStatus === 'running' ? undefined : t.ended[view.cycleStatus];
  if (view.status === 'not-open' || view.status === 'not-required') {
    parts.push(`<p>${escapeHtml(view.status === 'not-open' ? (ended ?? t.notOpen) : t.notRequired)}</p>`);
    return `<section class="pair-review">${parts.join('\n')}</section>`;
  }
  const waiting = view.status === 'pending' && !ended;
  // The forms only while the pairs wait for approval in a running cycle, and only for a role that may post them.
  const pending = waiting && !access.readOnly;
  // The revision the page shows: every form carries it, and the service refuses a post once the pairs moved on.
  const cycle = { cycleId: view.cycleId, revision: String(view.revision) };
  parts.push(
    `<p role="status">${escapeHtml(
      view.status === 'pending'
        ? (ended ?? t.pending(when(view.deadline as number), t.then[view.onDeadline ?? 'approve']))
        : t.decided(t.status[view.status], view.decidedBy),
    )}</p>`,
  );
  if (waiting && access.readOnly) parts.push(`<p>${escapeHtml(t.readOnly)}</p>`);
  if (waiting && view.stale) parts.push(`<p class="warning"><strong>${escapeHtml(t.stale)}</strong></p>`);

  const rows = view.pairs.map((p) => {
    const pair = { ...cycle, first: p.mentor.participantId, second: p.mentee.participantId };
    const [a, b] = [nameText(p.mentor), nameText(p.mentee)];
    const actions = pending
      ? [
          form(
            csrfToken,
            'forbid',
            pair,
            { html: escapeHtml(t.forbid), label: t.forbidLabel(a, b) },
            `<label><input type="checkbox" name="programWide" value="true"> ${escapeHtml(t.programWide)}</label> `,
          ),
          p.locked
            ? form(csrfToken, 'unlock', pair, { html: escapeHtml(t.unlock), label: t.unlockLabel(a, b) })
            : form(csrfToken, 'lock', pair, { html: escapeHtml(t.lock), label: t.lockLabel(a, b) }),
          ...[p.mentor, p.mentee].map((person) =>
            form(
              csrfToken,
              'exclude',
              { ...cycle, participantId: person.participantId },
              { html: sayingName(t.exclude, person.name), label: t.excludeLabel(nameText(person)) },
            ),
          ),
        ].join('\n')
      : '';
    const criteria = p.criteria
      .map((c) => `<li>${escapeHtml(CRITERIA[language][c.criterion as MatchingWeightKey] ?? c.criterion)}: ${escapeHtml(c.points.toFixed(2))}</li>`)
      .join('');
    return [
      '<tr>',
      `<th scope="row">${nameHtml(p.mentor)}${p.locked ? ` <small>(${escapeHtml(t.locked)})</small>` : ''}</th>`,
      `<td>${nameHtml(p.mentee)}</td>`,
      `<td>${escapeHtml(p.score.toFixed(2))}</td>`,
      `<td><ul>${criteria}</ul></td>`,
      `<td>${explanationHtml(p)}</td>`,
      ...(pending ? [`<td>${actions}</td>`] : []),
      '</tr>',
    ].join('');
  });
  parts.push(
    '<div class="table-scroll" tabindex="0" role="region" aria-labelledby="pairs-caption">',
    `<table><caption id="pairs-caption">${escapeHtml(t.caption(view.pairs.length, view.cycleId))}</caption>`,
    `<thead><tr><th scope="col">${escapeHtml(t.mentor)}</th><th scope="col">${escapeHtml(t.mentee)}</th><th scope="col">${escapeHtml(t.score)}</th><th scope="col">${escapeHtml(t.criteria)}</th><th scope="col">${escapeHtml(t.why)}</th>${pending ? `<th scope="col">${escapeHtml(t.actions)}</th>` : ''}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody></table>`,
    '</div>',
  );

  parts.push(
    `<h2>${escapeHtml(t.unmatched)}</h2>`,
    view.unmatched.length
      ? `<ul>${view.unmatched.map((u) => `<li>${nameHtml(u)}: ${escapeHtmlIsolatingControls(u.reason)}</li>`).join('')}</ul>`
      : `<p>${escapeHtml(t.noUnmatched)}</p>`,
  );
  if (view.excluded.length) parts.push(`<h2>${escapeHtml(t.excluded)}</h2>`, `<ul>${view.excluded.map((p) => `<li>${nameHtml(p)}</li>`).join('')}</ul>`);
  if (view.bans.length)
    parts.push(`<h2>${escapeHtml(t.bans)}</h2>`, `<ul>${view.bans.map(([a, b]) => `<li>${nameHtml(a)} — ${nameHtml(b)}</li>`).join('')}</ul>`);
  if (pending) {
    parts.push(
      `<h2>${escapeHtml(t.resolve)}</h2>`,
      `<p>${escapeHtml(t.resolveHelp)}</p>`,
      form(csrfToken, 'resolve', cycle, { html: escapeHtml(t.resolve) }),
      `<h2>${escapeHtml(t.approve)}</h2>`,
      `<p>${escapeHtml(t.approveHelp)}</p>`,
      form(csrfToken, 'approve', cycle, { html: escapeHtml(t.approve) }),
    );
  }
  return `<section class="pair-review">${parts.join('\n')}</section>`;
}

const base = {
  cycleId: idSchema,
  /** The revision of the pairs the page showed (PairReviewView.revision). */
  revision: z.pipe(
    z.string().check(z.regex(/^\d{1,9}$/, 'must be the revision the page showed, a whole number')),
    z.transform((value: string) => Number(value)),
  ),
  csrf: z.string().check(z.minLength(1, 'is missing')),
};
const pairFields = { ...base, first: idSchema, second: idSchema };

/** A post of one of the Pairs page's forms. */
export const pairReviewFormSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('forbid'),
    ...pairFields,
    programWide: z._default(
      z.pipe(
        z.enum(['true']),
        z.transform(() => true),
      ),
      false,
    ),
  }),
  z.object({ action: z.literal('lock'), ...pairFields }),
  z.object({ action: z.literal('unlock'), ...pairFields }),
  z.object({ action: z.literal('exclude'), ...base, participantId: idSchema }),
  z.object({ action: z.literal('resolve'), ...base }),
  z.object({ action: z.literal('approve'), ...base }),
]);
export type PairReviewCommand = z.output<typeof pairReviewFormSchema>;

/**
 * Parses a form post (the decoded fields) into a review command; unknown actions, malformed
 * ids, a missing revision and a missing csrf field are refused with every problem named. Checking the csrf token
 * against the session is the console's.
 */
export function parsePairReviewForm(fields: Record<string, string | undefined>): PairReviewCommand {
  const parsed = pairReviewFormSchema.safeParse(fields);
  if (!parsed.success) throw new ValidationError('the form post is not a pair-review action', issuesFromZod(parsed.error));
  return parsed.data;
}
