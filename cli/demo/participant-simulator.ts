import pLimit, { type LimitFunction } from 'p-limit';
import { capturedEmails, type CapturedEmail } from '../../local/ses-local.ts';
import { seededRandom } from '../../domain/roster-generator.ts';

/**
 * How a simulated person behaves: answers at once, only when reminded, or never; declines the
 * pairing at goal-setting ('decliner'), or declines the invitation to enrollment ('not-joining').
 */
export type Persona = 'prompt' | 'late' | 'silent' | 'decliner' | 'not-joining';

export interface SimulatorStats {
  emailsSeen: number;
  linksOpened: number;
  answersRecorded: number;
  declined: number;
  /** Join pages answered "join" (enrollment). */
  joined: number;
  votes: number;
  /** Meetings logged on pair pages (the introduction's link). */
  meetingsLogged: number;
  rejected: number;
  /** Clicks that never got an answer (the connection failed twice): the person gives up on that email. */
  unanswered: number;
}

const LINK = /https?:\/\/[^\s"'<>]+\/s\/[A-Za-z0-9._-]+/;
const FORM = /<form\b[^>]*>([\s\S]*?)<\/form>/g;
const CONTROL = /<(input|select|textarea)\b([^>]*)>/g;
const SELECT = /<select\b([^>]*)>([\s\S]*?)<\/select>/g;
const SELECTED = /<option value="([^"]*)" selected>|<option selected>([^<]*)</;
const JOIN_SUBJECT = /join the mentoring program|participe do programa de mentoria/;

interface FormControl {
  name: string;
  type: string;
  value: string;
  /** A checkbox ticked, or the option a select shows selected (the page's pre-filled answer). */
  checked?: boolean;
  selected?: string;
}

