import { ListEmailTemplatesCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, inject, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { TEMPLATE_HEADER } from '../../adapters/ses/ses-mailer.ts';
// The template names the sending code uses, generated from the templates' content.
import { EMAIL_TEMPLATE_NAMES as TEMPLATE_NAMES } from '../../domain/generated/email-template-names.generated.ts';
import { invokeFunction } from '../../local/lambda-runtime.ts';
import { emailsFor, uniqueTag } from '../support/fixtures.ts';
import { mailsFor, openAndSend, participantCycle, post, submit, tick } from '../browser/participant-support.ts';

const store = () => container().store;
const INVITATION = /meet your partner|conheça sua dupla/;

describe('the invitation: accept, or decline and the partner is matched again', () => {
  it('records a decline with its reason, pairs the freed partner with someone still unmatched and invites both', async () => {
    const tag = uniqueTag('decline');
    const cycle = await participantCycle(tag);
    await openAndSend(cycle.cycleId, 'goal-setting');
    const members = await store().listMembers(cycle.cycleId);
    const roster = await store().listParticipants(cycle.programId);
    expect(roster.length).toBeGreaterThan(members.length);
    const expectedBefore = (await store().getCycle(cycle.cycleId))?.phases['goal-setting']?.expected as number;

    // In reverse mode the mentor is the younger person; the people left unmatched are young too, so a senior freed by their junior partner can be paired again.
    const decliner = members.find(
      (m) =>
        m.partners.length === 1 &&
        m.partners[0]?.role === 'mentee' &&
        members.find((p) => p.participantId === m.partners[0]?.participantId)?.partners.length === 1,
    );
    expect(decliner).toBeDefined();
    const freedId = decliner?.partners[0]?.participantId as string;
    const mail = (await mailsFor(tag, INVITATION)).find((m) => m.to === decliner?.email);
    expect(mail?.text).toMatch(/Leave the program|Sair do programa/);

    // GET shows the invitation and changes nothing.
    const page = await fetch(mail?.link as string);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="_action" value="decline"');
    expect(await store().getInvitationDecision(cycle.cycleId, decliner?.participantId as string)).toBeUndefined();

    const declined = await submit(mail?.link as string, 'decline', [['reason', 'On parental leave <b>this</b> cycle']]);
    expect(declined.status).toBe(200);
    expect(declined.html).toMatch(/declined this pairing|recusou esta dupla/);
    const decision = await store().getInvitationDecision(cycle.cycleId, decliner?.participantId as string);
    expect(decision).toMatchObject({ decision: 'declined', reason: 'On parental leave <b>this</b> cycle', partnerIds: [freedId] });

    const [rematch] = await store().listRematches(cycle.cycleId);
    expect(rematch).toMatchObject({ declinedBy: decliner?.participantId, freedParticipantId: freedId });
    expect(rematch?.newPartnerId).toBeDefined();
    const newPartner = rematch?.newPartnerId as string;
    expect(members.map((m) => m.participantId)).not.toContain(newPartner);
    const pairs = await store().listPairs(cycle.cycleId);
    expect(pairs.find((p) => p.pairId === rematch?.previousPairId)).toMatchObject({ status: 'declined', declinedBy: decliner?.participantId });
    expect(pairs.map((p) => p.pairId)).toContain(rematch?.newPairId);
    const freed = await store().getMember(cycle.cycleId, freedId);
    expect(freed?.partners.map((p) => p.participantId)).toEqual([newPartner]);
    const after = await store().getCycle(cycle.cycleId);
    expect(after?.phases['goal-setting']?.expected).toBe(expectedBefore - 1 + 1);

    // The next phase step invites both people of the new pair, once.
    const sent = await tick(cycle.cycleId, 'goal-setting');
    expect(sent.emailsSent).toBe(2);
    expect((await tick(cycle.cycleId, 'goal-setting')).emailsSent).toBe(0);
    // Each in their own words: the freed person lost a partner, the new partner (a newcomer) did not.
    const freedMails = (await mailsFor(tag, INVITATION)).filter((m) => /matched you again|nova dupla para você/.test(m.text));
    const newcomerMails = (await mailsFor(tag, INVITATION)).filter((m) => /the two of you are now a pair|agora vocês formam uma dupla/.test(m.text));
    expect(freedMails.map((m) => m.to)).toEqual([freed?.email]);
    expect(newcomerMails.map((m) => m.to)).toEqual([(await store().getMember(cycle.cycleId, newPartner))?.email]);
    expect(newcomerMails[0]?.text).not.toMatch(/Your first partner|Sua primeira dupla/);

    // The decliner's link now says what happened; a second decline changes nothing.
    expect(await (await fetch(mail?.link as string)).text()).toMatch(/declined this pairing|recusou esta dupla/);
    expect((await store().listRematches(cycle.cycleId)).length).toBe(1);

    // The new partner accepts by setting goals on the invitation page.
    const newcomerMail = newcomerMails[0] as { link: string };
    const invitation = await (await fetch(newcomerMail.link)).text();
    expect(invitation).toContain('name="goal"');
    expect(invitation).toContain('name="_action" value="decline"');
    const ratings = [...invitation.matchAll(/name="(baseline:[^"]+)"/g)].map((m) => [m[1] as string, '3'] as [string, string]);
    const goals = await submit(newcomerMail.link, 'answer', [['goal', 'Learn to coach'], ...ratings]);
    expect(goals.html).toMatch(/Thank you|Obrigad/);
    expect(await store().getInvitationDecision(cycle.cycleId, newPartner)).toMatchObject({ decision: 'accepted' });
  });
});

describe('check-ins flag pairs at risk', () => {
  it('flags a pair on "need help" and on two misses in a row, with the note, for HR', async () => {
    const tag = uniqueTag('checkin');
    const cycle = await participantCycle(tag);
    await invokeFunction('open-phase', { cycleId: cycle.cycleId, phase: 'run' });
    await new Promise((r) => setTimeout(r, 2100));
    await tick(cycle.cycleId, 'run');
    const mails = await mailsFor(tag, /check-in|acompanhamento/);
    const round = (n: number) => mails.filter((m) => new RegExp(`(check-in|acompanhamento) ${n} `).test(m.subject));
    expect(round(1).length).toBeGreaterThan(0);
    expect(round(2).length).toBe(round(1).length);
    const members = await store().listMembers(cycle.cycleId);
    const single = members.filter((m) => m.partners.length === 1);
    const a = single[0];
    const b = single.find((m) => m.partners[0]?.pairId !== a?.partners[0]?.pairId);
    const mailOf = (email: string, n: number) => round(n).find((m) => m.to === email)?.link as string;

    const help = await submit(mailOf(a?.email as string, 1), 'answer', [
      ['status', 'need-help'],
      ['note', 'We cannot find a time'],
    ]);
    expect(help.html).toMatch(/Thank you|Obrigad/);
    await submit(mailOf(b?.email as string, 2), 'answer', [['status', 'not-yet']]);

    const flags = await store().listPairFlags(cycle.cycleId);
    const flagA = flags.find((f) => f.pairId === a?.partners[0]?.pairId);
    expect(flagA?.reasons).toEqual([expect.objectContaining({ participantId: a?.participantId, kind: 'need-help', round: 1, note: 'We cannot find a time' })]);
    const flagB = flags.find((f) => f.pairId === b?.partners[0]?.pairId);
    expect(flagB?.reasons).toContainEqual(expect.objectContaining({ participantId: b?.participantId, kind: 'two-misses', round: 2 }));
    expect((await store().getResponse(cycle.cycleId, 'run#1', a?.participantId as string))?.answer).toEqual({
      status: 'need-help',
      note: 'We cannot find a time',
    });

    // At the run's end, people who answered neither check-in flag their pairs too; a repeated step adds nothing.
    await new Promise((r) => setTimeout(r, 1200));
    await tick(cycle.cycleId, 'run');
    await tick(cycle.cycleId, 'run');
    const silent = single.find(
      (m) => m !== a && m !== b && m.partners[0]?.pairId !== a?.partners[0]?.pairId && m.partners[0]?.pairId !== b?.partners[0]?.pairId,
    ) as (typeof single)[number];
    const flagSilent = (await store().listPairFlags(cycle.cycleId)).find((f) => f.pairId === silent.partners[0]?.pairId);
    expect(flagSilent?.reasons.filter((r) => r.participantId === silent.participantId)).toEqual([expect.objectContaining({ kind: 'two-misses', round: 2 })]);
  });
});

describe('the feedback forum', () => {
  it('shows others’ suggestions without names once five have answered, and counts one vote per person', async () => {
    const tag = uniqueTag('forum');
    const cycle = await participantCycle(tag);
    await openAndSend(cycle.cycleId, 'feedback');
    const mails = await mailsFor(tag, /tell us what worked|conte o que funcionou/);
    const answer = (i: number) =>
      submit(mails[i]?.link as string, 'answer', [
        ['worked', `Worked ${i}`],
        ['keep', ''],
        ['more', ''],
        ['explore', ''],
        ['missingSkills', i === 0 ? 'SQL, design' : ''],
        ['improve', ''],
        ['satisfaction', '8'],
      ]);
    for (let i = 0; i < 4; i++) expect((await answer(i)).html).toMatch(/Thank you|Obrigad/);
    const before = await (await fetch(mails[5]?.link as string)).text();
    expect(before).toMatch(/at least five people|pelo menos cinco pessoas/);
    expect(before).not.toContain('Worked 0');
    const fifth = await answer(4);
    expect(fifth.html).toContain('Worked 0');
    expect(fifth.html).not.toContain('Worked 4');
    const names = (await store().listMembers(cycle.cycleId)).map((m) => m.name);
    for (const name of names) expect(fifth.html).not.toContain(name);

    const page = await (await fetch(mails[5]?.link as string)).text();
    // Not answered yet: each vote button sends the answer form, naming its suggestion in `_vote` (what was typed comes back).
    const suggestion = /name="_vote" value="([^"]+)"/.exec(page)?.[1] as string;
    const voted = await submit(mails[5]?.link as string, 'answer', [], [['_vote', suggestion]]);
    expect(voted.status).toBe(200);
    const again = await submit(mails[5]?.link as string, 'answer', [], [['_vote', suggestion]]);
    expect(again.status).toBe(200);
    const stored = (await store().listSuggestions(cycle.cycleId)).find((s) => s.suggestionId === suggestion);
    expect(stored?.votes).toBe(1);
    expect(JSON.stringify(await store().listSuggestions(cycle.cycleId))).not.toMatch(/participantId|authorId/);
    expect((await store().listSuggestions(cycle.cycleId)).find((s) => s.category === 'missingSkills')?.text).toBe('SQL, design');
  });
});

