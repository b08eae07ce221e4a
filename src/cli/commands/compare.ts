// `smokestack compare <baseline.json> <current.json> [--tolerance SPEC] [--json]`: prints the
// regressions beyond the tolerances and run-to-run noise (rules in ../../report/compare.ts);
// exit 1 when there is one, 0 otherwise, 2 when a file is missing or not a result.
import { compareResults } from '../../report/compare.js';
import { formatComparison } from '../../report/format-comparison.js';
import { readResultFile } from '../../report/read-result.js';
import { parseTolerance } from '../../report/tolerance.js';
import type { CliContext } from '../context.js';

export interface CompareCommandOptions {
  tolerance?: string;
  json?: boolean;
}

export async function compareCommand(
  baselineFile: string,
  currentFile: string,
  opts: CompareCommandOptions,
  ctx: Pick<CliContext, 'stdout' | 'stderr' | 'signal'>,
): Promise<number> {
  const tolerances = parseTolerance(opts.tolerance);
  const [baseline, current] = await Promise.all([readResultFile(baselineFile), readResultFile(currentFile)]);
  const comparison = compareResults(baseline, current, tolerances);
  ctx.stdout.write(
    opts.json ? `${JSON.stringify(comparison, null, 2)}\n` : `${formatComparison(comparison)}\n`,
  );
  return comparison.ok ? 0 : 1;
}
