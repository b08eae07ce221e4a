// `smokestack up <scenario>`: start the stack and mocks only, print one line per URL, follow the
// containers' logs (prefixed per container, like compose) and tear everything down on Ctrl-C.
import { UsageError } from '../../errors.js';
import { composeEnvs } from '../../redact/compose-env.js';
import { createMasker } from '../../redact/rules.js';
import { secretValues } from '../../redact/secret-values.js';
import { bringUp } from '../../run/bring-up.js';
import { newRunId } from '../../run/run-id.js';
import { loadScenario } from '../../scenario/load-scenario.js';
import { timeoutOverride } from '../../server/override.js';
import { Teardown } from '../../util/teardown.js';
import { stripTerminalControls } from '../../util/terminal-text.js';
import type { CliContext } from '../context.js';
import { createProgress } from '../progress.js';
import { waitForSignal } from '../wait.js';
import { cleanCommand } from './clean.js';

export async function upCommand(
  args: string[],
  opts: Record<string, unknown>,
  ctx: CliContext,
): Promise<number> {
  if (opts.clean) return cleanCommand([], {}, ctx);
  const file = args[0];
  if (!file)
    throw new UsageError('up: which scenario?', { fix: 'smokestack up scenarios/tmdb-import-fixed.yaml' });
  const scenario = await loadScenario(file);
  if (!scenario.stack.app) {
    throw new UsageError(`${scenario.file}: stack.app is missing`, {
      fix: 'describe the app under stack.app',
    });
  }
  const image = typeof opts.image === 'string' ? opts.image : undefined;
  if (!image && !scenario.stack.app.image && !scenario.stack.compose) {
    throw new UsageError(`${scenario.file} stack.app.image: no image to start`, {
      fix: 'set stack.app.image or pass --image REF',
    });
  }
  const progress = createProgress({ stream: ctx.stderr, live: false, enabled: true });
  const teardown = new Teardown();
  const runId = newRunId(scenario.name);
  let following = false;
  const width = 10;
  // Log lines are the containers' own text: the run's secrets masked, terminal controls removed.
  const mask = createMasker(secretValues(scenario, {}, composeEnvs(scenario)));
  const logLine = (l: { source: string; line: string }) =>
    `${l.source.padEnd(width).slice(0, width)} | ${stripTerminalControls(mask(l.line))}\n`;
  try {
    const started = Date.now();
    const env = await bringUp(scenario, {
      runId,
      containers: true,
      image,
      serverTimeout: timeoutOverride(undefined, scenario),
      teardown,
      signal: ctx.signal,
      onStage: (m) => progress.stage(m),
      onLog: (l) => {
        if (following && !opts.quiet) ctx.stdout.write(logLine(l));
      },
    });
    if (ctx.signal.aborted) return 130;
    const { stack, mocks } = env;
    ctx.stdout.write(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s (run ${runId})\n`);
    ctx.stdout.write(`app  ${stack!.baseUrl}\n`);
    if (stack!.databaseUrl) ctx.stdout.write(`db   ${stack!.databaseUrl}\n`);
    for (const m of mocks) {
      const on = m.listening.map((l) => l.address).join(', ');
      ctx.stdout.write(`${m.name}  ${m.url}  (containers: ${m.containerUrl()}; listening on ${on})\n`);
    }
    ctx.stdout.write('published ports: 127.0.0.1 only\n');
    const s = stack!.server;
    ctx.stdout.write(
      `server ${s.kind}: timeout ${s.timeoutS}s (${s.timeoutSource})${s.workers ? `, ${s.workers} workers` : ''}\n`,
    );
    ctx.stdout.write('Ctrl-C tears everything down.\n');
    if (!opts.quiet) {
      for (const l of stack!.logs()) ctx.stdout.write(logLine(l));
    }
    following = true;
    await waitForSignal(ctx.signal);
    return 130;
  } finally {
    following = false;
    progress.stage('tearing down');
    await teardown.run();
  }
}
