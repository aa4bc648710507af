import { createHash } from 'node:crypto';
import { escapeHtml } from '../domain/html.ts';
import type { ValidationIssue } from '../domain/errors.ts';
import type { Language } from '../domain/program.ts';

/**
 * The participant pages: server-rendered HTML that works without JavaScript, one column that
 * reads from 320 px up (text people typed, a goal without spaces or a pasted URL, wraps anywhere:
 * `overflow-wrap` on main, inherited by every paragraph, list item and goal box), every control labelled, every form bound to its link (`_bind`).
 * This file holds what every page shares (layout, notices, the form page around a phase's
 * questions); each phase's questions and texts are in services/phases/<phase>/survey.ts.
 */
const t = {
  en: {
    partner: 'Your partner',
    partners: 'Your partners',
    teachSkill: (name: string) => `${name} (you teach)`,
    learnSkill: (name: string) => `${name} (you learn)`,
    submit: 'Send',
    optOutTitle: 'Leave the program',
    optOutText: (program: string) => `Do you want to leave ${program}? You will get no more emails from it, and your partner will be told by HR.`,
    optOutConfirm: 'Yes, leave the program',
    fix: 'Please fix the following:',
    required: 'required',
    notices: {
      thanks: 'Thank you, your answer is recorded. You can close this page.',
      'goals-recorded': 'Thank you: you accepted the pairing and your goals are recorded.',
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
      joined: 'Thank you for joining! You will get an email once your pair is formed. Until enrollment closes you can change your answers from the same link.',
      'not-joining': 'Thank you for letting us know. Until enrollment closes you can still change your mind from the same link.',
      stopped: 'HR stopped this cycle of the program, so answers are no longer accepted and nothing was changed. If you have questions, contact your HR team.',
      'accepted-already':
        'You accepted this pairing already, so the decline was not recorded. To withdraw now, write to your HR team (your reason is below, to copy), or leave the program with the link at the bottom of the program’s emails.',
      'no-partner': 'Your partner could not take part, and no one free to pair with you could be found yet, so there is no pairing to accept or decline.',
    },
    noticeTitles: {
      thanks: 'Thank you',
      'goals-recorded': 'Pairing accepted',
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
      joined: 'You joined',
      'not-joining': 'Answer recorded',
      'no-partner': 'No partner yet',
      stopped: 'This cycle was stopped',
      'accepted-already': 'Pairing accepted already',
    },
    problems: [] as Array<[RegExp, string]>,
  },
  'pt-BR': {
    partner: 'Sua dupla',
    partners: 'Suas duplas',
    teachSkill: (name: string) => `${name} (você ensina)`,
    learnSkill: (name: string) => `${name} (você aprende)`,
    submit: 'Enviar',
    optOutTitle: 'Sair do programa',
    optOutText: (program: string) => `Você quer sair de ${program}? Você não receberá mais emails do programa, e o RH avisará sua dupla.`,
    optOutConfirm: 'Sim, sair do programa',
    fix: 'Corrija o seguinte:',
    required: 'obrigatório',
    notices: {
      thanks: 'Obrigado, sua resposta foi registrada. Você pode fechar esta página.',
      'goals-recorded': 'Obrigado: você aceitou a dupla e suas metas foram registradas.',
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
      joined:
        'Obrigado por participar! Você receberá um email quando sua dupla for formada. Até o fim das inscrições, você pode mudar suas respostas pelo mesmo link.',
      'not-joining': 'Obrigado por avisar. Até o fim das inscrições, você ainda pode mudar de ideia pelo mesmo link.',
      stopped: 'O RH interrompeu este ciclo do programa; respostas não são mais aceitas e nada foi alterado. Se tiver dúvidas, fale com o RH.',
      'accepted-already':
        'Você já aceitou esta dupla, então a recusa não foi registrada. Para desistir agora, escreva para o RH (seu motivo está abaixo, para copiar) ou saia do programa pelo link no fim dos emails do programa.',
      'no-partner': 'Sua dupla não pôde participar e ainda não encontramos ninguém livre para formar dupla com você; não há dupla para aceitar ou recusar.',
    },
    noticeTitles: {
      thanks: 'Obrigado',
      'goals-recorded': 'Dupla aceita',
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
      joined: 'Inscrição confirmada',
      'not-joining': 'Resposta registrada',
      'no-partner': 'Ainda sem dupla',
      stopped: 'Ciclo interrompido',
      'accepted-already': 'Dupla já aceita',
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
      [/^the (level|priority) must be 1 to 5$/, 'deve ser de 1 a 5'],
      [/^propose at most (\d+) skills$/, 'proponha no máximo $1 habilidades'],
      [/^name at most (\d+) skills$/, 'indique no máximo $1 habilidades'],
      [/^each skill must be at most (\d+) characters$/, 'cada habilidade deve ter no máximo $1 caracteres'],
      [/^is not a language offered$/, 'não é um idioma da lista'],
      [/^choose at least one language$/, 'escolha pelo menos um idioma'],
      [/^choose a time zone from the list$/, 'escolha um fuso horário da lista'],
      [/^is not a slot on the page$/, 'não é um horário da página'],
      [/^choose at least one time when you are available$/, 'escolha pelo menos um horário em que você está disponível'],
      [/^you must agree to the privacy notice to join$/, 'para participar, você precisa concordar com o aviso de privacidade'],
      [/^choose at least one skill to teach or to learn$/, 'escolha pelo menos uma habilidade para ensinar ou aprender'],
      [/^a skill cannot be both taught and learned$/, 'uma habilidade não pode ser ensinada e aprendida ao mesmo tempo'],
      [/^use letters, spaces, hyphens, apostrophes and periods only$/, 'use apenas letras, espaços, hífens, apóstrofos e pontos'],
      [/^must be at least (\d+)$/, 'deve ser pelo menos $1'],
      [/^must be at most (\d+)$/, 'deve ser no máximo $1'],
      [/^must be whole minutes$/, 'deve ser um número inteiro de minutos'],
      [/^must be a date as YYYY-MM-DD$/, 'deve ser uma data no formato AAAA-MM-DD'],
      [/^must be a real date$/, 'deve ser uma data que existe'],
      [/^must not be in the future$/, 'não pode ser no futuro'],
      [/^must be one of your partners$/, 'deve ser uma das suas duplas'],
      [/^is missing: reload the page and send the form again$/, 'está faltando: recarregue a página e envie o formulário de novo'],
      [/^meetings can be logged once the run phase begins$/, 'os encontros podem ser registrados quando a fase de execução começar'],
      [/^must be on or after the day the run began \((\d{4}-\d{2}-\d{2})\)$/, 'deve ser a partir do dia em que a execução começou ($1)'],
      [/^must be on or before the day the run ended \((\d{4}-\d{2}-\d{2})\)$/, 'deve ser até o dia em que a execução terminou ($1)'],
      [
        /^this pair has (\d+) meetings logged on (\d{4}-\d{2}-\d{2}) already, the most one day can hold$/,
        'esta dupla já tem $1 encontros registrados em $2, o máximo que um dia comporta',
      ],
      [
        /^this pair's meetings on (\d{4}-\d{2}-\d{2}) would total more than 24 hours \((\d+) minutes logged already\)$/,
        'os encontros desta dupla em $1 somariam mais de 24 horas ($2 minutos já registrados)',
      ],
      [
        /^this pair's meetings on (\d{4}-\d{2}-\d{2}) reached the day's limits while this one was being logged$/,
        'os encontros desta dupla em $1 atingiram o limite do dia enquanto este era registrado',
      ],
    ] as Array<[RegExp, string]>,
  },
} as const;

