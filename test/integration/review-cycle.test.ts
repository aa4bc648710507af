import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { ParticipantSimulator, personaForIndex, type Persona } from '../../cli/demo/participant-simulator.ts';
import type { Proposal } from '../../domain/report-proposals.ts';
import { checkPageHtml, launchChromium } from '../browser/browser-support.ts';
import { createProgramWithRoster, emailsFor, startTestCycle, uniqueTag, waitForExecution } from '../support/fixtures.ts';

const run = promisify(execFile);
const tandem = resolve(import.meta.dirname, '../../cli/bin/tandem.js');

async function personasFor(programId: string): Promise<Map<string, Persona>> {
  const roster = await container().store.listParticipants(programId);
  return new Map(roster.sort((a, b) => a.participantId.localeCompare(b.participantId)).map((p, i) => [p.email, personaForIndex(i)]));
}

/** The `tandem` command against the shared local stack (the test's environment names it). */
async function cli(...args: string[]): Promise<{ code: number; json: Record<string, unknown>; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [tandem, ...args], {
      env: { ...process.env, TANDEM_LOCAL_ENV_FILE: '/nonexistent' },
      timeout: 60_000,
    });
    return { code: 0, json: JSON.parse(stdout) as Record<string, unknown>, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, json: e.stdout ? (JSON.parse(e.stdout) as Record<string, unknown>) : {}, stderr: e.stderr ?? '' };
  }
}

/**
 * The report at 360 px in Chromium: axe-clean, no wider than the phone (wide tables and charts
 * scroll in their own boxes), and the charts' text at its own size, not scaled down to fit.
 */
async function expectReadableOnAPhone(report: string): Promise<void> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    await checkPageHtml(context, report, 'review-report');
    const page = await context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.setContent(report, { waitUntil: 'load' });
    const scales = await page.$$eval('figure svg', (charts) =>
      charts.map((svg) => {
        const chart = svg as unknown as { getBoundingClientRect(): { width: number }; getAttribute(name: string): string | null };
        return chart.getBoundingClientRect().width / Number(chart.getAttribute('width'));
      }),
    );
    expect(scales.length).toBeGreaterThanOrEqual(3);
    for (const scale of scales) expect(scale).toBeCloseTo(1, 2);
  } finally {
    await browser.close();
  }
}

