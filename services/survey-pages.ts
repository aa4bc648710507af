import { createHash } from 'node:crypto';
import { escapeHtml } from '../domain/html.ts';
import type { ValidationIssue } from '../domain/errors.ts';
import type { AnsweredPhase, Language } from '../domain/program.ts';
import type { ForumCategory } from './participant-records.ts';

/**
 * The participant pages: server-rendered HTML that works without JavaScript, one column that
 * reads from 320 px up, every control labelled, every form bound to its link (`_bind`).
 */
const t = {
  en: {
    title: { 'goal-setting': 'Set your goals', run: 'Check-in', measure: 'How far did you get?', feedback: 'Feedback forum' },
    invitationTitle: 'Your mentoring pair',
    invitationIntro: (program: string) => `You are invited to ${program}. Here is who you are paired with and what the program expects.`,
    partner: 'Your partner',
    partners: 'Your partners',
    teaches: 'You teach',
    learns: 'You learn',
    programGoals: 'The program’s goals and expectations',
    accept: 'Accept and set my goals',
    declineHeading: 'Cannot take part this cycle?',
    declineHelp: 'Your partner will be paired again with someone else. HR sees the reason, if you give one.',
    reason: 'Reason (optional)',
    decline: 'Decline the pairing',
    goalsHeading: 'Your goals for this cycle (one to three)',
    goal: (i: number) => `Goal ${i}${i > 1 ? ' (optional)' : ''}`,
    baselineHeading: 'Rate your skills today (1 = beginner, 5 = expert)',
    ratingHeading: 'Rate your skills now (1 = beginner, 5 = expert)',
    attainmentHeading: 'How far did you reach each goal? (0-100%)',
    teachSkill: (name: string) => `${name} (you teach)`,
    learnSkill: (name: string) => `${name} (you learn)`,
    checkInQuestion: 'Did you and your partner meet since the last check-in?',
    status: { met: 'We met', 'not-yet': 'Not yet', 'need-help': 'We need help' },
    note: 'Note (optional)',
    feedback: {
      worked: 'What worked?',
      keep: 'What should we keep?',
      more: 'What would you like more of?',
      explore: 'Which areas would you like to explore?',
      missingSkills: 'Skills the organization lacks (comma-separated)',
      improve: 'What should we improve?',
      satisfaction: 'How likely are you to recommend the program to a colleague? (0-10)',
    },
    forumHeading: 'What other participants suggest',
    forumHidden: (n: number) => `Suggestions appear here, without names, once at least five people have answered (${n} so far).`,
    forumEmpty: 'No suggestions yet.',
    vote: 'Add my vote',
    voted: 'You voted',
    votes: (n: number) => `${n} vote${n === 1 ? '' : 's'}`,
    voteFor: (text: string) => `Add my vote to: ${text}`,
    submit: 'Send',
    optOutTitle: 'Leave the program',
    optOutText: (program: string) => `Do you want to leave ${program}? You will get no more emails from it, and your partner will be told by HR.`,
    optOutConfirm: 'Yes, leave the program',
    fix: 'Please fix the following:',
    required: 'required',
    notices: {
      thanks: 'Thank you, your answer is recorded. You can close this page.',
      voted: 'Thank you, your vote is counted.',
      already: 'You have answered this already, so nothing was changed. Thank you!',
      declined: 'You declined this pairing, so nothing more is needed from you in this cycle. Thank you for letting us know.',
      'opted-out': 'You have left the program. You will receive no more emails from it. If this was a mistake, contact your HR team.',
      closed: 'This phase has closed, so answers are no longer accepted and nothing was changed. If you think this is a mistake, contact your HR team.',
      expired: 'This link has expired, so nothing was changed. Look for a newer email from the program, or contact your HR team.',
      invalid: 'This link is not valid, so nothing was changed. Open the link exactly as it appears in your email, or contact your HR team.',
      'wrong-form': 'This form does not belong to this link, so nothing was changed. Open the link from your own email and answer there.',
      missing: 'We could not find this cycle, so nothing was changed. Contact your HR team.',
      error: 'Something went wrong on our side; your answer was not recorded. Please try again in a few minutes.',
      'too-large': 'Your answer is too long to be recorded. Please shorten it and send it again.',
    },
    noticeTitles: {
      thanks: 'Thank you',
      voted: 'Vote counted',
      already: 'Already answered',
      declined: 'Pairing declined',
      'opted-out': 'You left the program',
      closed: 'This phase is closed',
      expired: 'Link expired',
      invalid: 'Link not valid',
      'wrong-form': 'Form not valid for this link',
      missing: 'Not found',
      error: 'Something went wrong',
      'too-large': 'Answer too long',
    },
    problems: [] as Array<[RegExp, string]>,
  },
  'pt-BR': {
    title: { 'goal-setting': 'Defina suas metas', run: 'Acompanhamento', measure: 'Até onde você chegou?', feedback: 'Fórum de feedback' },
    invitationTitle: 'Sua dupla de mentoria',
    invitationIntro: (program: string) => `Você foi convidado(a) para ${program}. Veja com quem formou dupla e o que o programa espera.`,
    partner: 'Sua dupla',
    partners: 'Suas duplas',
    teaches: 'Você ensina',
    learns: 'Você aprende',
    programGoals: 'Metas e expectativas do programa',
    accept: 'Aceitar e definir minhas metas',
    declineHeading: 'Não pode participar deste ciclo?',
    declineHelp: 'Sua dupla será formada de novo com outra pessoa. O RH vê o motivo, se você informar.',
    reason: 'Motivo (opcional)',
    decline: 'Recusar a dupla',
    goalsHeading: 'Suas metas para este ciclo (de uma a três)',
    goal: (i: number) => `Meta ${i}${i > 1 ? ' (opcional)' : ''}`,
    baselineHeading: 'Avalie suas habilidades hoje (1 = iniciante, 5 = especialista)',
    ratingHeading: 'Avalie suas habilidades agora (1 = iniciante, 5 = especialista)',
    attainmentHeading: 'Até onde você chegou em cada meta? (0-100%)',
    teachSkill: (name: string) => `${name} (você ensina)`,
    learnSkill: (name: string) => `${name} (você aprende)`,
    checkInQuestion: 'Você e sua dupla se encontraram desde o último acompanhamento?',
    status: { met: 'Nos encontramos', 'not-yet': 'Ainda não', 'need-help': 'Precisamos de ajuda' },
    note: 'Observação (opcional)',
    feedback: {
      worked: 'O que funcionou?',
      keep: 'O que devemos manter?',
      more: 'Do que você gostaria mais?',
      explore: 'Que áreas você gostaria de explorar?',
      missingSkills: 'Habilidades que faltam na organização (separadas por vírgula)',
      improve: 'O que devemos melhorar?',
      satisfaction: 'Qual a probabilidade de você recomendar o programa a um colega? (0-10)',
    },
    forumHeading: 'O que os outros participantes sugerem',
    forumHidden: (n: number) => `As sugestões aparecem aqui, sem nomes, quando pelo menos cinco pessoas tiverem respondido (${n} até agora).`,
    forumEmpty: 'Nenhuma sugestão ainda.',
    vote: 'Adicionar meu voto',
    voted: 'Você votou',
    votes: (n: number) => `${n} voto${n === 1 ? '' : 's'}`,
    voteFor: (text: string) => `Adicionar meu voto a: ${text}`,
    submit: 'Enviar',
    optOutTitle: 'Sair do programa',
    optOutText: (program: string) => `Você quer sair de ${program}? Você não receberá mais emails do programa, e o RH avisará sua dupla.`,
    optOutConfirm: 'Sim, sair do programa',
    fix: 'Corrija o seguinte:',
    required: 'obrigatório',
    notices: {
      thanks: 'Obrigado, sua resposta foi registrada. Você pode fechar esta página.',
      voted: 'Obrigado, seu voto foi contado.',
      already: 'Você já respondeu, então nada foi alterado. Obrigado!',
      declined: 'Você recusou esta dupla, então não precisa fazer mais nada neste ciclo. Obrigado por avisar.',
      'opted-out': 'Você saiu do programa e não receberá mais emails dele. Se foi um engano, fale com o RH.',
      closed: 'Esta fase foi encerrada e não aceita mais respostas; nada foi alterado. Se achar que é um engano, fale com o RH.',
      expired: 'Este link expirou; nada foi alterado. Procure um email mais recente do programa ou fale com o RH.',
      invalid: 'Este link não é válido; nada foi alterado. Abra o link exatamente como aparece no email ou fale com o RH.',
      'wrong-form': 'Este formulário não pertence a este link; nada foi alterado. Abra o link do seu próprio email e responda lá.',
      missing: 'Não encontramos este ciclo; nada foi alterado. Fale com o RH.',
      error: 'Algo deu errado do nosso lado; sua resposta não foi registrada. Tente de novo em alguns minutos.',
      'too-large': 'Sua resposta é longa demais para ser registrada. Encurte o texto e envie de novo.',
    },
    noticeTitles: {
      thanks: 'Obrigado',
      voted: 'Voto contado',
      already: 'Já respondido',
      declined: 'Dupla recusada',
      'opted-out': 'Você saiu do programa',
      closed: 'Fase encerrada',
      expired: 'Link expirado',
      invalid: 'Link inválido',
      'wrong-form': 'Formulário inválido para este link',
      missing: 'Não encontrado',
      error: 'Algo deu errado',
      'too-large': 'Resposta longa demais',
    },
    problems: [
      [/^is required$/, 'é obrigatório'],
      [/^must be a number$/, 'deve ser um número'],
      [/^must be a whole number$/, 'deve ser um número inteiro'],
      [/^must be (\d+) to (\d+)$/, 'deve ser de $1 a $2'],
      [/^set at least one goal$/, 'defina pelo menos uma meta'],
      [/^set at most three goals$/, 'defina no máximo três metas'],
      [/^must be at most (\d+) characters$/, 'deve ter no máximo $1 caracteres'],
      [/^choose met, not yet or need help$/, 'escolha uma das opções'],
      [/^more than (\d+) fields$/, 'mais de $1 campos'],
      [/^too short|^Too small/, 'está vazio'],
    ] as Array<[RegExp, string]>,
  },
} as const;

