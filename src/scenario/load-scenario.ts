// Scenario files in, the normalised Scenario out — or a ScenarioError listing every problem as
// `FILE:LINE FIELD.PATH: what is expected` (exit 2). YAML or JSON. One pass finds them all: the
// schema, the checks across sections, the files it names and (async only) its modules, imported.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ScenarioError, type ScenarioProblem } from '../errors.js';
import { composeProblems } from './compose-check.js';
import { crossChecks, declaredMocks, missingFiles, type PathProblem } from './cross-checks.js';
import { readSource, type ScenarioSource } from './extends.js';
import { type ProbedModules, probeModules } from './probe-modules.js';
import { dedupe, errorMap, formatPath, sortProblems, toProblems } from './problems.js';
import { MAX_SCENARIO_BYTES } from './read-document.js';
import { scenarioSchema } from './schema.js';
import type { Scenario } from './types.js';

export interface LoadOptions {
  /** Import each handlers module in a worker (default true): a module that cannot load is a problem now. */
  importModules?: boolean;
  signal?: AbortSignal;
  /** What a stack.compose file interpolates `${VAR}` from (default: the process env, as compose does). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Reads, validates and normalises a scenario file. `file` is kept as given for messages and results. */
export async function loadScenario(file: string, options: LoadOptions = {}): Promise<Scenario> {
  const text = await readText(file);
  const source = readSource(text, file);
  const dir = path.dirname(file);
  const probed: ProbedModules =
    options.importModules === false
      ? { problems: [], offers: new Map() }
      : await probeModules(source.data, dir, { signal: options.signal });
  probed.problems.push(...missingFiles(source.data, dir));
  probed.problems.push(...composeProblems(source.data, dir, options.env ?? process.env));
  return check(source, file, probed);
}

/**
 * Validates and normalises scenario text (YAML or JSON); `file` names it in messages. What the text
 * alone shows: the files it names (and a base it extends) are loadScenario's to check.
 */
export function parseScenario(text: string, file: string): Scenario {
  return check(readSource(text, file), file, undefined);
}

function check(source: ScenarioSource, file: string, probed: ProbedModules | undefined): Scenario {
  const result = scenarioSchema.safeParse(source.data, { error: errorMap });
  const problems: ScenarioProblem[] = [];
  const own = (p: ScenarioProblem): ScenarioProblem => (p.file === file ? { ...p, file: undefined } : p);
  if (!result.success) {
    // Lines come from the file that wrote the field: the scenario or a base it extends.
    const places = new Map<string, ReturnType<ScenarioSource['placeOf']>>();
    const schemaProblems = toProblems(result.error.issues, (p) => {
      const place = source.placeOf(p);
      places.set(formatPath(p), place);
      return place.line;
    });
    for (const p of schemaProblems) problems.push(own({ ...p, file: places.get(p.path)?.file }));
  }
  const located = (p: PathProblem): ScenarioProblem => {
    const place = source.placeOf(p.path);
    return own({ file: place.file, path: formatPath(p.path), message: p.message, line: place.line });
  };
  const mocks = declaredMocks(source.data, probed?.offers);
  problems.push(...crossChecks(source.data, mocks).map(located));
  problems.push(...(probed?.problems ?? []).map(located));
  if (problems.length > 0) throw new ScenarioError(file, sortProblems(dedupe(problems)));
  if (!result.success) throw new Error('unreachable: schema problems without problems');
  return { ...result.data, file };
}

async function readText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw problem(file, 'is a directory; expected a scenario file (.yaml or .json)');
    if (info.size > MAX_SCENARIO_BYTES)
      throw problem(file, `the file is larger than ${MAX_SCENARIO_BYTES / 1_000_000} MB; is it a scenario?`);
    bytes = await readFile(file);
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw problem(
      file,
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : `cannot read: ${(error as Error).message}`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw problem(file, 'not a text file: it holds binary or non-UTF-8 bytes; expected YAML or JSON');
  }
}

function problem(file: string, message: string): ScenarioError {
  return new ScenarioError(file, [{ path: '', message }]);
}
