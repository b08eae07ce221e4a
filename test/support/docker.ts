// Shared by Docker-dependent tests: the environment Testcontainers needs on this machine, and
// whether an engine answers at all. Tests skip (with this message) only when none does;
// .ci/run always provides an engine, so in CI nothing skips.
import { execFileSync } from 'node:child_process';

process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
process.env.SMOKESTACK_POSTGRES_IMAGE ??= 'smokestack/postgres:15';

function probe(): boolean {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

export const dockerAvailable = probe();

if (!dockerAvailable) {
  console.warn(
    '[smokestack tests] no Docker engine answers: skipping container tests (run `npm run engine`).',
  );
}

/** True when a local image exists (the sample images come from `npm run images`). */
export function imageExists(ref: string): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', ref], { stdio: 'pipe', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}