export type NoticeKind = keyof (typeof t)['en']['notices'];

const CSS =
  ':root{color-scheme:light}*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;background:#f2f4f3;color:#1a1a1a;line-height:1.5;font-size:1rem}' +
  'main{max-width:40rem;margin:0 auto;padding:1rem;background:#fff;min-height:100vh;overflow-wrap:anywhere}h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}' +
  'label{display:block;margin:.75rem 0 .25rem;font-weight:600}input[type=text],input[type=number],input[type=date],textarea,select{font:inherit;width:100%;padding:.6rem;border:1px solid #6b6b6b;border-radius:4px;background:#fff;color:#1a1a1a;min-height:2.75rem}' +
  'textarea{min-height:5rem}fieldset{border:1px solid #8a8a8a;border-radius:6px;margin:1rem 0;padding:.5rem 1rem 1rem}legend{font-weight:700;padding:0 .25rem}' +
  '.choice{display:flex;align-items:center;gap:.6rem;font-weight:400;margin:.5rem 0;padding:.5rem;border:1px solid #c4c4c4;border-radius:6px;min-height:2.75rem}.choice input{width:1.4rem;height:1.4rem;margin:0}' +
  'button{font:inherit;font-weight:700;min-height:2.75rem;padding:.6rem 1.2rem;border-radius:6px;border:2px solid #00664d;background:#00664d;color:#fff;cursor:pointer;margin-top:1rem}' +
  'button.secondary{background:#fff;color:#00664d}button:focus-visible,input:focus-visible,textarea:focus-visible,select:focus-visible,a:focus-visible{outline:3px solid #b35900;outline-offset:2px}' +
  '.errors{border:2px solid #b00020;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}.errors a{color:#b00020}.hint{color:#3d4a45;font-size:.95rem}.goals{white-space:pre-line;background:#f2f4f3;padding:.75rem;border-radius:6px}' +
  'ul.forum{list-style:none;padding:0}ul.forum li{border:1px solid #c4c4c4;border-radius:6px;padding:.5rem .75rem;margin:.5rem 0}ul.forum form{display:inline}ul.forum button{margin-top:.25rem;padding:.35rem .8rem;min-height:2.25rem}.count{color:#3d4a45;font-size:.9rem;margin-left:.25rem}' +
  '.program{color:#3d4a45;font-size:.9rem;margin:0}[hidden]{display:none!important}.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}' +
  'fieldset.skill{margin:.5rem 0;padding:.25rem .75rem .75rem}fieldset.skill label{font-weight:400;margin:.4rem 0 .1rem}' +
  '.pick{display:grid;grid-template-columns:1fr;gap:0 1rem}@media (min-width:36rem){.pick{grid-template-columns:1fr 1fr}}' +
  '.slots{display:grid;grid-template-columns:repeat(2,1fr);gap:0 .75rem}@media (min-width:36rem){.slots{grid-template-columns:repeat(3,1fr)}}' +
  'input[type=search]{font:inherit;width:100%;padding:.6rem;border:1px solid #6b6b6b;border-radius:4px;min-height:2.75rem}';

