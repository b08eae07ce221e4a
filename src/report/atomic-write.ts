// Files that are either absent or complete: write a temp file in the same directory (same
// filesystem, so rename is atomic), flush it, then rename it over the target. A reader (a CI
// upload, a browser reloading) never sees half a report.
// Temp files go on every path that can remove them: a failed write or rename removes its own; a
// process exit in the middle (a second Ctrl-C is process.exit) removes all in flight, synchronously
// in the 'exit' handler; SIGKILL can remove nothing, so the next write of the same file removes
// temp files of it that a dead writer left (older than STALE_MS: a live writer's is seconds old).
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** A temp file this old was left by a writer that died: a report takes well under a second. */
export const STALE_MS = 10 * 60_000;

const inFlight = new Set<string>();
let exitHookSet = false;

export function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
}

export async function writeFileAtomic(file: string, content: string): Promise<void> {
  removeStaleTemps(file);
  const tmp = tempNameFor(file);
  if (!exitHookSet) {
    exitHookSet = true;
    process.on('exit', () => {
      for (const t of inFlight) rmSync(t, { force: true });
    });
  }
  inFlight.add(tmp);
  try {
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  } finally {
    inFlight.delete(tmp);
  }
}

/** Temp files of `file` (`.NAME.<8 hex>.tmp`) older than STALE_MS: a killed writer's. */
export function removeStaleTemps(file: string, now = Date.now()): string[] {
  const dir = path.dirname(file);
  const pattern = new RegExp(`^\\.${escapeRegExp(path.basename(file))}\\.[0-9a-f]{8}\\.tmp$`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!pattern.test(name)) continue;
    const full = path.join(dir, name);
    try {
      if (now - statSync(full).mtimeMs < STALE_MS) continue;
      rmSync(full, { force: true });
      removed.push(full);
    } catch {
      // Gone meanwhile (its writer renamed it): nothing to remove.
    }
  }
  return removed;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
