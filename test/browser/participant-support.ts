import { expect } from 'vitest';
import { container } from '../../adapters/container.ts';
import { newCycle, type Cycle } from '../../domain/cycle.ts';
import type { ProgramInput } from '../../domain/program.ts';
import { invokeFunction } from '../../local/lambda-runtime.ts';
import { createProgramWithRoster, emailsFor } from '../support/fixtures.ts';

export const LINK = /https?:\/\/[^\s]+\/s\/[A-Za-z0-9._-]+/g;

/** A cycle stored directly (no workflow), so that each phase can be opened and ticked by the test. */
export async function participantCycle(tag: string, overrides: Partial<ProgramInput> = {}): Promise<Cycle> {
  const program = await createProgramWithRoster(tag, {
    phaseWindows: { goalSetting: 'PT1H', run: 'PT3S', measure: 'PT1H', feedback: 'PT1H' },
    checkInCadence: 'PT1S',
    reminders: { beforeDeadline: [] },
    ...overrides,
  });
  const cycle: Cycle = newCycle(program, `${tag}-c1`, Date.now());
  expect(await container().store.createCycle(cycle)).toBe(true);
  await invokeFunction('identify', { cycleId: cycle.cycleId });
  return cycle;
}

export async function openAndSend(cycleId: string, phase: string): Promise<{ emailsSent: number }> {
  await invokeFunction('open-phase', { cycleId, phase });
  return tick(cycleId, phase);
}

export const tick = (cycleId: string, phase: string) => invokeFunction('phase-tick', { cycleId, phase }) as Promise<{ emailsSent: number; complete: boolean }>;

export interface ParticipantMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The phase link (the call to action) and the opt-out link. */
  link: string;
  optOut: string;
}

/** The test's emails whose subject matches, each with its call to action (the first link) and its opt-out (the last). */
export async function mailsFor(tag: string, subject: RegExp): Promise<ParticipantMail[]> {
  return (await emailsFor(tag))
    .filter((e) => subject.test(e.subject))
    .map((e) => {
      const links = [...(e.body.text ?? '').matchAll(LINK)].map((m) => m[0]);
      return {
        to: e.destination.to[0] as string,
        subject: e.subject,
        text: e.body.text ?? '',
        html: e.body.html ?? '',
        link: links[0] as string,
        optOut: links[links.length - 1] as string,
      };
    });
}

const attr = (attrs: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(attrs)?.[1];

/** The hidden fields of the page's form with this `_action` (what a browser would send along). */
export function hiddenFields(html: string, action: string): Array<[string, string]> {
  for (const [, inner] of html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/g)) {
    const hidden = [...(inner ?? '').matchAll(/<input\b([^>]*)>/g)]
      .map(([, attrs]) => attrs ?? '')
      .filter((attrs) => attr(attrs, 'type') === 'hidden')
      .map((attrs) => [attr(attrs, 'name') ?? '', (attr(attrs, 'value') ?? '').replace(/&amp;/g, '&')] as [string, string]);
    if (hidden.some(([n, v]) => n === '_action' && v === action)) return hidden;
  }
  throw new Error(`no form with _action=${action} on the page`);
}

/** GETs the link, then POSTs the form with this action, filled with `fields`. */
export async function submit(link: string, action: string, fields: Array<[string, string]> = [], extra: Array<[string, string]> = []) {
  const page = await (await fetch(link)).text();
  const body = new URLSearchParams([...hiddenFields(page, action), ...fields, ...extra]);
  const response = await fetch(link, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  return { status: response.status, html: await response.text(), body: body.toString() };
}

export const post = async (link: string, body: string) => {
  const response = await fetch(link, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  return { status: response.status, html: await response.text() };
};
