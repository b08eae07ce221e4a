// `smokestack run [scenario...]`: validate every file first (nothing starts on a bad one), then run
// each scenario in turn, print the console summary, and return the verdict's exit code.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { checkOutDir } from '../../report/check-out-dir.js';
import { formatConsoleSummary } from '../../report/console-summary.js';
import { parseResultText } from '../../report/read-result.js';
import type { RunResult } from '../../result/types.js';
import { loadScenario } from '../../scenario/load-scenario.js';
import type { Scenario } from '../../scenario/types.js';
import { parseDuration } from '../../units/index.js';
import type { CliContext } from '../context.js';
import { createProgress } from '../progress.js';
import { runWithReports } from '../run-with-reports.js';
import { waitForSignal } from '../wait.js';

export interface RunCommandOptions {
  image?: string;
  url?: string;
  databaseUrl?: string;
  allowRemote?: string[];
  out: string;
  serverTimeout?: string;
  baseline?: string;
  json?: boolean;
  progress: boolean;
  keep?: boolean;
  seed?: string;
}

const DEFAULT_SCENARIO = 'scenarios/smoke.yaml';

export async function runCommand(
  files: string[],
  raw: Record<string, unknown>,
  ctx: CliContext,
): Promise<number> {
  const opts = raw as unknown as RunCommandOptions;
  const serverTimeoutMs =
    opts.serverTimeout === undefined ? undefined : optionDuration('--server-timeout', opts.serverTimeout);
  const seed = opts.seed === undefined ? undefined : Number(opts.seed);
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0))
    throw new UsageError(`--seed: expected an integer, got ${JSON.stringify(opts.seed)}`, {
      fix: 'pass a whole number such as --seed 1',
    });
  if (opts.databaseUrl && !opts.url)
    throw new UsageError('--database-url goes with --url', { fix: 'add --url URL, or drop --database-url' });
  const baseline = opts.baseline ? await readBaseline(opts.baseline) : undefined;

  // Validate every scenario, and that the reports can be written, before anything starts.
  const scenarios: Scenario[] = [];
  for (const file of files.length > 0 ? files : [DEFAULT_SCENARIO])
    scenarios.push(await loadScenario(file, { signal: ctx.signal }));
  await checkOutDir(opts.out);

  const progress = createProgress({
    stream: ctx.stderr,
    live: ctx.isTTY && !ctx.ci,
    enabled: opts.progress !== false,
  });
  const results: RunResult[] = [];
  let exit = 0;
  const printJson = () => {
    if (opts.json)
      ctx.stdout.write(`${JSON.stringify(results.length === 1 ? results[0] : results, null, 2)}\n`);
  };
  for (const scenario of scenarios) {
    progress.stage(`scenario ${scenario.name} (${scenario.file})`);
    const { result, failure, notTornDown, reportDir } = await runWithReports(scenario, {
      image: opts.image,
      url: opts.url,
      databaseUrl: opts.databaseUrl,
      allowRemote: opts.allowRemote,
      outRoot: opts.out,
      serverTimeoutMs,
      seed,
      baseline,
      signal: ctx.signal,
      onStage: (m) => progress.stage(m),
      onProgress: (s, phase) => progress.traffic(s, phase),
      keep: opts.keep
        ? async ({ baseUrl, databaseUrl, mocks }) => {
            progress.done();
            ctx.stderr.write(`stack kept up (--keep); Ctrl-C tears it down\n  app  ${baseUrl}\n`);
            if (databaseUrl) ctx.stderr.write(`  db   ${databaseUrl}\n`);
            for (const m of mocks) ctx.stderr.write(`  ${m.name}  ${m.url}\n`);
            await waitForSignal(ctx.signal);
          }
        : undefined,
    });
    progress.done();
    reportNotTornDown(notTornDown, ctx);
    results.push(result);
    if (failure) {
      if (reportDir) ctx.stderr.write(`partial result written to ${path.join(reportDir, 'result.json')}\n`);
      printJson();
      throw failure;
    }
    if (!opts.json) ctx.stdout.write(`${formatConsoleSummary(result, { color: ctx.isTTY, reportDir })}\n`);
    if (result.status === 'failed') exit = Math.max(exit, 1);
    if (ctx.signal.aborted) break;
  }
  printJson();
  return exit;
}

/** Teardown gave up on these (a hung engine): say so, and how they go later. */
function reportNotTornDown(names: string[] | undefined, ctx: CliContext): void {
  if (!names || names.length === 0) return;
  ctx.stderr.write(`could not tear down within the deadline: ${names.join('; ')}\n`);
  ctx.stderr.write(
    '  fix: run `smokestack clean` once the engine answers (this run is then gone, so it is removed)\n',
  );
}

function optionDuration(option: string, value: string): number {
  try {
    return parseDuration(value);
  } catch (error) {
    throw new UsageError(`${option}: ${(error as Error).message}`, { fix: `e.g. ${option} 30s` });
  }
}

async function readBaseline(file: string): Promise<RunResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`--baseline ${file}: cannot read the file`, {
      fix: 'give the path of an earlier result.json',
    });
  }
  return parseResultText(text, file, `--baseline ${file}`);
}
