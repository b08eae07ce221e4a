// `--out` is checked before anything starts: a run whose reports cannot be written would lose its
// verdict after minutes of work (measured: "unexpected error: ENOENT" at the end, exit 3, and
// `--json` printing `[]`). The directory is created if missing and a probe file is written and
// removed, which catches what a permission check cannot (a read-only mount, a path under a file,
// root on a read-only filesystem). Any failure is a usage error naming the path and the reason.
// A directory the check had to create is removed again: a run that then stops on a usage error
// (exit 2) leaves nothing behind; the reports create it when they are written.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';

const REASONS: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'it is a file, not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the filesystem is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
};

export async function checkOutDir(out: string, option = '--out'): Promise<void> {
  const probe = path.join(out, `.smokestack-write-check-${process.pid}`);
  try {
    const created = await mkdir(out, { recursive: true });
    await writeFile(probe, '');
    await rm(probe, { force: true });
    if (created) await rm(created, { recursive: true, force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new UsageError(`${option} ${out}: reports cannot be written there (${REASONS[code] ?? code})`, {
      fix: `choose a writable directory with ${option} DIR`,
      cause: error,
    });
  }
}