export type NoticeKind = keyof (typeof t)['en']['notices'];

const CSS =
  ':root{color-scheme:light}*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;background:#f2f4f3;color:#1a1a1a;line-height:1.5;font-size:1rem}' +
  'main{max-width:40rem;margin:0 auto;padding:1rem;background:#fff;min-height:100vh}h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}' +
  'label{display:block;margin:.75rem 0 .25rem;font-weight:600}input[type=text],input[type=number],textarea,select{font:inherit;width:100%;padding:.6rem;border:1px solid #6b6b6b;border-radius:4px;background:#fff;color:#1a1a1a;min-height:2.75rem}' +
  'textarea{min-height:5rem}fieldset{border:1px solid #8a8a8a;border-radius:6px;margin:1rem 0;padding:.5rem 1rem 1rem}legend{font-weight:700;padding:0 .25rem}' +
  '.choice{display:flex;align-items:center;gap:.6rem;font-weight:400;margin:.5rem 0;padding:.5rem;border:1px solid #c4c4c4;border-radius:6px;min-height:2.75rem}.choice input{width:1.4rem;height:1.4rem;margin:0}' +
  'button{font:inherit;font-weight:700;min-height:2.75rem;padding:.6rem 1.2rem;border-radius:6px;border:2px solid #00664d;background:#00664d;color:#fff;cursor:pointer;margin-top:1rem}' +
  'button.secondary{background:#fff;color:#00664d}button:focus-visible,input:focus-visible,textarea:focus-visible,select:focus-visible,a:focus-visible{outline:3px solid #b35900;outline-offset:2px}' +
  '.errors{border:2px solid #b00020;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}.errors a{color:#b00020}.hint{color:#3d4a45;font-size:.95rem}.goals{white-space:pre-line;background:#f2f4f3;padding:.75rem;border-radius:6px}' +
  'ul.forum{list-style:none;padding:0}ul.forum li{border:1px solid #c4c4c4;border-radius:6px;padding:.5rem .75rem;margin:.5rem 0}ul.forum form{display:inline}ul.forum button{margin-top:.25rem;padding:.35rem .8rem;min-height:2.25rem}.count{color:#3d4a45;font-size:.9rem;margin-left:.25rem}' +
  '.program{color:#3d4a45;font-size:.9rem;margin:0}';

