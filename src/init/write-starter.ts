// Writing the starter: never over an existing file unless --force (checked before anything
// starts, so a refusal costs nothing), and atomically (temp file + rename) so a crash or Ctrl-C
// never leaves half a scenario behind.
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';

/** Exit 2 before anything starts: the file is there and --force was not given. */
export async function refuseOverwrite(out: string, force: boolean): Promise<void> {
  if (force) return;
  const exists = await access(out).then(
    () => true,
    () => false,
  );
  if (exists)
    throw new UsageError(`${out} already exists; init does not overwrite it`, {
      fix: `pass --force to replace it, or --out another file`,
    });
}

export async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}
