import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { importRoster } from '../../services/roster-import.ts';
import { createProgramWithRoster, startTestCycle, testProgram, uniqueTag, waitForExecution } from '../support/fixtures.ts';
import { axeViolations, launchChromium } from './browser-support.ts';

describe('the ops page in Chromium', () => {
  let browser: Browser;
  let failed: { cycleId: string };
  let running: { cycleId: string };
  const base = () => inject('localStack').endpoints.survey;

  beforeAll(async () => {
    browser = await launchChromium();
    // A failed execution: two people in one reporting line cannot be paired.
    const tag = uniqueTag('ops-fail');
    const { store } = container();
    await store.putProgram(testProgram(tag));
    const csv = [
      'id,name,email,department,birth_year,seniority,skills_offered,skills_wanted,manager_id,languages',
      `boss,Carla <b>Boss</b>,boss@${tag}.example.com,Sales,1965,9,negotiation:5,social-media:5,,pt`,
      `junior,João Junior,junior@${tag}.example.com,Sales,2000,1,social-media:5,negotiation:5,boss,pt`,
    ].join('\n');
    await importRoster(store, { programId: tag, text: csv, format: 'csv' });
    const cycle = await startTestCycle(tag);
    failed = { cycleId: cycle.cycleId };
    // A running one, in goal-setting for minutes.
    const runningTag = uniqueTag('ops-run');
    await createProgramWithRoster(runningTag, {
      phaseWindows: { goalSetting: 'PT10M', run: 'PT10M', measure: 'PT10M', feedback: 'PT10M' },
      reminders: { beforeDeadline: [] },
      progressCheckInterval: 'PT5S',
    });
    const started = await startTestCycle(runningTag);
    running = { cycleId: started.cycleId };
    await waitForExecution(cycle.executionArn as string);
    for (let i = 0; i < 60 && !(await store.getCycle(started.cycleId))?.phases['goal-setting']; i++) await new Promise((r) => setTimeout(r, 250));
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function open(path: string) {
    // The page's own Content-Security-Policy applies (axe is evaluated through the DevTools protocol, which it does not block).
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${base()}${path}`);
    return { page, response, context };
  }

  it('lists the executions with their status and links to each', async () => {
    const { page, response, context } = await open('/ops');
    expect(response?.status()).toBe(200);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/^default-src 'none';/);
    expect(csp).toMatch(/style-src 'sha256-[^']+'/);
    expect(csp).not.toMatch(/sandbox|unsafe-inline|\n/);
    // The style is applied under that policy (the header row is shaded).
    await expect(
      page
        .locator('#executions th')
        .first()
        .evaluate((th) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(th).backgroundColor),
    ).resolves.toBe('rgb(242, 242, 242)');
    await expect(page.title()).resolves.toBe('Executions · Tandem ops');
    const rows = page.locator('#executions tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    const failedRow = rows.filter({ hasText: failed.cycleId });
    await expect(failedRow.locator('.status').textContent()).resolves.toBe('FAILED');
    await expect(rows.filter({ hasText: running.cycleId }).locator('.status').textContent()).resolves.toBe('RUNNING');

    await page.click('text=FAILED >> nth=0');
    expect(page.url()).toContain('/ops?status=FAILED');
    const statuses = await page.locator('#executions tbody .status').allTextContents();
    expect(new Set(statuses)).toEqual(new Set(['FAILED']));

    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it("shows a running execution's phases as a timeline with the participants' progress as counts only", async () => {
    const { page, context } = await open('/ops');
    await page.click(`a:text("${running.cycleId}")`);
    await page.waitForURL(`**/ops/executions/${running.cycleId}`);
    await expect(page.locator('h1').textContent()).resolves.toBe(`Execution ${running.cycleId}`);
    const phases = await page.locator('section.phase h3').allTextContents();
    // The program has no enrollment: the timeline shows the Choice that skipped it, then identify, and the approval
    // step that passes through at once for a program that does not ask for approval.
    expect(phases.map((t) => t.split(' ')[0])).toEqual(['enrollment', 'identify', 'approval', 'goal-setting']);
    await expect(page.locator('section[aria-labelledby="phase-enrollment"] .progress').textContent()).resolves.toMatch(/not part of this cycle/);
    await expect(page.locator('#phase-identify + p + ul').textContent()).resolves.toMatch(/Cohort: \d+ participants in \d+ pairs/);
    await expect(page.locator('section[aria-labelledby="phase-goal-setting"] .progress').textContent()).resolves.toMatch(/Answers: \d+ of \d+ answered/);
    await expect(page.locator('section[aria-labelledby="phase-goal-setting"] table').textContent()).resolves.toContain('GoalSetting: send what is due');
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).not.toMatch(/@[a-z0-9-]+\.example\.com/);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it("shows a failed execution's error and cause, escaped, and answers 404 for an unknown one", async () => {
    const { page, context } = await open(`/ops/executions/${failed.cycleId}`);
    await expect(page.locator('#failure').textContent()).resolves.toMatch(/NoPairsError[\s\S]*no pair can be formed/);
    await expect(page.locator('section[aria-labelledby="phase-identify"] .errors').textContent()).resolves.toMatch(
      /Identify NoPairsError: .*no pair can be formed/,
    );
    const phases = await page.locator('section.phase h3').allTextContents();
    // The failure is the execution's own: no failure path runs after Identify (it can be redriven from there).
    expect(phases.map((t) => t.split(' ')[0])).toEqual(['enrollment', 'identify']);
    const html = await page.content();
    expect(html).not.toContain('<b>Boss</b>');
    expect(html).not.toContain('@ops-fail');
    expect(await axeViolations(page)).toEqual([]);

    const missing = await page.goto(`${base()}/ops/executions/no-such-execution`);
    expect(missing?.status()).toBe(404);
    const injected = await page.goto(`${base()}/ops/executions/%3Cscript%3E`);
    expect(injected?.status()).toBe(404);
    await context.close();
  });

  it('refuses anything but GET and HEAD with a page that says so, its Allow header and the pages’ security headers', async () => {
    const response = await fetch(`${base()}/ops`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toContain("form-action 'none'");
    await expect(response.text()).resolves.toContain('Only GET is allowed here.');
  });
});
