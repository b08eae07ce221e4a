// Debian's real nginx tree (test/fixtures/nginx/debian-1.22) as the harness holds one copied out
// of an image: absolute path → text, with files added or replaced as a team adds them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = 'test/fixtures/nginx/debian-1.22';

export function debianTree(extra: Record<string, string> = {}): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(`/${path.relative(ROOT, full)}`, readFileSync(full, 'utf8'));
    }
  };
  walk(ROOT);
  for (const [k, v] of Object.entries(extra)) files.set(k, v);
  return files;
}