/** The pages' one inline style, allowed by its hash in the Content-Security-Policy (no 'unsafe-inline'). */
export const PAGE_STYLE_HASH = `sha256-${createHash('sha256').update(CSS).digest('base64')}`;

function layout(language: Language, title: string, body: string, programName?: string): string {
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} — Tandem</title>
<style>${CSS}</style>
</head><body><main>${programName ? `<p class="program">${escapeHtml(programName)}</p>` : ''}<h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>`;
}

/** A page that says what happened and what to do. Without a known language (a forged or expired link) it speaks both. */
export function noticePage(language: Language | 'both', kind: NoticeKind, extra = ''): string {
  if (language === 'both') {
    const body = `<p>${escapeHtml(t['pt-BR'].notices[kind])}</p><p lang="en">${escapeHtml(t.en.notices[kind])}</p>`;
    return layout('pt-BR', `${t['pt-BR'].noticeTitles[kind]} / ${t.en.noticeTitles[kind]}`, body);
  }
  const c = t[language];
  return layout(language, c.noticeTitles[kind], `<p role="status">${escapeHtml(c.notices[kind])}</p>${extra}`);
}

/** The hidden fields every form carries: which action it is and the binding to its link. */
const hidden = (action: string, binding: string) =>
  `<input type="hidden" name="_action" value="${escapeHtml(action)}"><input type="hidden" name="_bind" value="${escapeHtml(binding)}">`;

function localProblem(language: Language, problem: string): string {
  for (const [pattern, replacement] of t[language].problems) if (pattern.test(problem)) return problem.replace(pattern, replacement);
  return problem;
}

function errorSummary(language: Language, errors: ValidationIssue[] | undefined, labels: Record<string, { id: string; label: string }>): string {
  if (!errors?.length) return '';
  const c = t[language];
  const items = errors.map((e) => {
    const field = labels[e.where] ?? labels[e.where.split('.')[0] ?? ''];
    const label = field ? `<a href="#${escapeHtml(field.id)}">${escapeHtml(field.label)}</a>` : escapeHtml(e.where);
    return `<li>${label}: ${escapeHtml(localProblem(language, e.problem))}</li>`;
  });
  return `<div class="errors" role="alert"><p><strong>${escapeHtml(c.fix)}</strong></p><ul>${items.join('')}</ul></div>`;
}

export interface InvitationPageInput {
  language: Language;
  action: string;
  binding: string;
  programName: string;
  goalsAndExpectations: string;
  partners: string[];
  teaches: string[];
  learns: string[];
  /** The skills to rate at goal-setting (the accept form is the goal form). */
  skills?: FormPageInput['skills'];
  values?: Record<string, string>;
  errors?: ValidationIssue[];
  reason?: string;
}

/**
 * Goal-setting's first page: the pairing and the program's goals, then one form that accepts the
 * pairing by setting goals and the baseline ("Accept and set my goals"), and a second, small form
 * to decline with an optional reason.
 */
export function invitationPage(input: InvitationPageInput): string {
  return formPage({
    language: input.language,
    phase: 'goal-setting',
    action: input.action,
    binding: input.binding,
    programName: input.programName,
    partners: input.partners,
    skills: input.skills ?? [],
    goals: [],
    ...(input.values ? { values: input.values } : {}),
    ...(input.errors ? { errors: input.errors } : {}),
    invitation: {
      goalsAndExpectations: input.goalsAndExpectations,
      teaches: input.teaches,
      learns: input.learns,
      ...(input.reason !== undefined ? { reason: input.reason } : {}),
    },
  });
}

export interface ForumView {
  /** Whether enough people answered for suggestions to show (at least five). */
  visible: boolean;
  answered: number;
  suggestions: Array<{ id: string; category: ForumCategory; text: string; votes: number; voted: boolean }>;
  /** False once the phase is closed or for the person's own suggestions. */
  canVote: boolean;
}

export function forumSection(language: Language, action: string, binding: string, forum: ForumView): string {
  const c = t[language];
  if (!forum.visible)
    return `<section aria-labelledby="forum"><h2 id="forum">${escapeHtml(c.forumHeading)}</h2><p>${escapeHtml(c.forumHidden(forum.answered))}</p></section>`;
  const groups = (Object.keys(c.feedback) as Array<keyof typeof c.feedback>)
    .filter((k): k is ForumCategory => k !== 'satisfaction')
    .map((category) => {
      const items = forum.suggestions.filter((s) => s.category === category);
      if (!items.length) return '';
      const lis = items.map((s) => {
        const count = `<span class="count">${escapeHtml(c.votes(s.votes))}</span>`;
        const control = s.voted
          ? `<span class="count">${escapeHtml(c.voted)}</span>`
          : forum.canVote
            ? `<form method="post" action="${escapeHtml(action)}">${hidden('vote', binding)}<input type="hidden" name="suggestion" value="${escapeHtml(s.id)}"><button type="submit" class="secondary" aria-label="${escapeHtml(c.voteFor(s.text))}">${escapeHtml(c.vote)}</button></form>`
            : '';
        return `<li><p>${escapeHtml(s.text)}</p>${count} ${control}</li>`;
      });
      return `<h3>${escapeHtml(c.feedback[category])}</h3><ul class="forum">${lis.join('')}</ul>`;
    })
    .join('');
  return `<section aria-labelledby="forum"><h2 id="forum">${escapeHtml(c.forumHeading)}</h2>${groups || `<p>${escapeHtml(c.forumEmpty)}</p>`}</section>`;
}

export interface FormPageInput {
  language: Language;
  phase: AnsweredPhase;
  action: string;
  /** The form's binding to its link (see services/form-binding.ts); verified on POST. */
  binding?: string;
  programName?: string;
  partners: string[];
  /** Skill id → display name, for the ratings; `role` says whether the person teaches or learns it. */
  skills: Array<{ id: string; name: string; role?: 'teach' | 'learn' }>;
  goals: string[];
  values?: Record<string, string>;
  errors?: ValidationIssue[];
  /** Feedback phase: the forum under the form. */
  forum?: ForumView;
  /** Goal-setting before the person accepted: the pairing, the program's goals, and a decline form. */
  invitation?: { goalsAndExpectations: string; teaches: string[]; learns: string[]; reason?: string };
}

export function formPage(input: FormPageInput): string {
  const c = t[input.language];
  const binding = input.binding ?? '';
  const value = (name: string) => escapeHtml(input.values?.[name] ?? '');
  const labels: Record<string, { id: string; label: string }> = {};
  const skillLabel = (s: FormPageInput['skills'][number]) => (s.role === 'teach' ? c.teachSkill(s.name) : s.role === 'learn' ? c.learnSkill(s.name) : s.name);
  const ratingSelect = (prefix: string, s: FormPageInput['skills'][number], i: number) => {
    const name = `${prefix}:${s.id}`;
    const id = `${prefix}-${i}`;
    labels[`${prefix === 'baseline' ? 'baseline' : 'ratings'}.${s.id}`] = { id, label: skillLabel(s) };
    return `<label for="${id}">${escapeHtml(skillLabel(s))}</label><select id="${id}" name="${escapeHtml(name)}" required><option value="">—</option>${[
      1, 2, 3, 4, 5,
    ]
      .map((n) => `<option value="${n}"${input.values?.[name] === String(n) ? ' selected' : ''}>${n}</option>`)
      .join('')}</select>`;
  };
  const sections: string[] = [];
  const inv = input.phase === 'goal-setting' ? input.invitation : undefined;
  const list = (items: string[]) => escapeHtml(items.join(', '));
  if (inv) sections.push(`<p>${escapeHtml(c.invitationIntro(input.programName ?? ''))}</p>`);
  if (input.partners.length)
    sections.push(`<p>${escapeHtml(input.partners.length > 1 ? c.partners : c.partner)}: <strong>${escapeHtml(input.partners.join(', '))}</strong></p>`);
  const fields: string[] = [];
  switch (input.phase) {
    case 'goal-setting':
      labels.goals = { id: 'goal1', label: c.goal(1) };
      [1, 2, 3].forEach((i) => (labels[`goals.${i - 1}`] = { id: `goal${i}`, label: c.goal(i) }));
      fields.push(
        `<fieldset><legend>${escapeHtml(c.goalsHeading)}</legend>${[1, 2, 3]
          .map(
            (i) =>
              `<label for="goal${i}">${escapeHtml(c.goal(i))}</label><input type="text" id="goal${i}" name="goal" maxlength="280"${i === 1 ? ' required' : ''} value="${value(`goal${i}`)}">`,
          )
          .join('')}</fieldset>`,
      );
      if (input.skills.length)
        fields.push(
          `<fieldset><legend>${escapeHtml(c.baselineHeading)}</legend>${input.skills.map((s, i) => ratingSelect('baseline', s, i)).join('')}</fieldset>`,
        );
      break;
    case 'run':
      labels.status = { id: 'status-met', label: c.checkInQuestion };
      labels.note = { id: 'note', label: c.note };
      fields.push(
        `<fieldset><legend>${escapeHtml(c.checkInQuestion)}</legend>${(['met', 'not-yet', 'need-help'] as const)
          .map(
            (s) =>
              `<label class="choice" for="status-${s}"><input type="radio" id="status-${s}" name="status" value="${s}" required${input.values?.status === s ? ' checked' : ''}> ${escapeHtml(c.status[s])}</label>`,
          )
          .join('')}</fieldset><label for="note">${escapeHtml(c.note)}</label><textarea id="note" name="note" maxlength="500">${value('note')}</textarea>`,
      );
      break;
    case 'measure':
      if (input.skills.length)
        fields.push(`<fieldset><legend>${escapeHtml(c.ratingHeading)}</legend>${input.skills.map((s, i) => ratingSelect('rating', s, i)).join('')}</fieldset>`);
      if (input.goals.length) {
        fields.push(
          `<fieldset><legend>${escapeHtml(c.attainmentHeading)}</legend>${input.goals
            .map((g, i) => {
              labels[`goalAttainment.${i}`] = { id: `attainment${i}`, label: g };
              return `<label for="attainment${i}">${escapeHtml(g)}</label><input id="attainment${i}" name="attainment:${i}" type="number" inputmode="numeric" min="0" max="100" step="5" required value="${value(`attainment:${i}`)}">`;
            })
            .join('')}</fieldset>`,
        );
      }
      break;
    case 'feedback':
      fields.push(
        (['worked', 'keep', 'more', 'explore', 'missingSkills', 'improve'] as const)
          .map((f) => {
            labels[f] = { id: f, label: c.feedback[f] };
            return `<label for="${f}">${escapeHtml(c.feedback[f])}</label><textarea id="${f}" name="${f}" maxlength="2000">${value(f)}</textarea>`;
          })
          .join(''),
        `<label for="satisfaction">${escapeHtml(c.feedback.satisfaction)}</label><input id="satisfaction" name="satisfaction" type="number" inputmode="numeric" min="0" max="10" required value="${value('satisfaction')}">`,
      );
      labels.satisfaction = { id: 'satisfaction', label: c.feedback.satisfaction };
      break;
  }
  if (inv) {
    sections.push(
      inv.teaches.length ? `<p><strong>${escapeHtml(c.teaches)}:</strong> ${list(inv.teaches)}</p>` : '',
      inv.learns.length ? `<p><strong>${escapeHtml(c.learns)}:</strong> ${list(inv.learns)}</p>` : '',
      `<h2>${escapeHtml(c.programGoals)}</h2><div class="goals">${escapeHtml(inv.goalsAndExpectations)}</div>`,
    );
    labels.reason = { id: 'reason', label: c.reason };
  }
  sections.push(errorSummary(input.language, input.errors, labels));
  sections.push(
    `<form method="post" action="${escapeHtml(input.action)}">${hidden('answer', binding)}${fields.join('\n')}<button type="submit">${escapeHtml(inv ? c.accept : c.submit)}</button></form>`,
  );
  if (inv) {
    sections.push(
      `<h2>${escapeHtml(c.declineHeading)}</h2><form method="post" action="${escapeHtml(input.action)}">${hidden('decline', binding)}<p class="hint" id="decline-help">${escapeHtml(c.declineHelp)}</p>` +
        `<label for="reason">${escapeHtml(c.reason)}</label><textarea id="reason" name="reason" maxlength="500" aria-describedby="decline-help">${escapeHtml(inv.reason ?? '')}</textarea>` +
        `<button type="submit" class="secondary">${escapeHtml(c.decline)}</button></form>`,
    );
  }
  if (input.forum) sections.push(forumSection(input.language, input.action, binding, input.forum));
  return layout(input.language, inv ? c.invitationTitle : c.title[input.phase], sections.join('\n'), input.programName);
}

/** The confirm page behind the "leave the program" link: GET shows it, only the POST acts. */
export function optOutPage(language: Language, action: string, binding: string, programName: string): string {
  const c = t[language];
  return layout(
    language,
    c.optOutTitle,
    `<p>${escapeHtml(c.optOutText(programName))}</p><form method="post" action="${escapeHtml(action)}">${hidden('opt-out', binding)}<button type="submit">${escapeHtml(c.optOutConfirm)}</button></form>`,
    programName,
  );
}

/** A notice with the forum under it (feedback, after answering). */
export function noticeWithForum(language: Language, kind: NoticeKind, action: string, binding: string, forum: ForumView): string {
  return noticePage(language, kind, forumSection(language, action, binding, forum));
}
