// `smokestack validate <scenario...>`: check scenario files, start nothing. Every file is checked
// (not just up to the first bad one) so one run shows every problem; exit 2 when any is bad.
import path from 'node:path';
import { formatUnsupported, loadCompose } from '../../compose/index.js';
import { ScenarioError } from '../../errors.js';
import { loadScenario } from '../../scenario/load-scenario.js';
import type { Scenario } from '../../scenario/types.js';
import type { CliContext } from '../context.js';

export async function validateCommand(
  files: string[],
  opts: Record<string, unknown>,
  ctx: CliContext,
): Promise<number> {
  const good: Scenario[] = [];
  const bad: ScenarioError[] = [];
  for (const file of files) {
    try {
      good.push(await loadScenario(file));
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      bad.push(error);
    }
  }
  if (opts.json) ctx.stdout.write(`${JSON.stringify(good, null, 2)}\n`);
  else for (const s of good) ctx.stdout.write(`ok  ${s.file} (${s.name})\n`);
  // A valid compose stack may still set keys smokestack does not use: the same warning run prints.
  for (const s of good) {
    if (!s.stack.compose) continue;
    const file = path.resolve(path.dirname(s.file), s.stack.compose.file);
    const unused = formatUnsupported(loadCompose(file, process.env), path.relative(process.cwd(), file));
    if (unused) ctx.stderr.write(`warning: ${unused}\n`);
  }
  for (const e of bad) ctx.stderr.write(`${e.message}\n`);
  if (bad.length === 0) return 0;
  ctx.stderr.write(`${bad.length} of ${files.length} scenario file(s) invalid\n`);
  return 2;
}
