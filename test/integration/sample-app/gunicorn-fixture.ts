// The real gunicorn logs of the sample images, kept in test/fixtures/gunicorn/ for the log
// parsers. A run writes the fixture when it is missing (or SMOKESTACK_WRITE_FIXTURES=1); otherwise
// it checks that every gunicorn line shape of the live log is present in the fixture, so the
// fixture cannot drift from what the image really prints.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const GUNICORN_LINE = /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] \[\d+\] \[[A-Z]+\] /;

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/gunicorn/${name}`, import.meta.url));
}

/** A gunicorn error-log line without its varying parts (time, pids, numbers). */
export function shape(line: string): string {
  return line
    .replace(/^\[[^\]]+\]/, '[TIME]')
    .replace(/\d+/g, 'N')
    .replace(/'[^']*'/g, "'S'");
}

export function gunicornLines(lines: readonly string[]): string[] {
  return lines.filter((l) => GUNICORN_LINE.test(l));
}

/** Writes the fixture or returns the live shapes it lacks ([] when it covers them all). */
export function writeOrCheckFixture(
  name: string,
  lines: readonly string[],
): { written: boolean; missing: string[] } {
  const path = fixturePath(name);
  if (!existsSync(path) || process.env.SMOKESTACK_WRITE_FIXTURES === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${lines.join('\n')}\n`);
    return { written: true, missing: [] };
  }
  const known = new Set(gunicornLines(readFileSync(path, 'utf8').split('\n')).map(shape));
  const missing = [...new Set(gunicornLines(lines).map(shape))].filter((s) => !known.has(s));
  return { written: false, missing };
}
