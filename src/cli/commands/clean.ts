// `smokestack clean` (also `up --clean`): removes the containers, networks and volumes of runs whose process
// is gone, found by the labels every started thing carries (smokestack.run and the owner labels),
// and says what it removed and what it spared. `--all` sweeps live runs too: on a terminal it asks
// first; without one it needs `--yes`, so a CI script cannot remove other jobs' live runs by accident.
import { UsageError } from '../../errors.js';
import { type CleanDecision, cleanRuns } from '../../stack/clean.js';
import { checkEngine } from '../../stack/engine.js';
import type { CliContext } from '../context.js';

export interface CleanOptions {
  all?: boolean;
  yes?: boolean;
  /** Only these run ids: a script or test cleans its own runs and no one else's. */
  run?: string[];
}

export async function cleanCommand(_args: string[], opts: CleanOptions, ctx: CliContext): Promise<number> {
  const all = opts.all === true;
  if (all && opts.yes !== true && !ctx.confirm) {
    throw new UsageError('clean --all removes live runs too, and there is no terminal to confirm it', {
      fix: 'add --yes to confirm (`smokestack clean --all --yes`), or run `smokestack clean` to remove only runs whose process is gone',
    });
  }
  await checkEngine();
  const confirm =
    all && opts.yes !== true && ctx.confirm
      ? async (plan: CleanDecision[]) => {
          const live = plan.filter((d) => d.state !== 'gone');
          for (const d of plan) ctx.stderr.write(`  ${describe(d)}\n`);
          return ctx.confirm!(
            `remove ${count(plan, 'run')}${live.length > 0 ? `, ${live.length} of them live or not checkable` : ''}? [y/N] `,
          );
        }
      : undefined;
  const { removed, spared } = await cleanRuns({ all, confirm, runIds: opts.run });
  for (const d of removed) ctx.stdout.write(`removed ${describe(d)}\n`);
  for (const d of spared) ctx.stdout.write(`spared  ${describe(d)}\n`);
  const totals = (ds: CleanDecision[]) =>
    `${count(
      ds.flatMap((d) => d.containers),
      'container',
    )} and ${count(
      ds.flatMap((d) => d.networks),
      'network',
    )}`;
  ctx.stdout.write(
    `removed ${totals(removed)} of ${count(removed, 'run')}; spared ${count(spared, 'run')}` +
      (spared.length > 0
        ? ' (live, or not checkable from here: `smokestack clean --all` removes them too)'
        : '') +
      '\n',
  );
  return 0;
}

function describe(d: CleanDecision): string {
  const volumes = d.volumes?.length ? `, ${count(d.volumes, 'volume')}` : '';
  return `run ${d.runId}: ${count(d.containers, 'container')}, ${count(d.networks, 'network')}${volumes} (${d.why})`;
}

function count(items: unknown[], noun: string): string {
  return `${items.length} ${noun}${items.length === 1 ? '' : 's'}`;
}
