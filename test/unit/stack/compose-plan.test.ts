// What a run of a compose stack will start, decided before anything starts (planCompose): the
// bookshelf sample's own docker-compose.yml and a scenario naming its web service.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectServerConfig } from '../../../src/server/config.js';
import { planCompose } from '../../../src/stack/compose-plan.js';
import { aScenario } from '../../support/scenario.js';

const bookshelf = (app: Record<string, unknown> = {}) =>
  aScenario('bookshelf-compose', {
    file: 'scenarios/bookshelf-compose.yaml',
    stack: {
      services: [],
      compose: { file: '../docker/bookshelf/docker-compose.yml', service: 'web' },
      app: { service: 'web', port: 8000, env: {}, ready: { path: '/', withinMs: 60_000 }, ...app },
    },
  });

describe('planCompose: the bookshelf compose file', () => {
  const compose = { file: '../docker/bookshelf/docker-compose.yml', service: 'web' };

  it('starts db, migrate and web, never the profiled adminer; migrate is a one-shot; web is built when missing', () => {
    const plan = planCompose(bookshelf(), compose, { env: {} });
    expect(plan.services.map((s) => s.name)).toEqual(['db', 'migrate', 'web']);
    expect([...plan.oneShots]).toEqual(['migrate']);
    // migrate waits for db healthy; nothing waits for web's healthcheck (the run probes /healthz itself).
    expect([...plan.awaitedHealthy]).toEqual(['db']);
    expect([...plan.builds.entries()].map(([image, b]) => [image, b.service])).toEqual([
      ['bookshelf:dev', 'web'],
    ]);
    expect(plan.postgres).toEqual({
      service: 'db',
      login: { user: 'bookshelf', password: 'bookshelf', database: 'bookshelf' },
    });
  });

  it('the app: the ports target, the healthcheck path, the .env file and the compose env under the scenario’s', () => {
    const plan = planCompose(bookshelf({ env: { LOG_LEVEL: 'DEBUG' } }), compose, { env: {} });
    expect(plan.appSpec.port).toBe(8000);
    expect(plan.appSpec.ready.path).toBe('/healthz');
    expect(plan.appSpec.env).toMatchObject({
      DJANGO_SECRET_KEY: 'bookshelf-demo-secret-key-not-for-production',
      DATABASE_URL: 'postgres://bookshelf:bookshelf@db:5432/bookshelf',
      BOOKS_API_BASE: 'https://books-api.example',
      LOG_LEVEL: 'DEBUG',
    });
    expect(plan.appSpec.image).toBe('bookshelf:dev');
  });

  it('what the scenario wrote wins: its port and readiness path', () => {
    const plan = planCompose(bookshelf(), { ...compose, port: 9000, readyPath: '/up' }, { env: {} });
    expect(plan.appSpec.port).toBe(9000);
    expect(plan.appSpec.ready.path).toBe('/up');
  });

  it('--image replaces the app service’s image and the migration’s (same image), and nothing is built', () => {
    const plan = planCompose(bookshelf(), compose, { image: 'bookshelf:candidate', env: {} });
    const image = (name: string) => plan.services.find((s) => s.name === name)?.image;
    expect(image('web')).toBe('bookshelf:candidate');
    expect(image('migrate')).toBe('bookshelf:candidate');
    expect(image('db')).toBe('postgres:16-alpine');
    expect(plan.builds.size).toBe(0);
  });

  it('SMOKESTACK_POSTGRES_IMAGE replaces the Postgres service’s image, and the plan says so', () => {
    const plan = planCompose(bookshelf(), compose, { postgresImage: 'smokestack/postgres:15', env: {} });
    expect(plan.services.find((s) => s.name === 'db')?.image).toBe('smokestack/postgres:15');
    expect(plan.postgres?.replaced).toEqual({ from: 'postgres:16-alpine', by: 'smokestack/postgres:15' });
  });
});

describe('planCompose: a service with only build:', () => {
  it('is tagged as compose v2 tags it, FOLDER-SERVICE, and built', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'Team App-'));
    writeFileSync(
      path.join(dir, 'docker-compose.yml'),
      'services:\n  api:\n    build: .\n    expose: ["5000"]\n',
    );
    const scenario = aScenario('x', {
      file: path.join(dir, 'x.yaml'),
      stack: { services: [], compose: { file: './docker-compose.yml', service: 'api' } },
    });
    const plan = planCompose(scenario, { file: './docker-compose.yml', service: 'api' }, { env: {} });
    const tag = `${path
      .basename(dir)
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '')}-api`;
    expect(plan.appSpec.image).toBe(tag);
    expect(plan.appSpec.port).toBe(5000);
    expect(plan.appSpec.ready.path).toBe('/');
    expect(plan.builds.get(tag)?.build.context).toBe(dir);
  });
});

describe('planCompose: where the app service says how it runs', () => {
  const plan = (service: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'entry-'));
    writeFileSync(
      path.join(dir, 'docker-compose.yml'),
      `services:\n  web:\n    image: team/web:1\n${service}`,
    );
    const scenario = aScenario('x', {
      file: path.join(dir, 'x.yaml'),
      stack: { services: [], compose: { file: './docker-compose.yml', service: 'web' } },
    });
    return planCompose(scenario, { file: './docker-compose.yml', service: 'web' }, { env: {} }).appSpec;
  };

  it("its entrypoint: (the server detection reads it in place of the image's)", () => {
    const app = plan('    entrypoint: gunicorn --timeout 45 app:app\n');
    expect(app.entrypoint).toEqual({
      argv: ['gunicorn', '--timeout', '45', 'app:app'],
      from: 'docker-compose.yml services.web.entrypoint',
    });
    expect(app.command).toBeUndefined();
  });

  it('its command:, named as the compose file’s', () => {
    const app = plan('    command: ["gunicorn", "-t", "20", "app:app"]\n');
    expect(app.command).toEqual(['gunicorn', '-t', '20', 'app:app']);
    expect(app.commandFrom).toBe('docker-compose.yml services.web.command');
    expect(app.entrypoint).toBeUndefined();
  });
});

describe('planCompose → server detection: entrypoint ["/bin/sh", "-c"] with the server in command', () => {
  // compose splits a string command into words, so the container runs `sh -c gunicorn --timeout 5
  // ...`: sh runs the first word alone (the rest become $0, $1...). gunicorn starts with no flags,
  // and its default 30 s is the true T, neither the 5 the file seems to say nor the image's 60.
  it("reads what the container runs: gunicorn with no flags, 30 s, not the image Cmd's --timeout 60", () => {
    const scenario = aScenario('full', {
      file: 'test/fixtures/compose/full/scenario.yaml',
      stack: { services: [], compose: { file: './docker-compose.yml', service: 'web' } },
    });
    const app = planCompose(scenario, { file: './docker-compose.yml', service: 'web' }, { env: {} }).appSpec;
    expect(app.command?.slice(0, 3)).toEqual(['gunicorn', '--timeout', '5']);
    const server = detectServerConfig({
      cmd: ['gunicorn', '--bind', '0.0.0.0:8000', '--timeout', '60', 'localmovies.wsgi:application'],
      command: app.command,
      commandFrom: app.commandFrom,
      entrypointOverride: app.entrypoint,
      scenarioEnv: app.env,
    });
    expect(server).toMatchObject({ kind: 'gunicorn', timeoutS: 30, timeoutSource: 'server-default' });
    expect(server.detectedFrom?.[0]).toBe('gunicorn (docker-compose.yml services.web.command)');
  });
});
