// Scenario files in, the normalised Scenario out — or a ScenarioError listing every problem as
// `FILE:LINE FIELD.PATH: what is expected` (exit 2). YAML or JSON.
import { readFile, stat } from 'node:fs/promises';
import { ScenarioError } from '../errors.js';
import { errorMap, toProblems } from './problems.js';
import { MAX_SCENARIO_BYTES, readDocument } from './read-document.js';
import { scenarioSchema } from './schema.js';
import type { Scenario } from './types.js';

/** Reads, validates and normalises a scenario file. `file` is kept as given for messages and results. */
export async function loadScenario(file: string): Promise<Scenario> {
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
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw problem(file, 'not a text file: it holds binary or non-UTF-8 bytes; expected YAML or JSON');
  }
  return parseScenario(text, file);
}

/** Validates and normalises scenario text (YAML or JSON); `file` names it in messages. */
export function parseScenario(text: string, file: string): Scenario {
  const doc = readDocument(text, file);
  const result = scenarioSchema.safeParse(doc.data, { error: errorMap });
  if (!result.success) throw new ScenarioError(file, toProblems(result.error.issues, doc.lineOf));
  return { ...result.data, file };
}

function problem(file: string, message: string): ScenarioError {
  return new ScenarioError(file, [{ path: '', message }]);
}
