import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeHtmlIsolatingControls, isolatedHtml, isolatedText } from '../../domain/html.ts';
import { LinkSigner } from '../../domain/links.ts';
import type { Program } from '../../domain/program.ts';
import { formFields } from '../../services/console/schema-form.ts';
import { programSchema } from '../../domain/program.ts';
import { programFingerprint } from '../../services/programs.ts';
import { importRoster } from '../../services/roster-import.ts';
import { newCsrfToken, SESSION_COOKIE, SessionCookies, type ConsoleSession } from '../../services/console/session.ts';
import { SAMPLE_ROSTER_CSV, sampleProgram } from '../support/cohort-fixtures.ts';
import { consoleRouter, formValues } from '../support/console-router.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const NOW = Date.UTC(2027, 2, 1, 9);
const signer = new LinkSigner(randomBytes(32).toString('base64url'));
const cookies = new SessionCookies({ session: signer.keyFor('console-session'), signIn: signer.keyFor('console-sign-in') });
const hr: ConsoleSession = { email: 'hr@example.com', role: 'hr', csrf: newCsrfToken(), lang: 'en' };
const RLO = '\u202E';
const CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

/** The HTML with every <bdi> taken out: what is left must hold no direction control, which would then reorder text outside its value. */
const outsideIsolates = (html: string) => html.replace(/<bdi>[^<]*<\/bdi>/g, '');

/** A program stored before labels were checked for direction controls: its negotiation skill's label opens with an override. */
function programWithOverriddenLabel(): Program {
  const program = sampleProgram('bidi-labels');
  return {
    ...program,
    skillsCatalog: program.skillsCatalog.map((s) => (s.id === 'negotiation' ? { ...s, labels: { ...s.labels, 'pt-BR': `${RLO}Negociação` } } : s)),
  };
}

async function signedIn(store: InMemoryStore) {
  const { router } = consoleRouter(store, cookies, NOW);
  const sealed = await cookies.session.seal(hr, NOW);
  return {
    get: (path: string) => router.handle({ method: 'GET', path, query: new URLSearchParams(), cookies: { [SESSION_COOKIE]: sealed } }),
    post: (path: string, entries: Array<[string, string]>) => {
      const form = new FormData();
      form.append('csrf', hr.csrf);
      for (const [name, value] of entries) form.append(name, value);
      return router.handle({ method: 'POST', path, query: new URLSearchParams(), cookies: { [SESSION_COOKIE]: sealed }, form });
    },
  };
}

describe('text that carries stored values', () => {
  it('isolates a value, dropping a pop of an isolate that would close the isolate around it early', () => {
    expect(isolatedHtml(`a\u2069${RLO}<b>`)).toBe(`<bdi>a${RLO}&lt;b&gt;</bdi>`);
    expect(isolatedHtml('\u2067x\u2069\u2069')).toBe('<bdi>\u2067x\u2069</bdi>');
    expect(isolatedText(`a\u2069${RLO}`)).toBe(`\u2068a${RLO}\u2069`);
  });

  it('isolates each word of a sentence that holds a direction control, so it reorders no word after it', () => {
    const html = escapeHtmlIsolatingControls(`"negotiation" (${RLO}Negociação) cannot be removed: 3 people <use> it`);
    expect(html).toBe(`&quot;negotiation&quot; <bdi>(${RLO}Negociação)</bdi> cannot be removed: 3 people &lt;use&gt; it`);
    expect(escapeHtmlIsolatingControls('plain & <simple>')).toBe('plain &amp; &lt;simple&gt;');
  });
});

describe('the console showing a skill label stored with a direction override', () => {
  it('keeps the label from reversing the rest of the program form’s refusal to remove the skill', async () => {
    const store = new InMemoryStore();
    const program = programWithOverriddenLabel();
    await store.putProgram(sampleProgram(program.programId));
    await importRoster(store, { programId: program.programId, text: SAMPLE_ROSTER_CSV, format: 'csv' });
    await store.putProgram(program);
    const { post } = await signedIn(store);
    const edited = { ...program, skillsCatalog: program.skillsCatalog.filter((s) => s.id !== 'negotiation') };
    const entries = [...formValues(formFields(programSchema), edited), ['programFingerprint', programFingerprint(program)] as [string, string]];

    const response = await post(`/console/programs/edit/${program.programId}`, entries);
    expect(response.status).toBe(400);
    const errors = /<div class="errors" role="alert">([\s\S]*?)<\/div>/.exec(response.body)?.[1] ?? '';
    expect(errors).toContain(`<bdi>(${RLO}Negociação)</bdi> cannot be removed:`);
    expect(outsideIsolates(errors)).not.toMatch(CONTROLS);
  });

  it('keeps a review proposal that quotes the label from reversing the rest of its title and reason', async () => {
    const store = new InMemoryStore();
    const program = programWithOverriddenLabel();
    await store.putProgram(program);
    await store.putReview({
      cycleId: 'bidi-labels-c1',
      programId: program.programId,
      startedAt: NOW - 86_400_000,
      generatedAt: NOW,
      reportPath: '/tmp/report.html',
      summary: {
        cycleId: 'bidi-labels-c1',
        startedAt: NOW - 86_400_000,
        members: 24,
        pairs: 12,
        responseRate: { goalSetting: 1, measure: 1, feedback: 1 },
        crossDepartmentShare: 1,
        crossGenerationShare: 1,
        juniorTaughtSeniorMeanGain: null,
        seniorTaughtJuniorMeanGain: null,
        digitalMeanGain: null,
        bothWaysShare: 1,
        goalAttainmentMeanPercent: null,
        checkInAdherence: 1,
        netPromoterScore: 40,
        atRiskPairs: 0,
        departmentLinks: [],
      },
      proposals: [
        {
          id: 'recruit-mentors:negotiation',
          kind: 'recruit-mentors',
          title: `Recruit mentors who offer ${RLO}Negociação`,
          change: null,
          reason: `3 people ask for ${RLO}Negociação, which is in the catalog but offered by nobody in this cohort: invite people who can teach it.`,
          evidence: { figure: `themes.unofferedSkills["${RLO}negociação"].mentions`, value: 3 },
        },
      ],
    });
    const { get } = await signedIn(store);

    const response = await get('/console/report/bidi-labels-c1');
    expect(response.status).toBe(200);
    const proposals = /<ol id="proposals"[^>]*>([\s\S]*?)<\/ol>/.exec(response.body)?.[1] ?? '';
    expect(proposals).toContain(`ask for <bdi>${RLO}Negociação,</bdi> which is in the catalog`);
    expect(outsideIsolates(proposals)).not.toMatch(CONTROLS);
  });

  it('isolates each value in the audit log’s details, so a reason typed with an override reorders nothing after it', async () => {
    const store = new InMemoryStore();
    const program = programWithOverriddenLabel();
    await store.putProgram(program);
    await store.recordAudit({
      auditId: 'a1',
      at: NOW,
      actor: 'hr@example.com',
      via: 'console',
      action: 'cycle.stopped',
      programId: program.programId,
      details: { reason: `${RLO}wrong roster`, pairs: 12 },
    });
    const { get } = await signedIn(store);

    const audit = (await get('/console/audit')).body;
    expect(audit).toContain(`reason=<bdi>${RLO}wrong roster</bdi> pairs=<bdi>12</bdi>`);
    expect(outsideIsolates(/<table id="audit">[\s\S]*<\/table>/.exec(audit)?.[0] ?? '')).not.toMatch(CONTROLS);
  });
});
