// `smokestack init [--image REF | --compose FILE] [--out FILE] [--force] [--no-probe]`: writes a
// commented starter scenario, prints what was found and what was guessed (one line each) and the
// next commands. A thin adapter over src/init: parse options, call, print.
import { UsageError } from '../../errors.js';
import { initFromCompose } from '../../init/from-compose.js';
import { initFromImage } from '../../init/init.js';
import type { CliContext } from '../context.js';

const USAGE = 'usage: smokestack init [--image REF | --compose FILE] [--out FILE] [--force]';

export async function initCommand(
  _args: string[],
  opts: Record<string, unknown>,
  ctx: CliContext,
): Promise<number> {
  const image = typeof opts.image === 'string' ? opts.image : undefined;
  const compose = typeof opts.compose === 'string' ? opts.compose : undefined;
  if ((image === undefined) === (compose === undefined))
    throw new UsageError(
      `init needs exactly one of --image REF or --compose FILE (${image ? 'both' : 'neither'} given)`,
      {
        fix: USAGE,
      },
    );
  const out = String(opts.out ?? 'smoke.yaml');
  const force = opts.force === true;
  const probe = opts.probe !== false;
  const onProgress = (m: string) => ctx.stderr.write(`init: ${m}\n`);
  const outFlag = opts.out === undefined || out === 'smoke.yaml' ? '' : ` --out ${out}`;
  const common = { out, force, signal: ctx.signal, onProgress };
  const outcome = image
    ? await initFromImage({
        ...common,
        image,
        probe,
        invocation: `smokestack init --image ${image}${outFlag}`,
      })
    : await initFromCompose({
        ...common,
        compose: compose!,
        // The CLI edge reads the environment: compose interpolates ${VAR} from it, as compose does.
        env: process.env,
        invocation: `smokestack init --compose ${compose}${outFlag}`,
      });
  for (const line of outcome.found) ctx.stdout.write(`found    ${line}\n`);
  for (const line of outcome.guessed) ctx.stdout.write(`guessed  ${line}\n`);
  ctx.stdout.write(`wrote    ${outcome.file}\n`);
  if (outcome.warning) ctx.stderr.write(`init: warning: ${outcome.warning}\n`);
  ctx.stdout.write(`next     smokestack validate ${outcome.file} && smokestack run ${outcome.file}\n`);
  return 0;
}
