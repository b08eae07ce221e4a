// Reads a compose file from disk (with the `.env` next to it and its env_files) into a
// ComposeProject. The I/O edge of src/compose: parseCompose itself is pure.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { parseCompose } from './parse-compose.js';
import type { ComposeProject } from './types.js';

export function loadCompose(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
): ComposeProject {
  const absolute = path.resolve(cwd, file);
  const shown = path.relative(cwd, absolute) || absolute;
  const text = readText(absolute);
  if (text === undefined)
    throw new UsageError(`${shown}: compose file not found`, {
      code: 'SCENARIO_INVALID',
      fix: 'give stack.compose a path relative to the scenario file',
    });
  const dotenv = readText(path.join(path.dirname(absolute), '.env'));
  return parseCompose({
    file: absolute,
    shown,
    text,
    env,
    ...(dotenv !== undefined ? { dotenv } : {}),
    readEnvFile: readText,
  });
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