describe('review and reshape on the local stack', () => {
  it('writes the report with charts and figures, stores the review, and starts the next cycle with the proposals applied', async () => {
    const tag = uniqueTag('review');
    const program = await createProgramWithRoster(tag);
    const personas = await personasFor(program.programId);
    const simulator = new ParticipantSimulator(inject('localStack').endpoints.ses, (email) => personas.get(email) ?? 'silent');
    simulator.start(200);
    try {
      // ---- cycle 1 -------------------------------------------------------------------------
      const first = await startTestCycle(program.programId);
      expect((await waitForExecution(first.executionArn as string)).status).toBe('SUCCEEDED');
      const { store } = container();
      const stored = await store.getCycle(first.cycleId);
      const report = readFileSync(stored?.reportPath as string, 'utf8');
      // Self-contained, with SVG charts (participation, skill gains, directions, satisfaction) and the figures.
      expect(report.match(/<svg /g)?.length ?? 0).toBeGreaterThanOrEqual(3);
      expect(report).not.toMatch(/<script|<link /);
      const members = await store.listMembers(first.cycleId);
      // The figure matches the answers the store counted (the simulated people answer at their own pace).
      const answered = stored?.responses.measure ?? 0;
      expect(answered).toBeGreaterThan(0);
      expect(report).toContain(`<th scope="row">Measure response rate</th><td>${Math.round((answered / members.length) * 100)}%</td>`);
      expect(report).toContain(`<th scope="row">Participants</th><td>${members.length}</td>`);
      for (const heading of ["The program's five benefits", 'Skill gains', 'Feedback forum: themes', 'Proposals for the next cycle', 'fewer than 5 answers'])
        expect(report).toContain(heading);
      // No participant's name appears in the report's free text or anywhere else.
      for (const m of members) expect(report).not.toContain(m.name);
      await expectReadableOnAPhone(report);

      // The review is stored with the cycle; the simulator's "skills the organization lacks" yield proposals to recruit for.
      const review = await store.getReview(first.cycleId);
      expect(review?.summary.members).toBe(members.length);
      const catalogAdds = (review?.proposals ?? []).filter((p) => p.kind === 'recruit-mentors' && p.change?.op === 'add');
      expect(catalogAdds.length).toBeGreaterThan(0);

      // HR's summary email links the report.
      const hrMail = (await emailsFor(tag)).find((e) => e.destination.to.includes(`hr@${tag}.example.com`) && /review/.test(e.subject));
      expect(hrMail?.body.text).toContain(stored?.reportPath as string);

      // ---- tandem review show / apply ----------------------------------------------------------
      const shown = await cli('review', 'show', '--cycle', first.cycleId, '--json');
      expect(shown.code).toBe(0);
      expect((shown.json.proposals as Proposal[]).map((p) => p.id)).toEqual(review?.proposals.map((p) => p.id));

      // Without --yes and without a terminal, apply shows the change and writes nothing.
      const text = await run(process.execPath, [tandem, 'review', 'apply', '--cycle', first.cycleId], {
        env: { ...process.env, TANDEM_LOCAL_ENV_FILE: '/nonexistent' },
      });
      expect(text.stdout).toContain('Changes to the program configuration:');
      expect(text.stdout).toContain(`    + ${JSON.stringify(catalogAdds[0]?.change && 'value' in catalogAdds[0].change ? catalogAdds[0].change.value : null)}`);
      expect(text.stdout).toContain('Nothing applied.');
      const shownText = await run(process.execPath, [tandem, 'review', 'show', '--cycle', first.cycleId], {
        env: { ...process.env, TANDEM_LOCAL_ENV_FILE: '/nonexistent' },
      });
      expect(shownText.stdout).toContain('evidence: themes.unofferedSkills[');

      const dryRun = await cli('review', 'apply', '--cycle', first.cycleId, '--json');
      expect(dryRun.code).toBe(0);
      expect(dryRun.json.applied).toBe(false);
      expect((await store.getProgram(program.programId))?.skillsCatalog).toEqual(program.skillsCatalog);

      // A next cycle that cannot start (its id taken, or malformed) is refused before anything is written.
      const unchanged = async () => {
        expect((await store.getProgram(program.programId))?.skillsCatalog).toEqual(program.skillsCatalog);
        expect((await store.getReview(first.cycleId))?.appliedTo).toBeUndefined();
        expect((await store.listAudit({ programId: program.programId })).filter((e) => e.action === 'proposals.applied')).toEqual([]);
      };
      const taken = await cli('review', 'apply', '--cycle', first.cycleId, '--next-cycle-id', first.cycleId, '--yes', '--json');
      expect(taken.code, taken.stderr).toBe(6);
      expect(taken.stderr).toContain(`cycle ${first.cycleId} exists already`);
      await unchanged();
      const malformed = await cli('review', 'apply', '--cycle', first.cycleId, '--next-cycle-id', 'bad id', '--yes', '--json');
      expect(malformed.code, malformed.stderr).toBe(2);
      await unchanged();
      const takenByStart = await cli(
        'cycle',
        'start',
        '--program',
        program.programId,
        '--apply-review',
        first.cycleId,
        '--cycle-id',
        first.cycleId,
        '--yes',
        '--json',
      );
      expect(takenByStart.code, takenByStart.stderr).toBe(6);
      await unchanged();

      const applied = await cli('review', 'apply', '--cycle', first.cycleId, '--yes', '--json');
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.json.applied).toBe(true);
      const secondId = applied.json.cycleId as string;
      expect(applied.json.executionArn).toMatch(/execution:.*:/);

      // ---- cycle 2 runs with the changed configuration ---------------------------------------------
      const second = await store.getCycle(secondId);
      const addedIds = catalogAdds.map((p) => (p.change as { value: { id: string } }).value.id);
      expect(second?.program.skillsCatalog.map((s) => s.id)).toEqual([...program.skillsCatalog.map((s) => s.id), ...addedIds]);
      expect((await store.getProgram(program.programId))?.skillsCatalog.map((s) => s.id)).toEqual(second?.program.skillsCatalog.map((s) => s.id));
      expect((await store.getReview(first.cycleId))?.appliedTo?.cycleId).toBe(secondId);

      // A review is applied once.
      const again = await cli('review', 'apply', '--cycle', first.cycleId, '--yes', '--json');
      expect(again.code).toBe(6);

      expect((await waitForExecution(second?.executionArn as string)).status).toBe('SUCCEEDED');
      const secondReport = readFileSync((await store.getCycle(secondId))?.reportPath as string, 'utf8');
      // The second report compares with the first cycle.
      expect(secondReport).toContain('Comparison with earlier cycles');
      expect(secondReport).toContain(`<td>${first.cycleId}</td>`);
      expect(secondReport).not.toContain('first reviewed cycle');

      // ---- the same through `tandem cycle start --apply-review` ---------------------------------------
      const wrongProgram = await cli('cycle', 'start', '--program', 'no-such-program', '--apply-review', secondId, '--yes', '--json');
      expect(wrongProgram.code).toBe(2);
      const third = await cli('cycle', 'start', '--program', program.programId, '--apply-review', secondId, '--yes', '--wait', '--json');
      expect(third.code, third.stderr).toBe(0);
      expect(third.json.notes).toEqual([expect.stringMatching(/^Applied \d+ proposals of the review of /)]);
      expect((third.json.final as { status: string }).status).toBe('succeeded');
      expect((await store.getReview(secondId))?.appliedTo).toBeDefined();
    } finally {
      await simulator.stop();
    }
  });
});
