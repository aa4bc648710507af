/**
 * npm run bench:pacing — one phase's invitations sent through the local stack to a local SES that
 * plays an account allowed `--rate` emails a second and refuses the excess as SES does. The
 * phase-tick function reads the rate with GetAccount, as on AWS, and is invoked the way the
 * workflow does: again at once while it stopped for time, with the deployed function's timeout.
 * Reports emails sent, throttled calls, the achieved rate against the allowed one, wall time and
 * invocations of the step; per invocation, its rate, the seconds before its first email reached
 * SES, and the rate from its first email to its last (the SES stand-in stamps each email to the
 * second), to tell the pace from what each invocation spends before sending.
 * Usage: npm run bench:pacing [-- --rate 14 --emails 10000]   (quick: --rate 50 --emails 1000)
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TransientError } from '../domain/errors.ts';
import { SIZING } from '../infra/constructs/handlers.ts';
import { invokeFunction } from '../local/lambda-runtime.ts';
import { capturedEmails } from '../local/ses-local.ts';
import type { PhaseProgress } from '../services/phases/engine.ts';
import { benchMember, openBenchCycle, startBenchStack } from './bench-stack.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '14' },
    emails: { type: 'string', default: '10000' },
  },
});
const rate = Number(values.rate);
const emails = Number(values.emails);
if (!(rate > 0) || !Number.isInteger(emails) || emails < 1) {
  console.error('usage: npm run bench:pacing [-- --rate <emails per second, above 0> --emails <whole number, at least 1>]');
  process.exit(2);
}

// The rate must come from the account (GetAccount), as it does on AWS when nothing is configured.
delete process.env.TANDEM_SES_MAX_SEND_RATE;
const timeoutMs = SIZING['phase-tick'].timeout.toMilliseconds();
const bench = await startBenchStack('pacing', {
  functionTimeoutMs: timeoutMs,
  sesAccount: { maxSendRate: rate, max24HourSend: Math.max(50_000, emails * 2), sentLast24Hours: 0, enforceRate: true },
});
const { stack } = bench;
try {
  const members = Array.from({ length: emails }, (_, i) => benchMember(i, `p${String(i + 1).padStart(5, '0')}`));
  const cycle = await openBenchCycle('pacing', members, 'goal-setting');
  const event = { cycleId: cycle.cycleId, phase: 'goal-setting' };
  console.error(`sending ${emails} goal-setting invitations at ${rate}/s (phase-tick timeout ${timeoutMs / 1000} s)…`);

  const started = Date.now();
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  let invocations = 0;
  const failedInvocations: string[] = [];
  let sent = 0;
  const windows: Array<{ start: number; end: number; sent: number }> = [];
  for (;;) {
    const start = Date.now();
    let progress: PhaseProgress;
    try {
      progress = (await invokeFunction('phase-tick', event, timeoutMs)) as PhaseProgress;
    } catch (error) {
      // The workflow retries a step that failed for a passing reason (TransientError and its kinds); so does the bench, and counts it.
      if (!(error instanceof TransientError)) throw error;
      failedInvocations.push(`${error.name}: ${error.message}`);
      console.error(`  invocation failed (${error.name}: ${error.message}); calling again as the workflow's Retry does`);
      continue;
    }
    windows.push({ start, end: Date.now(), sent: progress.emailsSent });
    invocations++;
    sent += progress.emailsSent;
    console.error(`  invocation ${invocations}: ${progress.emailsSent} sent (${sent} of ${emails}) after ${Math.round((Date.now() - started) / 1000)} s`);
    // The workflow calls again at once only when the step stopped for time (waitSeconds 0, not complete).
    if (progress.complete || progress.waitSeconds > 0) break;
  }
  const seconds = (Date.now() - started) / 1000;
  const ses = stack.sesSending();
  const achievedRate = sent / seconds;
  const round2 = (n: number) => Math.round(n * 100) / 100;
  // Seconds at which SES accepted each email; an invocation's emails are those stamped within it (to the second).
  const stamps = (await capturedEmails(stack.endpoints.ses)).map((e) => e.at).sort((a, b) => a - b);
  const perInvocation = windows.map(({ start, end, sent: count }) => {
    const within = stamps.filter((at) => at >= Math.floor(start / 1000) && at <= Math.floor(end / 1000));
    const first = within[0] ?? 0;
    const last = within.at(-1) ?? 0;
    return {
      emails: count,
      seconds: round2((end - start) / 1000),
      rate: round2(count / ((end - start) / 1000)),
      secondsBeforeFirstEmail: within.length ? Math.max(0, first - Math.floor(start / 1000)) : null,
      rateFirstToLastEmail: within.length > 1 ? round2(count / (last - first + 1)) : null,
    };
  });
  const result = {
    emails,
    emailsSent: sent,
    sesAccepted: ses.accepted,
    throttledCalls: ses.throttled,
    allowedRate: rate,
    achievedRate: Math.round(achievedRate * 100) / 100,
    ofAllowed: `${Math.round((achievedRate / rate) * 1000) / 10}%`,
    wallSeconds: Math.round(seconds * 10) / 10,
    invocations,
    failedInvocations,
    functionTimeoutSeconds: timeoutMs / 1000,
    perInvocation,
    loadAverage: { before: loadBefore, after: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') },
  };
  console.log(JSON.stringify(result));
  if (sent !== emails || ses.throttled > 0) process.exitCode = 1;
} finally {
  await bench.stop();
}
