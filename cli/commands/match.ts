import { previewMatch, type MatchPreviewRequest } from '../../services/match-preview.ts';

/**
 * `tandem match --program ID [--roster FILE] [--json] [--scores-out FILE.csv]`: prints the
 * preview that services/match-preview.ts computes, as a table or as JSON.
 */
export interface MatchPreviewOptions extends MatchPreviewRequest {
  /** Print JSON instead of a table. */
  json?: boolean;
}

const pad = (text: string, width: number) => (text.length >= width ? text : text + ' '.repeat(width - text.length));

/** Previews the pairs for a program and roster; returns the text to print (a table, or JSON). */
export async function runMatchPreview(options: MatchPreviewOptions): Promise<string> {
  const { json, ...request } = options;
  const { summary, result, names } = await previewMatch(request);
  if (json) {
    return JSON.stringify({ ...summary, pairs: result.pairs, unmatched: result.unmatched }, null, 2);
  }

  const lines: string[] = [];
  const { totalScore, seconds } = summary;
  const optimality =
    summary.provenOptimal !== undefined && summary.upperBound !== undefined
      ? summary.provenOptimal
        ? 'proven optimal'
        : `not proven optimal: at most ${(summary.upperBound - totalScore).toFixed(2)} below the best possible`
      : `by the ${summary.matcher} matcher`;
  lines.push(
    `Program ${summary.programId} (${summary.mode} mode, ${summary.objective}): ${summary.takingPart} of ${summary.roster} taking part, ` +
      `${summary.pairs} pairs, ${summary.unmatched} unmatched; total score ${totalScore.toFixed(2)} (${optimality}) in ${seconds.toFixed(2)} s.`,
  );
  lines.push('');
  const rows = result.pairs.map((p) => [
    `${names.get(p.mentorId) ?? p.mentorId} (${p.mentorId})`,
    `${names.get(p.menteeId) ?? p.menteeId} (${p.menteeId})`,
    p.score.toFixed(2),
    p.explanation,
  ]);
  const header = ['Mentor', 'Mentee', 'Score', 'Why'];
  const widths = [0, 1, 2].map((k) => Math.max((header[k] as string).length, ...rows.map((r) => (r[k] as string).length)));
  const format = (r: string[]) =>
    [pad(r[0] as string, widths[0] as number), pad(r[1] as string, widths[1] as number), (r[2] as string).padStart(widths[2] as number), r[3]].join('  ');
  lines.push(format(header));
  for (const r of rows) lines.push(format(r));
  if (result.unmatched.length > 0) {
    lines.push('', 'Unmatched:');
    for (const u of result.unmatched) lines.push(`  ${names.get(u.participantId) ?? u.participantId} (${u.participantId}): ${u.reason}`);
  }
  if (summary.scoresOut) lines.push('', `Scores of all ${summary.scoredPairs} eligible pairs written to ${summary.scoresOut}.`);
  return lines.join('\n');
}
