// The engine the user named, or none: with DOCKER_HOST pointing at a socket nobody serves, the
// CLI exits 3 naming DOCKER_HOST instead of silently running on /var/run/docker.sock; a dead tcp
// DOCKER_HOST is named too. (A child process each: Testcontainers caches its client per process.)
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { dockerAvailable } from '../support/docker.js';

describe.skipIf(!dockerAvailable && !process.env.CI)('DOCKER_HOST set and unreachable', () => {
  it.each([['unix:///tmp/smokestack-no-engine-here.sock'], ['tcp://127.0.0.1:9']])(
    '%s: exit 3 naming it, no fallback',
    async (dockerHost) => {
      const r = await runCli(['clean'], {
        env: {
          DOCKER_HOST: dockerHost,
          TESTCONTAINERS_RYUK_DISABLED: 'true',
          TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
        },
      });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain(`DOCKER_HOST=${dockerHost}: no container engine answers`);
      expect(r.stdout).not.toContain('removed');
    },
    60_000,
  );
});
