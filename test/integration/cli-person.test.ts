import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { createDocumentClient } from '../../adapters/dynamodb/dynamodb-store.ts';
import { DynamoDbPrivacyStore } from '../../adapters/dynamodb/privacy-store.ts';
import { newCycle } from '../../domain/cycle.ts';
import { personExportSchema } from '../../domain/person-export.ts';
import { sendOnce } from '../../services/send-once.ts';
import { consecutivePairs, memberOf } from '../support/cohort-fixtures.ts';
import { createProgramWithRoster, uniqueTag } from '../support/fixtures.ts';
import { tandem } from './cli-support.ts';

const DAY = 86_400_000;

/** A program whose roster is the sample one, and a cycle in which Helena (p01) and Carlos (p02) are paired and Helena set a goal. */
async function programWithCycle(tag: string) {
  const { store } = container();
  const program = await createProgramWithRoster(tag, {}, ['p01', 'p02', 'p03', 'p04']);
  const cycleId = `${tag}-c1`;
  await store.createCycle(newCycle(program, cycleId, Date.now() - 30 * DAY));
  const helena = memberOf('p01', { name: 'Helena Duarte', email: `helena.duarte@${tag}.example.com` });
  const carlos = memberOf('p02', { name: 'Carlos Menezes', email: `carlos.menezes@${tag}.example.com` });
  await store.putCohort(cycleId, [helena, carlos], consecutivePairs(['p01', 'p02']));
  await store.openPhase(cycleId, 'goal-setting', { openedAt: Date.now() - DAY, deadline: Date.now() + DAY, expected: 2 });
  await store.recordResponse({
    cycleId,
    phaseKey: 'goal-setting',
    participantId: 'p01',
    recordedAt: Date.now(),
    answer: { goals: ['Speak at the all-hands'], baseline: {} },
  });
  return { program, cycleId, email: `helena.duarte@${tag}.example.com` };
}

describe('tandem person', () => {
  it('exports a person to a file only its owner can read, erases them after a dry run, and suppresses the address', async () => {
    const tag = uniqueTag('cli-person');
    const { program, cycleId, email } = await programWithCycle(tag);
    const { store } = container();
    const out = join(mkdtempSync(join(tmpdir(), 'tandem-person-')), 'helena.json');

    const exported = await tandem(['person', 'export', '--email', email.toUpperCase(), '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const document = personExportSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(document.programs.map((p) => [p.programId, p.participant.name])).toEqual([[program.programId, 'Helena Duarte']]);
    expect(document.cycles.map((c) => [c.cycleId, c.responses.length, c.pairs.length])).toEqual([[cycleId, 1, 1]]);

    const dryRun = await tandem(['person', 'erase', '--email', email]);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toContain('Re-run with --yes');
    expect((await store.findParticipantsByEmail(email)).length).toBe(1);

    const erased = await tandem(['person', 'erase', '--email', email, '--yes', '--json']);
    expect(erased.code, erased.stderr).toBe(0);
    expect(erased.json()).toMatchObject({ outcome: 'erased', summary: { programs: 1, cycles: 1, responses: 1 } });
    expect(await store.findParticipantsByEmail(email)).toEqual([]);
    const held = JSON.stringify([await store.listMembers(cycleId), await store.listResponses(cycleId, ''), await store.listPairs(cycleId)]);
    for (const trace of ['Helena', email, 'Speak at the all-hands', '"p01"']) expect(held).not.toContain(trace);

    const audit = (await store.listAudit({ limit: 500 })).filter((e) => e.action.startsWith('person.'));
    const ours = audit.filter((e) => e.action === 'person.exported' || e.details.erasureId === erased.json<{ erasureId: string }>().erasureId);
    expect(ours.map((e) => e.action)).toEqual(expect.arrayContaining(['person.erased', 'person.exported']));
    for (const entry of ours) expect(JSON.stringify(entry)).not.toContain('helena');

    const again = await tandem(['person', 'erase', '--email', email, '--yes', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ outcome: 'already-erased' });

    // Every send claims its key in the email log, which looks the address up on the suppression list at the same time.
    const sent = await sendOnce({ emailLog: store, mailer: container().mailer, clock: container().clock }, cycleId, `measure#reminder-0#${tag}`, {
      from: 'hr@example.com',
      to: email,
      subject: 'Hi',
      html: '<p>Hi</p>',
      text: 'Hi',
    });
    expect(sent).toBe('rejected');
    expect(
      (await new DynamoDbPrivacyStore(createDocumentClient(), container().env.TANDEM_TABLE_NAME).listEmailLog(cycleId)).find(
        (e) => e.idempotencyKey === `measure#reminder-0#${tag}`,
      ),
    ).toMatchObject({ status: 'failed' });
  });

  it('names an unknown address with exit 5 and a malformed one with exit 2', async () => {
    const unknown = await tandem(['person', 'export', '--email', `nobody@${uniqueTag('cli-person')}.example.com`]);
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toMatch(/no one with the address nobody@.* is on any program's roster/);
    const malformed = await tandem(['person', 'erase', '--email', 'not-an-address', '--json']);
    expect(malformed.code).toBe(2);
    expect(malformed.json<{ error: { kind: string } }>().error.kind).toBe('bad-input');
  });

  it('takes --json as other commands do: the export itself on stdout, a summary of the file with --out, and errors as JSON', async () => {
    const tag = uniqueTag('cli-person-json');
    const { email } = await programWithCycle(tag);

    const printed = await tandem(['person', 'export', '--email', email, '--json']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(personExportSchema.parse(printed.json()).email).toBe(email);

    const out = join(mkdtempSync(join(tmpdir(), 'tandem-person-')), 'helena.json');
    const written = await tandem(['person', 'export', '--email', email, '--out', out, '--json']);
    expect(written.code, written.stderr).toBe(0);
    expect(written.json()).toEqual({ out, version: 1, programs: 1, cycles: 1, suppressed: false });
    expect(personExportSchema.parse(JSON.parse(readFileSync(out, 'utf8'))).email).toBe(email);

    const unknown = await tandem(['person', 'export', '--email', `nobody@${tag}.example.com`, '--json']);
    expect(unknown.code).toBe(5);
    expect(unknown.json<{ error: { kind: string; exitCode: number } }>().error).toMatchObject({ kind: 'not-found', exitCode: 5 });
  });
});