/**
 * The pages' one script, allowed by its hash: on the join page it shows a filter box over the
 * skills list (the page works without it: every skill is listed, grouped).
 */
const FILTER_SCRIPT =
  "(function(){var box=document.getElementById('skill-filter-box'),input=document.getElementById('skill-filter');if(!box||!input)return;box.hidden=false;" +
  "var fold=function(s){return s.normalize('NFD').replace(/[\\u0300-\\u036f]/g,'').toLowerCase()};" +
  "input.addEventListener('input',function(){var q=fold(input.value.trim());document.querySelectorAll('fieldset.skill').forEach(function(f){f.hidden=q!==''&&fold(f.getAttribute('data-label')||'').indexOf(q)<0})})})();";

/** The hash that lets the Content-Security-Policy run FILTER_SCRIPT and nothing else. */
export const PAGE_SCRIPT_HASH = `sha256-${createHash('sha256').update(FILTER_SCRIPT).digest('base64')}`;

/** The pages' one inline style, allowed by its hash in the Content-Security-Policy (no 'unsafe-inline'). */
export const PAGE_STYLE_HASH = `sha256-${createHash('sha256').update(CSS).digest('base64')}`;

/** The frame of every participant page (the session page too): language, title, the one stylesheet. */
export function layout(language: Language, title: string, body: string, programName?: string, script = false): string {
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} — Tandem</title>
<style>${CSS}</style>
</head><body><main>${programName ? `<p class="program">${escapeHtml(programName)}</p>` : ''}<h1>${escapeHtml(title)}</h1>
${body}
</main>${script ? `<script>${FILTER_SCRIPT}</script>` : ''}</body></html>`;
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
export const hiddenFields = (action: string, binding: string) =>
  `<input type="hidden" name="_action" value="${escapeHtml(action)}"><input type="hidden" name="_bind" value="${escapeHtml(binding)}">`;

/** A validation problem (written in English where it is found) in the reader's language. */
export function localProblem(language: Language, problem: string): string {
  for (const [pattern, replacement] of t[language].problems) if (pattern.test(problem)) return problem.replace(pattern, replacement);
  return problem;
}

/** Where an issue's field is on the page: issue path (`goals.0`, `baseline.<skill>`) → the control's id and label. */
export type FieldLabels = Record<string, { id: string; label: string }>;

function errorSummary(language: Language, errors: ValidationIssue[] | undefined, labels: FieldLabels): string {
  if (!errors?.length) return '';
  const c = t[language];
  const items = errors.map((e) => {
    const field = labels[e.where] ?? labels[e.where.split('.')[0] ?? ''];
    const label = field ? `<a href="#${escapeHtml(field.id)}">${escapeHtml(field.label)}</a>` : escapeHtml(e.where);
    return `<li>${label}: ${escapeHtml(localProblem(language, e.problem))}</li>`;
  });
  return `<div class="errors" role="alert"><p><strong>${escapeHtml(c.fix)}</strong></p><ul>${items.join('')}</ul></div>`;
}

/** What every phase's form page is drawn from: the person, their pairing, and what they typed. */
export interface FormPageInput {
  language: Language;
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
}

/** A phase's part of its form page; the page around it (partner line, error summary, the form, layout) is shared. */
export interface PhaseFormContent {
  title: string;
  /** Sections before the partner line. */
  intro?: string[];
  /** Sections between the partner line and the error summary. */
  context?: string[];
  /** The answer form's controls. */
  fields: string[];
  /** Every control an issue can name, for the error summary's links. */
  labels: FieldLabels;
  /** The answer form's button (default: "Send"). */
  submit?: string;
  /** Sections after the answer form (another form, the forum). */
  after?: string[];
  /** Adds the page's filter script (the join page's skill filter). */
  script?: boolean;
}

/** A value the person typed, escaped for an attribute or a textarea. */
export const typedValue = (input: FormPageInput, name: string) => escapeHtml(input.values?.[name] ?? '');

/**
 * One 1-5 rating per skill: controls named `<name>:<skill>`, and the labels their issues
 * (`<issuePath>.<skill>`) link to.
 */
export function ratingSelects(input: FormPageInput, labels: FieldLabels, name: string, issuePath: string): string {
  const c = t[input.language];
  const skillLabel = (s: FormPageInput['skills'][number]) => (s.role === 'teach' ? c.teachSkill(s.name) : s.role === 'learn' ? c.learnSkill(s.name) : s.name);
  return input.skills
    .map((s, i) => {
      const control = `${name}:${s.id}`;
      const id = `${name}-${i}`;
      labels[`${issuePath}.${s.id}`] = { id, label: skillLabel(s) };
      return `<label for="${id}">${escapeHtml(skillLabel(s))}</label><select id="${id}" name="${escapeHtml(control)}" required><option value="">—</option>${[
        1, 2, 3, 4, 5,
      ]
        .map((n) => `<option value="${n}"${input.values?.[control] === String(n) ? ' selected' : ''}>${n}</option>`)
        .join('')}</select>`;
    })
    .join('');
}

/** The id of a form page's answer form (the feedback forum's vote buttons send it: services/phases/feedback/forum.ts). */
export const ANSWER_FORM_ID = 'answer-form';

/** A phase's form page: its questions inside the shared page, the answer form bound to the link. */
export function formPage(input: FormPageInput, content: PhaseFormContent): string {
  const c = t[input.language];
  const binding = input.binding ?? '';
  const sections: string[] = [...(content.intro ?? [])];
  if (input.partners.length)
    sections.push(`<p>${escapeHtml(input.partners.length > 1 ? c.partners : c.partner)}: <strong>${escapeHtml(input.partners.join(', '))}</strong></p>`);
  sections.push(...(content.context ?? []));
  sections.push(errorSummary(input.language, input.errors, content.labels));
  sections.push(
    `<form method="post" action="${escapeHtml(input.action)}" id="${ANSWER_FORM_ID}">${hiddenFields('answer', binding)}${content.fields.join('\n')}<button type="submit">${escapeHtml(content.submit ?? c.submit)}</button></form>`,
  );
  sections.push(...(content.after ?? []));
  return layout(input.language, content.title, sections.join('\n'), input.programName, content.script);
}

/** The confirm page behind the "leave the program" link: GET shows it, only the POST acts. */
export function optOutPage(language: Language, action: string, binding: string, programName: string): string {
  const c = t[language];
  return layout(
    language,
    c.optOutTitle,
    `<p>${escapeHtml(c.optOutText(programName))}</p><form method="post" action="${escapeHtml(action)}">${hiddenFields('opt-out', binding)}<button type="submit">${escapeHtml(c.optOutConfirm)}</button></form>`,
    programName,
  );
}
