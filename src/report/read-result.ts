// Reads and validates a result.json for `report` and `compare`: every problem is a UsageError
// (exit 2) naming the file.
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
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
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${(error as Error).message})`, { fix: FIX });
  }
  return parseResult(json, file);
}
