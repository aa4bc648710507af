import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { StepFunctionsWorkflow } from '../../adapters/stepfunctions/sfn-workflow.ts';
import { pairKey } from '../../domain/matching/hard-rules.ts';
import { newCycle } from '../../domain/cycle.ts';
import { parseColumnMappingJson, ROSTER_COLUMNS } from '../../domain/roster.ts';
import { parseSessionInput } from '../../domain/sessions.ts';
import { saveRosterMapping } from '../../services/roster-mappings.ts';
import { stopCycle } from '../../services/cycles.ts';
import { pairReview } from '../../services/phases/approval/review.ts';
import { createProgramWithRoster, readUntil, sfnClient, startTestCycle, testProgram, testRosterCsv, uniqueTag, waitForExecution } from '../support/fixtures.ts';
import { axeViolations, launchChromium, SCREENSHOTS_DIR, scrollWidth } from './browser-support.ts';

/**
 * The console in Chromium, signed in through the local OpenID Connect provider as the demo HR
 * and ops users. Screenshots of every page go to docs/screenshots/console-<page>[-desktop].png.
 */

describe('the console in Chromium', () => {
  let browser: Browser;
  const base = () => inject('localStack').endpoints.survey;
  const user = (group: 'hr' | 'ops') => inject('localStack').consoleUsers.find((u) => u.groups.includes(group))!;
  let reviewed: { cycleId: string; programId: string };
  let hr: BrowserContext;

  async function signIn(group: 'hr' | 'ops', path = '/console'): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base()}${path}`);
    // The console sent the browser to the issuer's login page.
    expect(new URL(page.url()).origin).toBe(inject('localStack').endpoints.oidc);
    await page.fill('#email', user(group).email);
    await page.fill('#password', user(group).password);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => url.pathname.startsWith('/console/'));
    return { context, page };
  }

  /** axe-clean at 360 px and at desktop width, nothing wider than the phone, and a screenshot of each. */
  async function check(page: Page, name: string): Promise<void> {
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    for (const [width, suffix] of [
      [360, ''],
      [1280, '-desktop'],
    ] as const) {
      await page.setViewportSize({ width, height: 800 });
      expect(await axeViolations(page), `${name} at ${width} px`).toEqual([]);
      if (width === 360) expect(await scrollWidth(page), `${name} is wider than 360 px`).toBeLessThanOrEqual(360);
      await page.screenshot({ path: resolve(SCREENSHOTS_DIR, `console-${name}${suffix}.png`), fullPage: true });
    }
  }

  /** As check, without screenshots: for states of a page the documentation does not show. */
  async function accessible(page: Page, name: string): Promise<void> {
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      expect(await axeViolations(page), `${name} at ${width} px`).toEqual([]);
      if (width === 360) expect(await scrollWidth(page), `${name} is wider than 360 px`).toBeLessThanOrEqual(360);
    }
  }

  beforeAll(async () => {
    browser = await launchChromium();
    // A cycle that has run to its review, so the report page has proposals (nobody answered: longer windows are proposed).
    const tag = uniqueTag('console-review');
    await createProgramWithRoster(tag);
    const cycle = await startTestCycle(tag);
    await waitForExecution(cycle.executionArn as string);
    reviewed = { cycleId: cycle.cycleId, programId: tag };
    hr = (await signIn('hr')).context;
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('signs out of the identity provider too, so that the next sign-in on the same browser asks for the password', async () => {
    const { context, page } = await signIn('ops');
    const oidc = inject('localStack').endpoints.oidc;
    const copied = (await context.cookies(`${base()}/console/ops`)).find((c) => c.name === 'tandem_console');
    expect(copied).toBeDefined();
    await page.click('form[action="/console/sign-out"] button[type=submit]');
    // Through the provider's sign-out, which confirms itself, and back to the console.
    await page.waitForURL((url) => url.pathname === '/console/signed-out');
    expect((await context.cookies(base())).map((c) => c.name)).not.toContain('tandem_console');

    await page.goto(`${base()}/console/ops`);
    expect(new URL(page.url()).origin).toBe(oidc);
    expect(await page.locator('#password').count()).toBe(1);
    await context.close();

    // A copy of the cookie taken before the sign-out (another browser, a shared profile) is signed out too.
    const elsewhere = await browser.newContext();
    await elsewhere.addCookies([copied as NonNullable<typeof copied>]);
    const withCopy = await elsewhere.newPage();
    await withCopy.goto(`${base()}/console/ops`);
    expect(new URL(withCopy.url()).origin).toBe(oidc);
    await elsewhere.close();
  });

  it('sends a browser without a session to the sign-in, and sets the session cookie HttpOnly, Secure and SameSite=Lax', async () => {
    const cookies = await hr.cookies(`${base()}/console/programs`);
    const session = cookies.find((c) => c.name === 'tandem_console');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/console' });
  });

  it('lets HR create a program through the form, naming each problem at its field first', async () => {
    const page = await hr.newPage();
    await page.goto(`${base()}/console/programs`);
    await check(page, 'programs');
    await page.goto(`${base()}/console/programs/new`);
    const program = testProgram(uniqueTag('console-program'));
    for (const [name, value] of Object.entries({
      programId: program.programId,
      name: program.name,
      goalsAndExpectations: program.goalsAndExpectations,
      skillsCatalog: JSON.stringify(program.skillsCatalog),
      'phaseWindows.goalSetting': 'P14D',
      'phaseWindows.run': 'P90D',
      'phaseWindows.measure': 'P14D',
      'phaseWindows.feedback': 'not a duration',
      checkInCadence: 'P14D',
      'reminders.beforeDeadline': 'P2D',
      progressCheckInterval: 'PT1H',
      sender: 'not-an-email',
      hrContacts: 'hr@example.com',
      opsContacts: 'ops@example.com',
    })) {
      await page.fill(`[name="${name}"]`, value);
    }
    await page.click('main button[type=submit]');
    expect(await page.textContent('#f-sender-problem')).toMatch(/email/);
    expect(await page.textContent('#f-phaseWindows-feedback-problem')).toBeTruthy();
    expect(await page.getAttribute('#f-sender', 'aria-invalid')).toBe('true');
    await check(page, 'program-problems');
    await page.fill('[name="sender"]', 'mentoria@example.com');
    await page.fill('[name="phaseWindows.feedback"]', 'P14D');
    await page.click('main button[type=submit]');
    await page.waitForURL(`${base()}/console/programs`);
    expect(await page.textContent('.notice')).toContain(program.programId);
    expect(await container().store.getProgram(program.programId)).toMatchObject({ name: program.name, sender: 'mentoria@example.com' });
    const audit = await container().store.listAudit({ programId: program.programId });
    expect(audit[0]).toMatchObject({ action: 'program.created', actor: user('hr').email, via: 'console' });
  });

  it('shows a roster file’s problems by line before writing anything, then imports a good one', async () => {
    const tag = uniqueTag('console-roster');
    await container().store.putProgram(testProgram(tag));
    const page = await hr.newPage();
    await page.goto(`${base()}/console/roster`);
    await check(page, 'roster');
    const good = testRosterCsv(tag, ['p01', 'p02', 'p03', 'p04']);
    const bad = good.replace(`p02,`, 'p02,').replace(/\n(p03,[^,]*,)[^,]*/, '\n$1not-an-email');
    await page.selectOption('#program', tag);
    await page.setInputFiles('#file', { name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.click('form[action="/console/roster/check"] button[type=submit]');
    expect(await page.textContent('#issues')).toMatch(/line 4/i);
    await check(page, 'roster-problems');
    expect(await container().store.listParticipants(tag)).toEqual([]);
    await page.selectOption('#program', tag);
    await page.setInputFiles('#file', { name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.click('form[action="/console/roster/check"] button[type=submit]');
    expect(await container().store.listParticipants(tag)).toEqual([]);
    await page.click('form[action="/console/roster/import"] button[type=submit]');
    await page.waitForURL(`${base()}/console/roster`);
    expect((await container().store.listParticipants(tag)).length).toBe(4);
  });

  it('saves a pasted column mapping with the program and imports a later file with the saved mapping', async () => {
    const tag = uniqueTag('console-mapping');
    await container().store.putProgram(testProgram(tag));
    const csv = testRosterCsv(tag, ['p01', 'p02', 'p03', 'p04']);
    const exported = csv.replace(/^id,/, 'Matricula,');
    const page = await hr.newPage();
    await page.goto(`${base()}/console/roster`);
    await page.selectOption('#program', tag);
    await page.setInputFiles('#file', { name: 'export.csv', mimeType: 'text/csv', buffer: Buffer.from(exported) });
    await page.fill('#mapping', JSON.stringify({ columns: { Matricula: 'id' } }));
    await page.fill('#save-mapping-as', 'export-rh');
    await page.click('form[action="/console/roster/check"] button[type=submit]');
    expect(await page.textContent('main')).toMatch(/Column mapping saved: export-rh/);
    expect((await container().store.getProgram(tag))?.rosterMappings).toEqual({ 'export-rh': { columns: { Matricula: 'id' }, values: {}, defaults: {} } });
    const audit = await container().store.listAudit({ programId: tag });
    expect(audit.map((a) => a.action)).toContain('roster.mapping-saved');

    await page.goto(`${base()}/console/roster`);
    await page.selectOption('#program', tag);
    await page.selectOption('#saved-mapping', 'export-rh');
    await page.setInputFiles('#file', { name: 'export.csv', mimeType: 'text/csv', buffer: Buffer.from(exported) });
    await page.click('form[action="/console/roster/check"] button[type=submit]');
    await check(page, 'roster-saved-mapping');
    await page.click('form[action="/console/roster/import"] button[type=submit]');
    await page.waitForURL(`${base()}/console/roster`);
    expect((await container().store.listParticipants(tag)).map((p) => p.participantId).sort()).toEqual(['p01', 'p02', 'p03', 'p04']);

    // The saved mapping is listed, and deleting it asks first, showing what it maps.
    await page.goto(`${base()}/console/roster`);
    await check(page, 'roster-saved-mappings');
    await page.click(`#saved-mappings button[aria-label="Delete export-rh (${tag})"]`);
    expect(await page.textContent('main')).toMatch(/Delete this mapping\?[\s\S]*"Matricula": "id"/);
    await check(page, 'roster-mapping-delete');
    expect((await container().store.getProgram(tag))?.rosterMappings).toBeDefined();
    await page.click('form[action="/console/roster/mapping-delete"] button[type=submit]');
    await page.waitForURL(`${base()}/console/roster`);
    expect(await page.textContent('.notice')).toContain(`Column mapping deleted: export-rh (${tag})`);
    expect((await container().store.getProgram(tag))?.rosterMappings).toBeUndefined();
    expect((await container().store.listAudit({ programId: tag })).map((a) => a.action)).toContain('roster.mapping-deleted');
  });

  it('reads a Latin-1 roster when HR chooses Latin-1, and bounds a large report with a summary by kind and what to do about unknown skills', async () => {
    const tag = uniqueTag('console-latin1');
    await container().store.putProgram(testProgram(tag));
    const cellsOf = (i: number, skills: string): Record<string, string> => ({
      id: `p${i}`,
      name: `João Conceição ${i}`,
      email: `p${i}@${tag}.example.com`,
      department: 'Finanças',
      birth_year: String(1960 + (i % 40)),
      skills_offered: skills,
      languages: 'pt',
    });
    // 250 people, each offering the skills given: with one the catalog does not know, more problems than the page lists.
    const rows = (skills: string) =>
      [ROSTER_COLUMNS.join(','), ...Array.from({ length: 250 }, (_, i) => ROSTER_COLUMNS.map((c) => cellsOf(i + 1, skills)[c] ?? '').join(','))].join('\n');
    const page = await hr.newPage();
    await page.goto(`${base()}/console/roster`);
    await page.selectOption('#program', tag);
    await page.selectOption('#encoding', 'windows-1252');
    await page.setInputFiles('#file', { name: 'export.csv', mimeType: 'text/csv', buffer: Buffer.from(rows('Malabarismo'), 'latin1') });
    await page.click('form[action="/console/roster/check"] button[type=submit]');
    expect(await page.locator('#issues tbody tr').count()).toBe(200);
    expect(await page.textContent('#problem-kinds')).toMatch(/skills_offered: "Malabarismo" is not in the program's skills catalog\s*250/);
    expect(await page.textContent('#report-all')).toContain(`tandem roster import FILE --program ${tag} --dry-run --json`);
    expect(await page.getAttribute('#unknown-skills a', 'href')).toBe(`/console/programs/edit/${tag}`);
    await accessible(page, 'roster-report-large');

    await page.selectOption('#program', tag);
    await page.setInputFiles('#file', { name: 'export.csv', mimeType: 'text/csv', buffer: Buffer.from(rows(''), 'latin1') });
    await page.click('form[action="/console/roster/check"] button[type=submit]');
    await page.click('form[action="/console/roster/import"] button[type=submit]');
    await page.waitForURL(`${base()}/console/roster`);
    const stored = await container().store.listParticipants(tag);
    expect(stored).toHaveLength(250);
    expect(stored.find((p) => p.participantId === 'p1')).toMatchObject({ name: 'João Conceição 1', department: 'Finanças' });
  });

  it('asks before a program save that removes a saved column mapping, and keeps the mapping in the audit log', async () => {
    const tag = uniqueTag('console-program-mappings');
    await container().store.putProgram(testProgram(tag));
    await saveRosterMapping(container().store, { programId: tag, name: 'export-rh', mapping: parseColumnMappingJson('{"columns":{"Matricula":"id"}}') });
    const page = await hr.newPage();
    await page.goto(`${base()}/console/programs/edit/${tag}`);
    await page.fill('[name="rosterMappings"]', '');
    await page.click('main button[type=submit]');
    expect(await page.textContent('#mappings-to-remove')).toMatch(/export-rh[\s\S]*"Matricula": "id"/);
    await accessible(page, 'program-mappings-to-remove');
    expect((await container().store.getProgram(tag))?.rosterMappings).toBeDefined();

    await page.click('main form button[type=submit]');
    await page.waitForURL(`${base()}/console/programs`);
    expect((await container().store.getProgram(tag))?.rosterMappings).toBeUndefined();
    const deleted = (await container().store.listAudit({ programId: tag })).find((entry) => entry.action === 'roster.mapping-deleted');
    expect(deleted).toMatchObject({ actor: user('hr').email, via: 'console', details: { name: 'export-rh' } });
    // The store keeps the mapping's keys in its own order: the entry holds the same mapping.
    expect(JSON.parse(String(deleted?.details.mapping))).toEqual({ columns: { Matricula: 'id' }, values: {}, defaults: {} });
  });

  it('starts a cycle and shows its status changing', async () => {
    const tag = uniqueTag('console-cycle');
    await createProgramWithRoster(tag, {}, ['p01', 'p02', 'p03', 'p04']);
    const page = await hr.newPage();
    await page.goto(`${base()}/console/cycles`);
    await page.selectOption('#program', tag);
    await page.click('form[action="/console/cycles/start"] button[type=submit]');
    await page.waitForURL(/\/console\/cycles\/console-cycle-/);
    const first = await page.textContent('#status');
    await check(page, 'cycle');
    // The page refreshes its status part by itself (JavaScript on): wait until it shows another phase.
    await page.waitForFunction(
      (before) =>
        (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('#status')
          ?.textContent !== before,
      first,
      { timeout: 60_000 },
    );
    const cycleId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() as string);
    await waitForExecution((await container().store.getCycle(cycleId))?.executionArn as string);
  });

  it('shows enrollment progress, meetings and informational sessions of a cycle that has them', async () => {
    const tag = uniqueTag('console-funnel');
    const program = await createProgramWithRoster(tag, { phaseWindows: { ...testProgram(tag).phaseWindows, enrollment: 'PT1H' } }, [
      'p01',
      'p02',
      'p03',
      'p04',
    ]);
    const now = Date.now();
    const cycle = { ...newCycle(program, `${tag}-c1`, now), enrollmentJoined: 2, enrollmentDeclined: 1 };
    cycle.phases = { ...cycle.phases, enrollment: { openedAt: now, deadline: now + 3_600_000, expected: 4 } };
    const { store } = container();
    expect(await store.createCycle(cycle)).toBe(true);
    const meeting = { cycleId: cycle.cycleId, loggedBy: 'p01', source: 'pair-page' as const, date: '2027-03-03', skills: [], loggedAt: now };
    await store.recordMeeting({ ...meeting, pairId: 'p01~p02', meetingId: 'm1' }, { meetings: 0, minutes: 0 });
    await store.recordMeeting({ ...meeting, pairId: 'p01~p02', meetingId: 'm2' }, { meetings: 1, minutes: 0 });
    await store.recordMeeting({ ...meeting, pairId: 'p03~p04', meetingId: 'm3', loggedBy: 'p03' }, { meetings: 0, minutes: 0 });
    const sessionInput = {
      title: 'Cloud tools clinic',
      description: 'Bring a question.',
      skills: [program.skillsCatalog[0]?.id as string],
      startsAt: '2099-03-10T14:00-03:00',
      timeZone: 'America/Sao_Paulo',
      durationMinutes: 60,
      place: 'Room 4',
      capacity: 1,
    };
    const clinic = parseSessionInput({ ...sessionInput, sessionId: 'clinic' }, program.skillsCatalog, cycle.cycleId, now);
    await store.createSession(clinic);
    await store.registerForSession(cycle.cycleId, 'clinic', 'p01', now);
    await store.registerForSession(cycle.cycleId, 'clinic', 'p02', now + 1);
    const calendar = { fileName: 'clinic.ics', contentType: 'text/calendar', content: 'BEGIN:VCALENDAR' };
    await store.moveSession(
      cycle.cycleId,
      'clinic',
      { startsAt: Date.parse('2099-03-17T17:00:00Z'), durationMinutes: 60, place: 'Room 2', calendar, sequence: 1 },
      0,
      now,
    );
    await store.createSession(parseSessionInput({ ...sessionInput, sessionId: 'talk', title: 'A talk' }, program.skillsCatalog, cycle.cycleId, now));
    await store.cancelSession(cycle.cycleId, 'talk', 'The speaker is ill.', now);
    const page = await hr.newPage();
    await page.goto(`${base()}/console/cycles/${encodeURIComponent(cycle.cycleId)}`);
    const funnel = page.locator('[data-phase-detail="enrollment"]');
    expect(await funnel.locator('[data-count="invited"]').textContent()).toMatch(/^4 /);
    expect(await funnel.locator('[data-count="joined"]').textContent()).toMatch(/^2 /);
    expect(await funnel.locator('[data-count="declined"]').textContent()).toMatch(/^1 /);
    expect(await funnel.locator('[data-count="noAnswer"]').textContent()).toMatch(/^1 /);
    expect(await page.textContent('dd[data-fact="Meetings logged"]')).toBe('3');
    expect(await page.textContent('dd[data-fact="Pairs that met at least once"]')).toBe('2');
    const cells = (id: string) => page.locator(`#sessions tr[data-session="${id}"] td`).allTextContents();
    expect(await cells('clinic')).toEqual(['Tuesday, March 17, 2099 at 2:00 PM (America/Sao_Paulo)', '1 / 1', '1', '0', '—', 'Moved (1×)']);
    expect((await cells('talk'))[5]).toBe('Cancelled: The speaker is ill.');
    await check(page, 'cycle-enrollment');
  });

  /** A cycle in the store alone, running (no execution behind it), so its live status stays the same between polls. */
  async function quietCycle(name: string, status: 'running' | 'stopped' = 'running'): Promise<string> {
    const tag = uniqueTag(name);
    const program = await createProgramWithRoster(tag, {}, ['p01', 'p02']);
    const cycle = newCycle(program, `${tag}-c1`, Date.now());
    const { store } = container();
    expect(await store.createCycle(cycle)).toBe(true);
    if (status === 'stopped') await store.markStopped(cycle.cycleId, Date.now());
    return cycle.cycleId;
  }

  /** The GETs of a page's own address that its script made (its polls), counted from now. */
  function pollsOf(page: Page, path: string): { count: () => number; signIns: () => number } {
    let polls = 0;
    let signIns = 0;
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (request.resourceType() === 'fetch' && url.pathname === path) polls += 1;
    });
    // Answered requests only: with redirect 'manual' the browser still announces the redirect's target, but never sends it.
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/console/sign-in') signIns += 1;
    });
    return { count: () => polls, signIns: () => signIns };
  }

  it('leaves the live status alone while it has not changed, so screen readers do not hear it again', async () => {
    const cycleId = await quietCycle('console-quiet');
    const path = `/console/cycles/${encodeURIComponent(cycleId)}`;
    const page = await hr.newPage();
    const polls = pollsOf(page, path);
    await page.goto(`${base()}${path}`);
    await page.evaluate(() => {
      const g = globalThis as unknown as {
        document: { getElementById(id: string): unknown };
        mutations: number;
        MutationObserver: new (f: () => void) => { observe(n: unknown, o: object): void };
      };
      g.mutations = 0;
      new g.MutationObserver(() => (g.mutations += 1)).observe(g.document.getElementById('status'), { childList: true, subtree: true, characterData: true });
    });
    await page.waitForTimeout(9_000);
    expect(polls.count()).toBeGreaterThanOrEqual(2);
    expect(await page.evaluate(() => (globalThis as unknown as { mutations: number }).mutations)).toBe(0);
    await page.close();
  });

  it('does not poll the status of a cycle that is no longer running', async () => {
    const cycleId = await quietCycle('console-ended', 'stopped');
    const path = `/console/cycles/${encodeURIComponent(cycleId)}`;
    const page = await hr.newPage();
    const polls = pollsOf(page, path);
    await page.goto(`${base()}${path}`);
    expect(await page.locator('#status').getAttribute('data-refresh')).toBeNull();
    await page.waitForTimeout(5_000);
    expect(polls.count()).toBe(0);
    await page.close();
  });

  it('stops polling once the session expired, without following the redirect that would break a sign-in under way in another tab', async () => {
    const cycleId = await quietCycle('console-expired');
    const path = `/console/cycles/${encodeURIComponent(cycleId)}`;
    const { context, page } = await signIn('hr', path);
    const polls = pollsOf(page, path);
    // The session expires (a cookie that opens to nothing) while another tab has a sign-in under way.
    const url = base();
    const cookie = { domain: new URL(url).hostname, path: '/console', secure: true, httpOnly: true, sameSite: 'Lax' as const };
    await context.clearCookies();
    await context.addCookies([
      { name: 'tandem_console', value: 'v1.AAAAAAAAAAAAAAAA.BBBB.CCCCCCCCCCCCCCCCCCCCCC', ...cookie },
      { name: 'tandem_console_sign_in', value: 'a-sign-in-under-way', ...cookie },
    ]);
    await page.waitForSelector('#signed-out a', { timeout: 10_000 });
    expect(polls.signIns()).toBe(0);
    expect((await context.cookies(`${url}/console/cycles`)).find((c) => c.name === 'tandem_console_sign_in')?.value).toBe('a-sign-in-under-way');
    expect(await page.textContent('#signed-out')).toContain('sign in again');
    const after = polls.count();
    await page.waitForTimeout(5_000);
    expect(polls.count()).toBe(after);
    await context.close();
  });

  it('fits a Portuguese cycle page into 360 px, with its status values in Portuguese', async () => {
    const cycleId = await quietCycle('console-pt');
    const now = Date.now();
    const meeting = { cycleId, loggedBy: 'p01', source: 'pair-page' as const, date: '2027-03-03', skills: [], loggedAt: now };
    await container().store.recordMeeting({ ...meeting, pairId: 'p01~p02', meetingId: 'm1' }, { meetings: 0, minutes: 0 });
    const { context, page } = await signIn('hr', `/console/cycles/${encodeURIComponent(cycleId)}`);
    await page.click('form[action="/console/language"] button[type=submit]');
    await page.waitForURL((url) => url.pathname.startsWith('/console/'));
    await page.goto(`${base()}/console/cycles/${encodeURIComponent(cycleId)}`);
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    // No value squeezed into a sliver beside a long label ("Duplas que se encontraram ao menos uma vez").
    const widths = await page.locator('#status dd').evaluateAll((dds) => dds.map((dd) => (dd as unknown as { offsetWidth: number }).offsetWidth));
    expect(Math.min(...widths)).toBeGreaterThan(100);
    expect(await page.textContent('dd[data-fact="Situação"]')).toBe('em andamento');
    expect(await page.textContent('dd[data-fact="Fase"]')).not.toMatch(/^(enrollment|identify|approval|goal-setting|run|measure|feedback|review)$/);
    expect(await page.locator('#phases tbody th').allTextContents()).toContain('definição de metas');
    await check(page, 'cycle-pt');
    await context.close();
  });

  it('opens the review report and applies a proposal, which starts the next cycle', async () => {
    const page = await hr.newPage();
    await page.goto(`${base()}/console/report`);
    await check(page, 'reports');
    await page.goto(`${base()}/console/report/${encodeURIComponent(reviewed.cycleId)}`);
    expect(await page.locator('#proposals li').count()).toBeGreaterThan(0);
    await check(page, 'report');
    await page.click('main form button[type=submit]');
    await page.waitForURL(/\/console\/cycles\//);
    const review = await container().store.getReview(reviewed.cycleId);
    expect(review?.appliedTo?.cycleId).toBeTruthy();
    const entries = await container().store.listAudit({ programId: reviewed.programId });
    expect(entries.map((e) => e.action)).toContain('proposals.applied');
    await page.goto(`${base()}/console/audit`);
    await check(page, 'audit');
  });

  it('lets HR forbid a proposed pair, re-solve without it and approve, while ops may look but not change', async () => {
    const tag = uniqueTag('console-pairs');
    await createProgramWithRoster(tag, { approval: { required: true, deadline: 'PT1H', onDeadline: 'approve' } });
    const cycle = await startTestCycle(tag);
    const { store, clock } = container();
    const deps = { store, clock };
    try {
      const waiting = await readUntil(
        () => store.getCycle(cycle.cycleId),
        (c) => c?.approval?.status === 'pending',
        60_000,
      );
      expect(waiting?.approval?.status).toBe('pending');
      const page = await hr.newPage();
      await page.goto(`${base()}/console/pairs`);
      await page.click(`#waiting-cycles a[href="/console/pairs/${encodeURIComponent(cycle.cycleId)}"]`);
      await page.waitForURL(`${base()}/console/pairs/${encodeURIComponent(cycle.cycleId)}`);
      await check(page, 'pairs');

      const proposed = await pairReview(deps, cycle.cycleId);
      const first = proposed.pairs[0];
      if (!first) throw new Error('identify proposed no pair');
      const [a, b] = [first.mentor.participantId, first.mentee.participantId];
      const forbid = page
        .locator('main form')
        .filter({ has: page.locator('input[name=action][value=forbid]') })
        .first();
      expect([await forbid.locator('input[name=first]').inputValue(), await forbid.locator('input[name=second]').inputValue()]).toEqual([a, b]);
      await forbid.locator('button[type=submit]').click();
      await page.waitForURL(`${base()}/console/pairs/${encodeURIComponent(cycle.cycleId)}`);
      expect(await page.textContent('.notice')).toBeTruthy();
      expect((await pairReview(deps, cycle.cycleId)).stale).toBe(true);

      // Ops sees the page, but the server refuses ops' post with ops' own valid session and token.
      const ops = await signIn('ops', `/console/pairs/${encodeURIComponent(cycle.cycleId)}`);
      expect(await ops.page.textContent('h1')).toBeTruthy();
      // The review is read only for ops: no form to forbid, lock, exclude, re-solve or approve.
      expect(await ops.page.locator('main table').count()).toBe(1);
      expect(await ops.page.locator('main form').count()).toBe(0);
      const opsCsrf = await ops.page.getAttribute('input[name=csrf]', 'value');
      const refused = await ops.context.request.post(`${base()}/console/pairs/${encodeURIComponent(cycle.cycleId)}`, {
        form: { csrf: opsCsrf as string, action: 'approve', cycleId: cycle.cycleId },
        maxRedirects: 0,
      });
      expect(refused.status()).toBe(403);
      await ops.context.close();
      expect((await store.getCycle(cycle.cycleId))?.approval?.status).toBe('pending');

      await page.click('main form:has(input[name=action][value=resolve]) button[type=submit]');
      await page.waitForURL(`${base()}/console/pairs/${encodeURIComponent(cycle.cycleId)}`);
      const resolved = await pairReview(deps, cycle.cycleId);
      expect(resolved.stale).toBe(false);
      expect(resolved.pairs.length).toBeGreaterThan(0);
      expect(resolved.pairs.map((p) => pairKey(p.mentor.participantId, p.mentee.participantId))).not.toContain(pairKey(a, b));
      expect((await store.listPairs(cycle.cycleId)).map((p) => pairKey(p.mentorId, p.menteeId))).not.toContain(pairKey(a, b));

      await page.click('main form:has(input[name=action][value=approve]) button[type=submit]');
      await page.waitForURL(`${base()}/console/pairs/${encodeURIComponent(cycle.cycleId)}`);
      expect((await store.getCycle(cycle.cycleId))?.approval).toMatchObject({ status: 'approved', decidedBy: user('hr').email });
      const audit = await store.listAudit({ programId: tag });
      expect(audit.map((entry) => [entry.action, entry.actor, entry.via])).toEqual([
        ['pairs.approved', user('hr').email, 'console'],
        ['pairs.resolved', user('hr').email, 'console'],
        ['pairs.forbidden', user('hr').email, 'console'],
      ]);
    } finally {
      await stopCycle(
        { store, clock, workflow: new StepFunctionsWorkflow(inject('localStack').stateMachineArn, sfnClient()) },
        { cycleId: cycle.cycleId, reason: 'test done' },
      ).catch(() => undefined);
    }
  });

  it('tells a Portuguese reader, in Portuguese, that the service’s error that follows is in English', async () => {
    const { context, page } = await signIn('ops');
    await page.click('form[action="/console/language"] button[type=submit]');
    await page.waitForURL((url) => url.pathname.startsWith('/console/'));
    const response = await page.goto(`${base()}/console/ops/no-such-page`);
    expect(response?.status()).toBe(404);
    expect(await page.textContent('[role="alert"] > p')).toBe('Não encontrado. O serviço explica, em inglês:');
    expect(await page.textContent('[role="alert"] [lang="en"]')).toBe('there is no such page');
    await check(page, 'error-pt');
    await context.close();
  });

  it('shows ops the executions and refuses their POSTs on the server', async () => {
    const { context, page } = await signIn('ops', '/console/ops');
    expect(await page.locator('#executions').count()).toBe(1);
    await check(page, 'ops');
    const name = await page.locator('#executions a').first().textContent();
    await page.click('#executions a');
    expect(await page.textContent('h1')).toContain(name as string);
    await check(page, 'execution');
    // A forged request with ops' own valid session and CSRF token: refused because ops is read-only.
    const csrf = await page.getAttribute('input[name=csrf]', 'value');
    const response = await context.request.post(`${base()}/console/cycles/start`, { form: { csrf: csrf as string, programId: reviewed.programId } });
    expect(response.status()).toBe(403);
    await context.close();
  });

  it('refuses a request without a session, with a forged cookie, or without the CSRF token', async () => {
    const anonymous = await browser.newContext();
    const noSession = await anonymous.request.post(`${base()}/console/cycles/start`, { form: { programId: reviewed.programId } });
    expect(noSession.status()).toBe(401);
    const forged = await anonymous.request.get(`${base()}/console/programs`, {
      headers: { cookie: 'tandem_console=v1.AAAAAAAAAAAAAAAA.BBBB.CCCCCCCCCCCCCCCCCCCCCC' },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(303);
    expect(forged.headers().location).toMatch(/^\/console\/sign-in/);
    await anonymous.close();
    const withoutToken = await hr.request.post(`${base()}/console/cycles/start`, { form: { programId: reviewed.programId } });
    expect(withoutToken.status()).toBe(403);
  });
});
