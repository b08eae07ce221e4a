// stack.compose in the scenario: the two ways to name the service under test, what the scenario
// wrote kept apart from the defaults (the compose file gives those), and validate reading the
// compose file in its one pass (its own errors with their line and fix, a service that is not
// there, a second Postgres, a taken service name) alongside every other problem of the scenario.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../../src/errors.js';
import { loadScenario, parseScenario } from '../../../src/scenario/load-scenario.js';

const LOAD = 'load: [{ name: browse, duration: 2s, connections: 1, requests: [{ path: / }] }]\n';

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScenarioError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a ScenarioError');
}

async function loadProblems(file: string): Promise<string[]> {
  try {
    await loadScenario(file, { importModules: false, env: {} });
  } catch (error) {
    if (error instanceof ScenarioError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a ScenarioError');
}

describe('stack.compose in the schema', () => {
  it('app: web names the service; nothing else is made up for it', () => {
    const s = parseScenario(`name: c\nstack: { compose: ./docker-compose.yml, app: web }\n${LOAD}`, 'c.yaml');
    expect(s.stack.compose).toEqual({ file: './docker-compose.yml', service: 'web' });
    expect(s.stack.app?.service).toBe('web');
  });

  it('app: { service, port, ready, env } keeps what the scenario wrote for the compose file to fill the rest', () => {
    const s = parseScenario(
      `name: c\nstack:\n  compose: ./dc.yml\n  app: { service: web, port: 9000, ready: { path: /up }, env: { A: b } }\n${LOAD}`,
      'c.yaml',
    );
    expect(s.stack.compose).toEqual({ file: './dc.yml', service: 'web', port: 9000, readyPath: '/up' });
    expect(s.stack.app?.env).toEqual({ A: 'b' });
  });

  it('a service name without a compose file, a compose file without a service: each named with its fix', () => {
    expect(problems(() => parseScenario(`name: c\nstack: { app: web }\n${LOAD}`, 'c.yaml'))).toEqual([
      'c.yaml:2 stack.app: a service name needs stack.compose (the compose file that has web); without one describe the app as { image: ... }',
    ]);
    expect(problems(() => parseScenario(`name: c\nstack: { compose: ./dc.yml }\n${LOAD}`, 'c.yaml'))).toEqual(
      [
        'c.yaml:2 stack.app: with stack.compose, name the service under test: app: web (or app: { service: web, ... })',
      ],
    );
  });

  it('a mapping with bad fields reports the fields, not "expected a string or a mapping"', () => {
    expect(
      problems(() => parseScenario(`name: c\nstack:\n  app:\n    port: "80"\n${LOAD}`, 'c.yaml')),
    ).toEqual(['c.yaml:4 stack.app.port: expected a port number (1-65535), got "80"']);
  });
});

describe('validate reads the compose file in the same pass', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'smokestack-compose-check-'));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  write(
    'docker-compose.yml',
    [
      'services:',
      '  db:',
      '    image: postgres:16-alpine',
      '    environment: { POSTGRES_PASSWORD: pw }',
      '  web:',
      '    image: myapp:1',
      '    ports: ["8080:8000"]',
      '    depends_on: [db]',
      '',
    ].join('\n'),
  );
  write('bad-port.yml', 'services:\n  web:\n    image: myapp:1\n    ports: ["80:http"]\n');

  it('an error of the compose file: its own file, line, key and fix, at stack.compose', async () => {
    const file = write('a.yaml', `name: a\nstack: { compose: ./bad-port.yml, app: web }\n${LOAD}`);
    const [line, ...rest] = await loadProblems(file);
    expect(rest).toEqual([]);
    expect(line).toMatch(
      new RegExp(`^${file}:2 stack\\.compose: .*bad-port\\.yml:4 services\\.web\\.ports\\[0\\]: .*; fix: `),
    );
  });

  it('a compose file that is not there', async () => {
    const file = write('b.yaml', `name: b\nstack: { compose: ./nope.yml, app: web }\n${LOAD}`);
    expect(await loadProblems(file)).toEqual([
      `${file}:2 stack.compose: ./nope.yml not found; give the path of the compose file relative to the scenario file`,
    ]);
  });

  it('every problem at once: no such service, a schema problem elsewhere', async () => {
    const file = write(
      'c.yaml',
      `name: c\nstack:\n  compose: ./docker-compose.yml\n  app: { service: wbe }\nload: [{ name: browse, duration: 2s, connections: 0, requests: [{ path: / }] }]\n`,
    );
    const found = await loadProblems(file);
    expect(found).toContain(
      `${file}:4 stack.app.service: no service "wbe" in ./docker-compose.yml (its services: db, web)`,
    );
    expect(found.some((l) => l.includes('load[0].connections'))).toBe(true);
  });

  it('stack.postgres beside the compose file’s own Postgres, a scenario service with a compose name: refused', async () => {
    const file = write(
      'd.yaml',
      `name: d\nstack:\n  compose: ./docker-compose.yml\n  app: web\n  postgres: {}\n  services:\n    db: { image: redis:7 }\n${LOAD}`,
    );
    expect(await loadProblems(file)).toEqual([
      `${file}:5 stack.postgres: the compose file has its own Postgres (service db); remove stack.postgres (the checks query db) or the service`,
      `${file}:7 stack.services.db: the compose file already has a service db; call this one another name`,
    ]);
  });

  it('extends: postgres: null drops the base’s, and the compose path stays relative to the file that wrote it', async () => {
    write(
      'base.yaml',
      `name: base\nstack:\n  app: { image: myapp:1, setup: [migrate] }\n  postgres: {}\n${LOAD}`,
    );
    const sub = path.join(dir, 'sub');
    mkdirSync(sub, { recursive: true });
    const file = path.join(sub, 'e.yaml');
    writeFileSync(
      file,
      'extends: ../base.yaml\nname: e\nstack:\n  compose: ../docker-compose.yml\n  app: { service: web }\n  postgres: null\n',
    );
    const s = await loadScenario(file, { importModules: false, env: {} });
    expect(s.stack.postgres).toBeUndefined();
    expect(s.stack.compose).toEqual({ file: '../docker-compose.yml', service: 'web' });
    expect(s.stack.app).toMatchObject({ service: 'web', image: 'myapp:1', setup: ['migrate'] });
  });
});
