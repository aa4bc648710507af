import type { Command } from 'commander';
import { terminalSafe } from '../../domain/text.ts';

/** Prints the result: JSON (one document on stdout) with --json, else the human text. */
export function emit(json: boolean, data: unknown, human: () => string): void {
  if (json) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  else {
    // Stored text came from people (names, answers, suggestions): never let it drive the terminal.
    const text = terminalSafe(human());
    if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

/**
 * Says a command failed, as every command does: with --json, one document on stdout
 * (`{"error": {"kind", "exitCode", "message", ...}}`); always the message on stderr, made safe for the
 * terminal (an error can quote what a person typed: a file's cell, a stored name).
 */
export function reportFailure(json: boolean, error: { kind: string; exitCode: number; message: string } & Record<string, unknown>): void {
  if (json) process.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
  console.error(terminalSafe(`tandem: ${error.message}`));
}

/** A plain-text table: a header, a rule, and left-aligned columns (numbers right-aligned). */
export function table(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | undefined>>): string {
  const cells = rows.map((r) => header.map((_, i) => (r[i] === undefined ? '' : String(r[i]))));
  const numeric = header.map((_, i) => cells.length > 0 && cells.every((r) => /^-?[\d.,]+%?$|^$/.test(r[i] as string)));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] as string).length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** Elapsed time as the ops pages print it too: "98ms", "37.5s", "1h 2m". */
export { formatElapsed as formatDuration } from '../../domain/duration-format.ts';

/** "2027-03-01 12:00:05Z" — compact, sortable, UTC. */
export function formatTime(iso: string | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}

/** A progress bar on stderr, drawn only when stderr is a terminal and the output is not JSON. */
export function progressBar(label: string, json: boolean): ((done: number, total: number) => void) & { end(): void } {
  const enabled = !json && process.stderr.isTTY === true;
  let drawn = false;
  const update = (done: number, total: number) => {
    if (!enabled || total === 0) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${Math.floor((done / total) * 100)}% ${done}/${total}`);
    drawn = true;
  };
  return Object.assign(update, {
    end() {
      if (drawn) process.stderr.write('\n');
    },
  });
}

/** Adds --json and an example to a command's help. */
export function withJson(command: Command, example: string): Command {
  return command
    .option('--json', 'print JSON on stdout (for scripts); errors too, as {"error": {...}}', false)
    .addHelpText(
      'after',
      `\nExample:\n  ${example}\n\nExit codes: 0 done, 1 failed, 2 bad input, 3 not configured or unreachable, 4 unexpected, 5 not found, 6 conflict, 7 not supported by the target (docs/cli.md).`,
    );
}
