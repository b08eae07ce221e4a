// `smokestack init --compose` as a library call: the compose file is the stack and its app
// service the one under test. The app's image is read when it is there (built or pulled); a
// service that is only `build:` so far still gets a starter, from what the compose file says.
// Not probed: the compose stack starts only under `run`, and a healthcheck in the file usually
// names the path anyway (docs/init.md).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ImageName } from 'testcontainers';
import { loadCompose } from '../compose/index.js';
import { UsageError } from '../errors.js';
import { newRunId } from '../run/run-id.js';
import { parseScenario } from '../scenario/load-scenario.js';
import { detectServerConfig } from '../server/config.js';
import type { AppRun } from '../server/from-image.js';
import { composeAppRun } from '../stack/compose-plan.js';
import { checkEngine } from '../stack/engine.js';
import { imageReader } from '../stack/images.js';
import { runLabels } from '../stack/run-owner.js';
import { composeFacts, pickAppService } from './compose-app.js';
import { guessStarter } from './guess.js';
import type { CommonOptions, InitOutcome } from './init.js';
import { linesOf } from './lines.js';
import { type ImageFindings, readImage } from './read-image.js';
import { notProbed, type Readiness } from './readiness.js';
import { renderStarter } from './render.js';
import { refuseOverwrite, writeAtomically } from './write-starter.js';

export interface InitComposeOptions extends CommonOptions {
  compose: string;
  /** Interpolation of the compose file (`${VAR:-default}`), as compose itself reads it. */
  env: Readonly<Record<string, string | undefined>>;
}

export async function initFromCompose(o: InitComposeOptions): Promise<InitOutcome> {
  await refuseOverwrite(o.out, o.force);
  if (!existsSync(o.compose))
    throw new UsageError(`${o.compose}: compose file not found`, {
      fix: 'give --compose the path of your docker-compose.yml (relative to this folder)',
    });
  const project = loadCompose(o.compose, o.env);
  const pick = pickAppService(project);
  if (!pick)
    throw new UsageError(
      `${o.compose}: no service publishes a port (ports or expose) and runs an image or a build`,
      {
        fix: 'give the web service `ports: ["8000:8000"]` (or expose), or use init --image REF',
      },
    );
  const facts = composeFacts(project, pick.app);
  const progress = (m: string) => o.onProgress?.(m);
  // The server is read from what the service runs: its command and entrypoint over the image's.
  const run: AppRun = { env: pick.app.env, ...composeAppRun(pick.app, project.file) };
  let findings: ImageFindings | undefined;
  let imageNote: string | undefined;
  if (pick.app.image) {
    progress('checking the container engine');
    const client = await checkEngine(undefined, undefined, o.signal);
    if (await client.image.exists(ImageName.fromString(pick.app.image))) {
      progress(`reading ${pick.app.image}`);
      const reader = imageReader(client, runLabels(newRunId('init')));
      findings = await readImage(reader, pick.app.image, run);
    } else imageNote = `image ${pick.app.image} is not built yet`;
  } else imageNote = 'the service has no image name';
  findings ??= composeOnly(pick.app.name, run);
  const starter = guessStarter(findings, { serviceHosts: project.services.map((s) => s.name) });
  starter.port = facts.port;
  starter.name = `${
    path
      .basename(project.dir)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'app'
  }-smoke`;
  if (facts.postgres) starter.postgres = facts.postgres;
  const setupOf = (f: ImageFindings) =>
    guessStarter(f).setup?.value.join(' ') ?? 'python3 manage.py migrate --noinput';
  // The compose file's own one-shot services run migrations and its env files hold the keys;
  // stack.app.setup and env are for image stacks.
  delete starter.setup;
  starter.env = {};
  if (imageNote && findings.server.kind === 'unknown')
    starter.server = `not read (${imageNote}: build it, e.g. \`docker compose build\`, and run init again to read the server and its timeout); 30 s assumed`;
  const ready: Readiness = facts.ready
    ? { kind: 'read', path: facts.ready.path, from: facts.ready.from }
    : notProbed(
        `not probed (the compose stack starts under \`smokestack run\`; service ${pick.app.name} has no HTTP healthcheck)`,
      );
  const relative = path.relative(path.dirname(path.resolve(o.out)), project.file);
  const text = renderStarter(starter, ready, {
    invocation: o.invocation,
    file: o.out,
    compose: {
      file: relative.startsWith('.') ? relative : `./${relative}`,
      service: pick.app.name,
      others: pick.others,
      oneShots: facts.oneShots,
    },
  });
  // What init writes must validate as written (a bug otherwise: nothing is written).
  parseScenario(text, o.out);
  await writeAtomically(o.out, text);
  const lines = linesOf(starter, ready);
  lines.found.unshift(
    `app service: ${pick.app.name} (${pick.why})${pick.others.length > 0 ? `; also candidates: ${pick.others.join(', ')}` : ''}`,
  );
  for (const one of facts.oneShots) lines.found.push(`one-shot: ${one} completes before the app starts`);
  if (findings.managePy && facts.oneShots.length === 0)
    lines.guessed.push(
      `setup: a Django project (manage.py) and no one-shot service before ${pick.app.name}: add one to the compose file that runs \`${setupOf(findings)}\``,
    );
  return { file: o.out, ...lines };
}

/** What detection can say from the compose service alone: its command line and env. */
function composeOnly(name: string, run: AppRun): ImageFindings {
  return {
    image: name,
    config: { env: [] },
    server: detectServerConfig({
      command: run.command,
      commandFrom: run.commandFrom,
      entrypointOverride: run.entrypoint,
      scenarioEnv: run.env,
    }),
    requirements: [],
    postgresDrivers: [],
    app: run,
  };
}
