// `smokestack init --image` as a library call: read the image, guess the starter, probe the
// readiness path, render, check the file validates, write it (never over an existing file
// without force). Returns what it found and what it guessed, one line each, for the CLI to
// print; writes nothing else. The compose flow is ./from-compose.ts.
import type { ContainerRuntimeClient } from 'testcontainers';
import { InfraError } from '../errors.js';
import { newRunId } from '../run/run-id.js';
import { parseScenario } from '../scenario/load-scenario.js';
import { checkEngine } from '../stack/engine.js';
import { ensureImages, imageReader } from '../stack/images.js';
import { runLabels } from '../stack/run-owner.js';
import { guessStarter } from './guess.js';
import { linesOf } from './lines.js';
import { readImage } from './read-image.js';
import { notProbed, probeReadiness } from './readiness.js';
import { type RenderOptions, renderStarter } from './render.js';
import { refuseOverwrite, writeAtomically } from './write-starter.js';

export interface CommonOptions {
  /** The file to write, as the user named it. */
  out: string;
  force: boolean;
  /** For the file's header: how init was called. */
  invocation: string;
  signal: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface InitImageOptions extends CommonOptions {
  image: string;
  /** false: do not start the image; the readiness path is a commented guess. */
  probe: boolean;
}

export interface InitOutcome {
  file: string;
  found: string[];
  guessed: string[];
  /** A problem with the written file the user should know of (one line), if any. */
  warning?: string;
}

export async function initFromImage(o: InitImageOptions): Promise<InitOutcome> {
  await refuseOverwrite(o.out, o.force);
  const progress = (m: string) => o.onProgress?.(m);
  progress('checking the container engine');
  const client = await checkEngine(undefined, undefined, o.signal);
  await imagePresent(client, o.image);
  progress(`reading ${o.image}`);
  const findings = await readImage(imageReader(client, runLabels(newRunId('init'))), o.image);
  const starter = guessStarter(findings);
  const options: RenderOptions = { invocation: o.invocation, file: o.out };
  const ready = o.probe
    ? await probeReadiness(
        parseScenario(renderStarter(starter, notProbed('not probed yet'), options), o.out),
        {
          signal: o.signal,
          onProgress: progress,
        },
      )
    : notProbed('not probed (--no-probe)');
  const text = renderStarter(starter, ready, options);
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
