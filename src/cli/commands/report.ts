// `smokestack report <result.json> [--out DIR]`: re-renders index.html, junit.xml and summary.md
// (and a redacted result.json) from a result, by default next to the result file.
import path from 'node:path';
import { readResultFile } from '../../report/read-result.js';
import { writeReports } from '../../report/write-reports.js';
import type { CliContext } from '../context.js';

export interface ReportCommandOptions {
  out?: string;
}

export async function reportCommand(
  resultFile: string,
  opts: ReportCommandOptions,
  ctx: Pick<CliContext, 'stdout' | 'stderr' | 'signal'>,
): Promise<number> {
  const result = await readResultFile(resultFile);
  const dir = opts.out ?? path.dirname(resultFile);
  const written = await writeReports(result, { dir });
  ctx.stdout.write(`${path.join(written.dir, 'index.html')}\n`);
  return 0;
}
