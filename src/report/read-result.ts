// Reads and validates a result.json for `report` and `compare`: every problem is a UsageError
// (exit 2) naming the file.
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { MAX_RESULT_DEPTH, tooDeepAt } from '../result/json-depth.js';
import { parseResult } from '../result/result-schema.js';
import type { RunResult } from '../result/types.js';

const FIX = 'give a result.json written by `smokestack run` (reports/<run-id>/result.json)';

export async function readResultFile(file: string): Promise<RunResult> {
  if (!file) throw new UsageError('no result file given', { fix: FIX });
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : 'cannot be read';
    throw new UsageError(`${file}: ${why}`, { fix: FIX, cause: error });
  }
  return parseResultText(text, file);
}

/** A result.json's text, refused (exit 2, naming the file) when too deep, not JSON or not a result. */
export function parseResultText(text: string, file: string, what = file): RunResult {
  const deepAt = tooDeepAt(text);
  if (deepAt !== undefined) {
    throw new UsageError(
      `${what}: nested deeper than ${MAX_RESULT_DEPTH} levels (at character ${deepAt}); not a result smokestack wrote`,
      { code: 'RESULT_INVALID', fix: FIX },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what}: not valid JSON (${(error as Error).message})`, { fix: FIX });
  }
  return parseResult(json, file);
}
