import { escapeHtml } from '../domain/html.ts';
import type { ValidationIssue } from '../domain/errors.ts';
import type { AnsweredPhase, Language } from '../domain/program.ts';

const t = {
  en: {
    title: { 'goal-setting': 'Set your goals', run: 'Check-in', measure: 'How far did you get?', feedback: 'Feedback' },
    partner: 'Your partner',
    goalsHeading: 'Your goals for this cycle (one to three)',
    goal: (i: number) => `Goal ${i}`,
    baselineHeading: 'Rate your skills today (1 = beginner, 5 = expert)',
    ratingHeading: 'Rate your skills now (1 = beginner, 5 = expert)',
    attainmentHeading: 'How far did you reach each goal? (0-100%)',
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
    submit: 'Send',
    fix: 'Please fix the following:',
    thanks: 'Thank you, your answer is recorded.',
    already: 'You have answered this already. Thank you!',
    closed: 'This phase has closed, so answers are no longer accepted. If you think this is a mistake, contact your HR team.',
    expired: 'This link has expired. Look for a newer email from the program, or contact your HR team.',
    invalid: 'This link is not valid. Open the link exactly as it appears in your email, or contact your HR team.',
    missing: 'We could not find this cycle. Contact your HR team.',
    error: 'Something went wrong on our side; your answer was not recorded. Please try again in a few minutes.',
  },
  'pt-BR': {
    title: { 'goal-setting': 'Defina suas metas', run: 'Acompanhamento', measure: 'Até onde você chegou?', feedback: 'Feedback' },
    partner: 'Sua dupla',
    goalsHeading: 'Suas metas para este ciclo (de uma a três)',
    goal: (i: number) => `Meta ${i}`,
    baselineHeading: 'Avalie suas habilidades hoje (1 = iniciante, 5 = especialista)',
    ratingHeading: 'Avalie suas habilidades agora (1 = iniciante, 5 = especialista)',
    attainmentHeading: 'Até onde você chegou em cada meta? (0-100%)',
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
    submit: 'Enviar',
    fix: 'Corrija o seguinte:',
    thanks: 'Obrigado, sua resposta foi registrada.',
    already: 'Você já respondeu. Obrigado!',
    closed: 'Esta fase foi encerrada e não aceita mais respostas. Se achar que é um engano, fale com o RH.',
    expired: 'Este link expirou. Procure um email mais recente do programa ou fale com o RH.',
    invalid: 'Este link não é válido. Abra o link exatamente como aparece no email ou fale com o RH.',
    missing: 'Não encontramos este ciclo. Fale com o RH.',
    error: 'Algo deu errado do nosso lado; sua resposta não foi registrada. Tente de novo em alguns minutos.',
  },
} as const;

export type NoticeKind = 'thanks' | 'already' | 'closed' | 'expired' | 'invalid' | 'missing' | 'error';

function page(language: Language, title: string, body: string): string {
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Tandem</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:1.5rem auto;padding:0 1rem;line-height:1.5;color:#111}label{display:block;margin:.6rem 0 .2rem;font-weight:600}input,textarea,select{font:inherit;width:100%;box-sizing:border-box;padding:.4rem}fieldset{border:1px solid #bbb;margin:1rem 0}button{font:inherit;padding:.6rem 1.2rem;background:#075;color:#fff;border:0;border-radius:4px;margin-top:1rem}.errors{border:2px solid #b00;padding:.5rem 1rem}</style>
</head><body><main><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>`;
}

export function noticePage(language: Language, kind: NoticeKind): string {
  const c = t[language];
  return page(language, 'Tandem', `<p>${escapeHtml(c[kind])}</p>`);
}

export interface FormPageInput {
  language: Language;
  phase: AnsweredPhase;
  action: string;
  partners: string[];
  /** Skill id → display name, for the ratings. */
  skills: Array<{ id: string; name: string }>;
  goals: string[];
  values?: Record<string, string>;
  errors?: ValidationIssue[];
}

export function formPage(input: FormPageInput): string {
  const c = t[input.language];
  const value = (name: string) => escapeHtml(input.values?.[name] ?? '');
  const ratingSelect = (name: string, label: string) =>
    `<label for="${escapeHtml(name)}">${escapeHtml(label)}</label><select id="${escapeHtml(name)}" name="${escapeHtml(name)}" required><option value=""></option>${[1, 2, 3, 4, 5]
      .map((n) => `<option${input.values?.[name] === String(n) ? ' selected' : ''}>${n}</option>`)
      .join('')}</select>`;
  const sections: string[] = [];
  if (input.partners.length) sections.push(`<p>${escapeHtml(c.partner)}: ${escapeHtml(input.partners.join(', '))}</p>`);
  if (input.errors?.length) {
    sections.push(`<div class="errors" role="alert"><p>${escapeHtml(c.fix)}</p><ul>${input.errors.map((e) => `<li>${escapeHtml(e.where)}: ${escapeHtml(e.problem)}</li>`).join('')}</ul></div>`);
  }
  switch (input.phase) {
    case 'goal-setting':
      sections.push(
        `<fieldset><legend>${escapeHtml(c.goalsHeading)}</legend>${[1, 2, 3]
          .map((i) => `<label for="goal${i}">${escapeHtml(c.goal(i))}</label><input id="goal${i}" name="goal" maxlength="280"${i === 1 ? ' required' : ''} value="${value(`goal${i}`)}">`)
          .join('')}</fieldset>`,
        `<fieldset><legend>${escapeHtml(c.baselineHeading)}</legend>${input.skills.map((s) => ratingSelect(`baseline:${s.id}`, s.name)).join('')}</fieldset>`,
      );
      break;
    case 'run':
      sections.push(
        `<fieldset><legend>${escapeHtml(c.title.run)}</legend>${(['met', 'not-yet', 'need-help'] as const)
          .map((s) => `<label><input type="radio" name="status" value="${s}" required style="width:auto"> ${escapeHtml(c.status[s])}</label>`)
          .join('')}</fieldset><label for="note">${escapeHtml(c.note)}</label><textarea id="note" name="note" maxlength="500">${value('note')}</textarea>`,
      );
      break;
    case 'measure':
      sections.push(
        `<fieldset><legend>${escapeHtml(c.ratingHeading)}</legend>${input.skills.map((s) => ratingSelect(`rating:${s.id}`, s.name)).join('')}</fieldset>`,
        `<fieldset><legend>${escapeHtml(c.attainmentHeading)}</legend>${input.goals
          .map((g, i) => `<label for="attainment${i}">${escapeHtml(g)}</label><input id="attainment${i}" name="attainment:${i}" type="number" min="0" max="100" step="5" required value="${value(`attainment:${i}`)}">`)
          .join('')}</fieldset>`,
      );
      break;
    case 'feedback':
      sections.push(
        (['worked', 'keep', 'more', 'explore', 'missingSkills', 'improve'] as const)
          .map((f) => `<label for="${f}">${escapeHtml(c.feedback[f])}</label><textarea id="${f}" name="${f}" maxlength="2000">${value(f)}</textarea>`)
          .join(''),
        `<label for="satisfaction">${escapeHtml(c.feedback.satisfaction)}</label><input id="satisfaction" name="satisfaction" type="number" min="0" max="10" required value="${value('satisfaction')}">`,
      );
      break;
  }
  return page(
    input.language,
    c.title[input.phase],
    `<form method="post" action="${escapeHtml(input.action)}">${sections.join('\n')}<button type="submit">${escapeHtml(c.submit)}</button></form>`,
  );
}
