import { existsSync, readFileSync } from 'node:fs';
import { FAULTS_REPORT_PATH, faultsReportSchema } from '../test/support/faults-report-file.ts';

/**
 * Prints the fault suite's figures (written by `npm run test:faults` to .tandem/faults-report.json)
 * as the Markdown table docs/reliability.md keeps under "Fault suite".
 */
const path = process.argv[2] ?? FAULTS_REPORT_PATH;
if (!existsSync(path)) {
  console.error(`${path} does not exist: run \`npm run test:faults\` first`);
  process.exit(1);
}
const parsed = faultsReportSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
if (!parsed.success) {
  console.error(`${path} is not a fault suite report: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(1);
}
const rows = Object.values(parsed.data);
const cell = (text: string | number) => String(text).replaceAll('|', '\\|');
console.log(
  '| Scenario | Fault | Participants | Outcome (execution / cycle) | Faults injected | Steps failed and retried | Emails accepted / counted sent | Duplicates | Members without exactly one invitation per phase | Answers posted (2xx) / stored | Answers refused | Seconds | Load average |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${[
      r.scenario,
      r.fault,
      r.participants,
      r.outcome,
      r.faultsInjected,
      r.stepsRetried,
      `${r.emailsAccepted} / ${r.emailsCountedSent}`,
      r.duplicates,
      r.membersWithoutExactlyOneInvitation,
      `${r.answersPosted} / ${r.answersStored}`,
      r.answersRefused,
      r.seconds,
      r.loadAverage,
    ]
      .map(cell)
      .join(' | ')} |`,
  );
}
const dates = rows.map((r) => r.recordedAt).sort();
console.log(`\nRecorded ${dates[0] ?? '-'} to ${dates.at(-1) ?? '-'} (${rows.length} scenarios).`);