const attr = (attrs: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(attrs)?.[1];
const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The forms of a page, each as its controls (hidden fields with their values), keyed by the form's `_action`. */
function formsOf(html: string): Map<string, FormControl[]> {
  const forms = new Map<string, FormControl[]>();
  for (const [, inner] of html.matchAll(FORM)) {
    const selected = new Map(
      [...(inner ?? '').matchAll(SELECT)].map(([, attrs, options]) => {
        const match = SELECTED.exec(options ?? '');
        return [unescape(attr(attrs ?? '', 'name') ?? ''), unescape(match?.[1] ?? match?.[2] ?? '')] as const;
      }),
    );
    const controls = [...(inner ?? '').matchAll(CONTROL)].map(([, tag, attrs]): FormControl => {
      const name = unescape(attr(attrs ?? '', 'name') ?? '');
      return {
        name,
        type: tag === 'input' ? (attr(attrs ?? '', 'type') ?? 'text') : (tag as string),
        value: unescape(attr(attrs ?? '', 'value') ?? ''),
        checked: /\schecked\b/.test(attrs ?? ''),
        selected: selected.get(name) ?? '',
      };
    });
    const action = controls.find((c) => c.name === '_action')?.value ?? 'answer';
    if (action === 'vote') forms.set(`vote:${forms.size}`, controls);
    else forms.set(action, controls);
  }
  return forms;
}

const FEEDBACK_TEXT = {
  en: [
    'Meeting every two weeks kept us going',
    'The pairing across departments',
    'More time for hands-on practice',
    'Data privacy and AI ethics',
    'Clearer goals from the start',
  ],
  pt: [
    'Os encontros quinzenais mantiveram o ritmo',
    'A dupla entre departamentos',
    'Mais tempo para prática',
    'Privacidade de dados e ética em IA',
    'Metas mais claras desde o início',
  ],
};
const MISSING_SKILLS = ['machine learning', 'design thinking', 'data privacy', 'video editing', 'project finance'];

/**
 * Plays the participants of a demo cycle: reads each email in the local SES inbox, follows its
 * link over HTTP like a person clicking it, fills the form and posts it. Some people answer at
 * once, some only after a reminder, some never, so reminders and deadlines are exercised.
 */
export class ParticipantSimulator {
  readonly stats: SimulatorStats = {
    emailsSeen: 0,
    linksOpened: 0,
    answersRecorded: 0,
    declined: 0,
    joined: 0,
    votes: 0,
    meetingsLogged: 0,
    rejected: 0,
    unanswered: 0,
  };
  private readonly seen = new Set<string>();
  private readonly baselines = new Map<string, Map<string, number>>();
  private readonly random = seededRandom(2027);
  private stopped = false;
  private since: number | undefined;
  private running: Promise<void> | undefined;
  /** A few answers at a time, like people at their desks. */
  private readonly limit: LimitFunction;

  constructor(
    private readonly sesEndpoint: string,
    private readonly personaOf: (email: string) => Persona,
    concurrency = 8,
  ) {
    this.limit = pLimit(concurrency);
  }

  start(pollMs = 250): void {
    this.running = (async () => {
      while (!this.stopped) {
        // The inbox unreachable for a moment (a reset connection): read it again at the next poll.
        await this.pollOnce().catch((error: unknown) => {
          if (!(error instanceof TypeError)) throw error;
        });
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  async pollOnce(): Promise<void> {
    // Ask only for recent mail (the inbox filters by whole seconds, so overlap one and de-duplicate).
    const recent = await capturedEmails(this.sesEndpoint, this.since === undefined ? undefined : this.since - 1);
    const fresh = recent.filter((e) => !this.seen.has(e.messageId));
    fresh.forEach((e) => {
      this.seen.add(e.messageId);
      this.since = Math.max(this.since ?? 0, e.at);
    });
    this.stats.emailsSeen += fresh.length;
    const work = fresh.filter((email) => this.wantsToAnswer(email));
    await this.limit.map(work, async (email) => {
      try {
        await this.answer(email);
      } catch (error) {
        // A connection that failed twice (a loaded host resets some): this person gives up on this email; the demo goes on.
        if (!(error instanceof TypeError)) throw error;
        this.stats.unanswered++;
      }
    });
  }

  private wantsToAnswer(email: CapturedEmail): boolean {
    const to = email.destination.to[0] ?? '';
    const text = email.body.text ?? '';
    if (!LINK.test(text)) return false;
    const reminder = /^(Reminder|Lembrete):/.test(email.subject);
    const persona = this.personaOf(to);
    if (persona === 'silent') return false;
    if (JOIN_SUBJECT.test(email.subject)) return persona === 'late' ? reminder : !reminder;
    if (persona === 'decliner') return /meet your partner|conheça sua dupla/.test(email.subject) && !reminder;
    if (persona === 'late') return reminder || (/check-in|acompanhamento/i.test(email.subject) && this.random() < 0.5);
    return true;
  }

  private async answer(email: CapturedEmail): Promise<void> {
    const link = LINK.exec(email.body.text ?? '')?.[0];
    if (!link) return;
    this.stats.linksOpened++;
    const person = email.destination.to[0] ?? '';
    const page = await fetchOnceMore(link);
    let html = await page.text();
    if (!page.ok) return;
    const language = html.includes('lang="pt-BR"') ? 'pt' : 'en';
    let forms = formsOf(html);
    const post = async (controls: FormControl[], fill: (form: URLSearchParams) => void) => {
      const form = new URLSearchParams();
      controls.filter((c) => c.type === 'hidden').forEach((c) => form.append(c.name, c.value));
      fill(form);
      const response = await fetchOnceMore(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
      return { ok: response.ok, html: await response.text() };
    };
    // Enrollment's join page: join with the skills it shows pre-filled (or some picked now), or decline the invitation.
    if (forms.get('answer')?.some((c) => c.name === 'consent')) {
      await this.join(person, language, forms, post);
      return;
    }
    // Goal-setting starts with the pairing: accept it (or, for a decliner, decline it with a reason).
    const decline = forms.get('decline');
    if (decline && this.personaOf(person) === 'decliner') {
      const result = await post(decline, (form) => form.append('reason', language === 'pt' ? 'Estou de licença neste ciclo' : 'I am on leave this cycle'));
      if (result.ok) this.stats.declined++;
      else this.stats.rejected++;
      return;
    }
    const accept = forms.get('accept');
    if (accept) {
      const result = await post(accept, () => undefined);
      if (!result.ok) {
        this.stats.rejected++;
        return;
      }
      html = result.html;
      forms = formsOf(html);
    }
    // The introduction links to the pair page: log a first meeting there, with what was worked on.
    const meetingForm = forms.get('log-meeting');
    if (meetingForm) {
      const skills = meetingForm.filter((c) => c.type === 'checkbox' && c.name === 'skill');
      const result = await post(meetingForm, (form) => {
        // The date the page offers is today where the person is: UTC's date is tomorrow there for part of the day (refused as the future).
        const today = meetingForm.find((c) => c.name === 'date')?.value;
        form.append('date', today || new Date().toISOString().slice(0, 10));
        form.append('minutes', String(30 + 15 * Math.floor(this.random() * 3)));
        skills.filter(() => this.random() < 0.6).forEach((c) => form.append('skill', c.value));
      });
      if (result.ok) this.stats.meetingsLogged++;
      else this.stats.rejected++;
      return;
    }
    const answerForm = forms.get('answer');
    if (!answerForm) return;
    const fields = answerForm.filter((c) => c.type !== 'hidden').map((c) => c.name);
    const body = new URLSearchParams(this.fill(person, fields, language));
    const result = await post(answerForm, (form) => body.forEach((value, name) => form.append(name, value)));
    if (result.ok && /Thank you|Obrigad/.test(result.html)) this.stats.answersRecorded++;
    else this.stats.rejected++;
    // In the feedback forum, add a vote to another person's suggestion now and then.
    const votes = [...formsOf(result.html).entries()].filter(([key]) => key.startsWith('vote:'));
    if (votes.length && this.random() < 0.6) {
      const [, controls] = votes[Math.floor(this.random() * votes.length)] as [string, FormControl[]];
      const vote = await post(controls, () => undefined);
      if (vote.ok) this.stats.votes++;
    }
  }

  /** Answers the join page through its forms: a not-joining person declines, everyone else joins as the page pre-fills them. */
  private async join(
    person: string,
    language: 'en' | 'pt',
    forms: Map<string, FormControl[]>,
    post: (controls: FormControl[], fill: (form: URLSearchParams) => void) => Promise<{ ok: boolean; html: string }>,
  ): Promise<void> {
    const joinForm = forms.get('answer') as FormControl[];
    const declineForm = forms.get('decline');
    if (this.personaOf(person) === 'not-joining' && declineForm) {
      const result = await post(declineForm, (form) => form.append('reason', language === 'pt' ? 'Sem tempo neste semestre' : 'No time this semester'));
      if (result.ok) this.stats.declined++;
      else this.stats.rejected++;
      return;
    }
    const r = this.random;
    const skills = joinForm.filter((c) => /^(teach|learn):/.test(c.name));
    const picked = skills.filter((c) => c.selected);
    const result = await post(joinForm, (form) => {
      for (const c of joinForm) {
        if (c.type === 'text' && c.name !== 'proposed') form.append(c.name, c.value);
        if (c.type === 'checkbox' && c.checked) form.append(c.name, c.value);
        if (c.name === 'timeZone') form.append(c.name, c.selected || 'America/Sao_Paulo');
      }
      if (picked.length) picked.forEach((c) => form.append(c.name, c.selected as string));
      else {
        // Nothing on the roster: teach one skill and learn another, picked at random.
        const teach = skills.filter((c) => c.name.startsWith('teach:'));
        const one = teach[Math.floor(r() * teach.length)]?.name.slice(6);
        const other = teach.map((c) => c.name.slice(6)).find((s) => s !== one);
        if (one) form.append(`teach:${one}`, String(3 + Math.floor(r() * 3)));
        if (other) form.append(`learn:${other}`, String(2 + Math.floor(r() * 4)));
      }
      if (r() < 0.3) form.append('proposed', MISSING_SKILLS[Math.floor(r() * MISSING_SKILLS.length)] as string);
      if (!joinForm.some((c) => c.name === 'language' && c.checked)) form.append('language', language);
      const slots = joinForm.filter((c) => c.name === 'slot');
      for (const slot of slots.filter(() => r() < 0.2).slice(0, 4)) form.append('slot', slot.value);
      if (!form.has('slot') && slots[0]) form.append('slot', slots[Math.floor(r() * slots.length)]?.value ?? slots[0].value);
      if (!form.has('consent')) form.append('consent', 'yes');
    });
    if (result.ok && /You joined|Inscrição confirmada/.test(result.html)) {
      this.stats.answersRecorded++;
      this.stats.joined++;
    } else this.stats.rejected++;
  }

  /** Plausible answers for whatever the form asks. */
  private fill(person: string, fields: string[], language: 'en' | 'pt'): string {
    const form = new URLSearchParams();
    const r = this.random;
    const baseline = this.baselines.get(person) ?? new Map<string, number>();
    this.baselines.set(person, baseline);
    const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)] as T;
    for (const name of new Set(fields)) {
      if (name === 'goal') {
        form.append('goal', language === 'pt' ? 'Usar ferramentas de IA no dia a dia' : 'Use AI assistants in my daily work');
        form.append('goal', language === 'pt' ? 'Conduzir uma negociação com confiança' : 'Lead a negotiation with confidence');
      } else if (name.startsWith('baseline:')) {
        const level = 1 + Math.floor(r() * 3);
        baseline.set(name.slice(9), level);
        form.append(name, String(level));
      } else if (name.startsWith('rating:')) {
        const before = baseline.get(name.slice(7)) ?? 2;
        form.append(name, String(Math.min(5, before + Math.floor(r() * 3))));
      } else if (name.startsWith('attainment:')) {
        form.append(name, String(40 + 10 * Math.floor(r() * 7)));
      } else if (name === 'status') {
        const roll = r();
        form.append(name, roll < 0.75 ? 'met' : roll < 0.95 ? 'not-yet' : 'need-help');
      } else if (name === 'note') {
        form.append(name, '');
      } else if (name === 'satisfaction') {
        form.append(name, String(6 + Math.floor(r() * 5)));
      } else if (name === 'missingSkills') {
        form.append(name, pick(MISSING_SKILLS));
      } else if (['worked', 'keep', 'more', 'explore', 'improve'].includes(name)) {
        form.append(name, pick(FEEDBACK_TEXT[language]));
      }
    }
    return form.toString();
  }
}

/**
 * fetch, tried once more when the connection fails (fetch's TypeError): a kept-alive connection
 * the server closed at that moment fails so. Posting again is safe: an answer is recorded once.
 */
async function fetchOnceMore(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return fetch(url, init);
  }
}

/** Roughly one in eight people answers only when reminded and one in eight never answers ('decliner' is for tests of the rematch). */
export function personaForIndex(index: number): Persona {
  return index % 8 === 3 ? 'late' : index % 8 === 6 ? 'silent' : 'prompt';
}

/** As personaForIndex, and one in eight more declines the invitation to enrollment (for cycles that open with it). */
export function enrollmentPersonaForIndex(index: number): Persona {
  return index % 8 === 5 ? 'not-joining' : personaForIndex(index);
}
