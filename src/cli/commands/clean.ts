// `smokestack clean` (also `up --clean`): removes containers and networks that a crashed run left
// behind, found by the label every started thing carries (smokestack.run).
import { cleanLeftovers } from '../../stack/clean.js';
import { checkEngine } from '../../stack/engine.js';
import type { CliContext } from '../context.js';

export async function cleanCommand(
  _args: string[],
  _opts: Record<string, unknown>,
  ctx: CliContext,
): Promise<number> {
  await checkEngine();
  const removed = await cleanLeftovers();
  ctx.stdout.write(
    `removed ${removed.containers} container(s) and ${removed.networks} network(s) labelled smokestack.run\n`,
  );
  return 0;
}
