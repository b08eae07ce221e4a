// Writes scenarios/schema.json from the schema in code: `node dist/scenario/write-json-schema.js [FILE]`.
// The committed file is checked against a fresh generation by a unit test, so it cannot drift.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchema } from './json-schema.js';

/** The schema file's text: stable key order, two-space indent, trailing newline. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

export async function writeScenarioJsonSchema(file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, scenarioJsonSchemaText());
  await rename(tmp, file);
}

// Run as a script (not when imported).
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  // dist/scenario/ or src/scenario/ → the package root.
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const target = process.argv[2] ?? path.join(root, 'scenarios', 'schema.json');
  await writeScenarioJsonSchema(target);
  process.stderr.write(`written: ${path.relative(process.cwd(), target) || target}\n`);
}