describe('link safety', () => {
  it('GET never changes anything; a form replayed on another link is refused; opt-out asks first, then acts on POST', async () => {
    const tag = uniqueTag('safety');
    const cycle = await participantCycle(tag);
    await openAndSend(cycle.cycleId, 'measure');
    const [first, second] = await mailsFor(tag, /how far did you get|até onde você chegou/);
    const cycleBefore = await store().getCycle(cycle.cycleId);
    for (const link of [first?.link, first?.optOut, second?.link]) expect((await fetch(link as string)).status).toBe(200);
    expect((await store().getCycle(cycle.cycleId))?.responses).toEqual(cycleBefore?.responses);

    const page = await (await fetch(first?.link as string)).text();
    const fields = [...page.matchAll(/name="(rating:[^"]+|attainment:\d+)"/g)].map(
      (m) => [m[1] as string, m[1]?.startsWith('rating') ? '4' : '50'] as [string, string],
    );
    const captured = await submit(first?.link as string, 'answer', fields);
    expect(captured.html).toMatch(/Thank you|Obrigad/);
    const replay = await post(second?.link as string, captured.body);
    expect(replay.status).toBe(403);
    expect(replay.html).toMatch(/does not belong to this link|não pertence a este link/);
    const noBinding = await post(second?.link as string, captured.body.replace(/_bind=[^&]+/, '_bind=x'));
    expect(noBinding.status).toBe(403);
    expect((await store().getCycle(cycle.cycleId))?.responses.measure).toBe(1);

    const who = (await store().listParticipants(cycle.programId)).find((p) => p.email === second?.to);
    expect(who?.status).toBe('active');
    const confirm = await (await fetch(second?.optOut as string)).text();
    expect(confirm).toMatch(/Yes, leave the program|Sim, sair do programa/);
    const left = await submit(second?.optOut as string, 'opt-out');
    expect(left.html).toMatch(/You have left the program|Você saiu do programa/);
    expect((await store().listParticipants(cycle.programId)).find((p) => p.email === second?.to)?.status).toBe('opted-out');
  });

  it('sends participant emails as SES templates, created once in the local SES', async () => {
    // The stack created exactly the templates the code defines: one per phase and language, no other and no stale version.
    const ses = new SESv2Client({ endpoint: inject('localStack').endpoints.ses });
    const { TemplatesMetadata } = await ses.send(new ListEmailTemplatesCommand({ PageSize: 100 }));
    const created = (TemplatesMetadata ?? []).map((t) => t.TemplateName ?? '').filter((name) => name.startsWith('tandem-'));
    expect(created).toHaveLength(new Set(created).size);
    expect([...created].sort()).toEqual(Object.values(TEMPLATE_NAMES).sort());

    // Every email a participant receives names the created template of its phase in the participant's language.
    const tag = uniqueTag('templates');
    const cycle = await participantCycle(tag);
    await openAndSend(cycle.cycleId, 'goal-setting');
    const languageOf = new Map((await store().listMembers(cycle.cycleId)).map((m) => [m.email, m.language]));
    const received = (await emailsFor(tag)).filter((e) => languageOf.has(e.destination.to[0] as string));
    expect(received).toHaveLength(languageOf.size);
    expect(new Set(received.map((e) => languageOf.get(e.destination.to[0] as string)))).toEqual(new Set(['en', 'pt-BR']));
    for (const email of received) {
      const named = email.headers?.find((h) => h.name === TEMPLATE_HEADER)?.value;
      expect(created).toContain(named);
      expect(named).toBe(TEMPLATE_NAMES[`goal-setting/${languageOf.get(email.destination.to[0] as string)}`]);
    }
  });
});
