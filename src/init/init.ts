// `smokestack init` as a library call: read the image, guess the starter, probe the readiness
// path, render, check the file validates, write it (never over an existing file without force).
// Returns what it found and what it guessed, one line each, for the CLI to print.
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContainerRuntimeClient } from 'testcontainers';
import { InfraError, UsageError } from '../errors.js';
import { newRunId } from '../run/run-id.js';
import { parseScenario } from '../scenario/load-scenario.js';
import { checkEngine } from '../stack/engine.js';
import { ensureImages, imageReader } from '../stack/images.js';
import { runLabels } from '../stack/run-owner.js';
import { guessStarter, type Starter } from './guess.js';
import { readImage } from './read-image.js';
import { notProbed, probeReadiness, type Readiness } from './readiness.js';
import { renderStarter } from './render.js';

export interface InitOptions {
  image: string;
  /** The file to write, as the user named it. */
  out: string;
  force: boolean;
  /** false: do not start the image; the readiness path is a commented guess. */
  probe: boolean;
  /** For the file's header: how init was called. */
  invocation: string;
  signal: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface InitOutcome {
  file: string;
  found: string[];
  guessed: string[];
}

/** Exit 2 before anything starts: the file is there and --force was not given. */
export async function refuseOverwrite(out: string, force: boolean): Promise<void> {
  if (force) return;
  const exists = await access(out).then(
    () => true,
    () => false,
  );
  if (exists)
    throw new UsageError(`${out} already exists; init does not overwrite it`, {
      fix: `pass --force to replace it, or --out another file`,
    });
}

export async function initFromImage(o: InitOptions): Promise<InitOutcome> {
  await refuseOverwrite(o.out, o.force);
  const progress = (m: string) => o.onProgress?.(m);
  progress('checking the container engine');
  const client = await checkEngine(undefined, undefined, o.signal);
  await imagePresent(client, o.image);
  progress(`reading ${o.image}`);
  const findings = await readImage(imageReader(client, runLabels(newRunId('init'))), o.image);
  const starter = guessStarter(findings);
  const render = (ready: Readiness) =>
    renderStarter(starter, ready, { invocation: o.invocation, file: o.out });
  const ready = o.probe
    ? await probeReadiness(parseScenario(render(notProbed('not probed yet')), o.out), {
        signal: o.signal,
        onProgress: progress,
      })
    : notProbed('not probed (--no-probe)');
  const text = render(ready);
  // What init writes must validate as written: a failure here is init's bug, not the user's.
  parseScenario(text, o.out);
  await writeAtomically(o.out, text);
  return { file: o.out, ...linesOf(starter, ready) };
}

async function imagePresent(client: ContainerRuntimeClient, image: string): Promise<void> {
  try {
    await ensureImages(client, [image]);
  } catch (error) {
    if (error instanceof InfraError && error.code === 'IMAGE_MISSING')
      throw new InfraError('IMAGE_MISSING', `image ${image} not found locally (and no registry has it)`, {
        fix: `build it first (\`docker build -t ${image} .\`; the sample apps: \`npm run images\`), or check the name with \`docker images\``,
      });
    throw error;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

export function linesOf(s: Starter, r: Readiness): { found: string[]; guessed: string[] } {
  const found: string[] = [];
  const guessed: string[] = [];
  (s.port.guessed ? guessed : found).push(`port ${s.port.value}: ${s.port.from}`);
  (s.server.startsWith('no known server') ? guessed : found).push(`server: ${s.server}`);
  if (s.postgres) found.push(`Postgres: ${s.postgres}`);
  else guessed.push('no Postgres: nothing in the image implies one (add stack.postgres if the app needs it)');
  if (s.setup) found.push(`setup: ${s.setup.value.join(' ')} (${s.setup.from})`);
  if (r.probed && r.found)
    found.push(
      `ready: ${r.path} answered ${r.answers.find((a) => a.path === r.path)?.answer} (tried ${r.answers.map((a) => `${a.path} ${a.answer}`).join(', ')})`,
    );
  else if (r.probed)
    guessed.push(
      `ready: / (nothing answered 2xx: ${r.answers.map((a) => `${a.path} ${a.answer}`).join(', ')}); set stack.app.ready.path`,
    );
  else guessed.push(`ready: / (${r.why}); common ones: ${r.candidates.join(', ')}`);
  if (s.tmdb)
    found.push(
      `TMDB: ${s.tmdb.env}${s.tmdb.value ? ` = ${s.tmdb.value}` : ''} (${s.tmdb.from}): wired to the built-in tmdb mock`,
    );
  for (const c of s.mockCandidates)
    found.push(
      `external API: ${c.env}${c.value ? ` = ${c.value}` : ''} (${c.from}): a mock candidate, listed in the file`,
    );
  guessed.push('load: one light browse phase (10 s at 5/s); add the endpoints your users call');
  guessed.push("budgets: smokestack's defaults");
  return { found, guessed };
}
