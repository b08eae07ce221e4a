// init --compose reads the server from the command line the compose service runs: its own
// `entrypoint:` replaces the image's (and its Cmd), so a gunicorn started there is the server.
// The service has only build: and no image name, so nothing is read from an engine.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initFromCompose } from '../../../src/init/from-compose.js';

async function initOn(service: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'init-entry-'));
  const compose = path.join(dir, 'docker-compose.yml');
  writeFileSync(compose, `services:\n  web:\n    build: .\n    ports: ["8000:8000"]\n${service}`);
  const out = path.join(dir, 'smoke.yaml');
  const outcome = await initFromCompose({
    compose,
    env: {},
    out,
    force: false,
    invocation: 'smokestack init --compose docker-compose.yml',
    signal: new AbortController().signal,
  });
  return { outcome };
}

describe('init --compose: the server in the service’s own command line', () => {
  it('entrypoint: gunicorn with --timeout 45 → gunicorn, 45 s, named where the file writes it', async () => {
    const { outcome } = await initOn('    entrypoint: gunicorn --timeout 45 -b 0.0.0.0:8000 app:app\n');
    expect(outcome.found).toContain(
      'server: gunicorn, timeout 45 s: read from docker-compose.yml services.web.entrypoint: --timeout 45',
    );
  });

  it('command: in exec form → read the same way, named as the compose command', async () => {
    const { outcome } = await initOn('    command: ["gunicorn", "-t", "20", "app:app"]\n');
    expect(outcome.found).toContain(
      'server: gunicorn, timeout 20 s: read from docker-compose.yml services.web.command: -t 20',
    );
  });
});
