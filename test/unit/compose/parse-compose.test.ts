// The compose reader on fixture files: every key of the subset, interpolation from the process env
// over .env, the one warning for unused keys, and errors that name file, service and key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatUnsupported, loadCompose, servicesToStart, startWaves } from '../../../src/compose/index.js';
import { UsageError } from '../../../src/errors.js';

const FULL = path.resolve('test/fixtures/compose/full/docker-compose.yml');

function composeText(text: string, files: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'compose-'));
  writeFileSync(path.join(dir, 'docker-compose.yml'), text);
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
  return () => loadCompose(path.join(dir, 'docker-compose.yml'), {}, dir);
}

function usageError(load: () => unknown): UsageError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a usage error');
}

describe('loadCompose on a full file', () => {
  const project = loadCompose(FULL, { DB_USER: 'from-process' });
  const svc = (name: string) => project.services.find((s) => s.name === name)!;

  it('interpolates from the process env over .env, with defaults, and $$ as $', () => {
    expect(svc('db').env).toEqual({
      POSTGRES_USER: 'from-process',
      POSTGRES_PASSWORD: 'from-dotenv',
      POSTGRES_DB: 'movies',
    });
    expect(svc('db').healthcheck).toEqual({
      disabled: false,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own ${VAR} syntax, not a JS template
      test: ['CMD-SHELL', 'pg_isready -U ${POSTGRES_USER}'],
      intervalMs: 2000,
      timeoutMs: 90_000,
      retries: 10,
      startPeriodMs: 500,
    });
  });

  it('reads env_file, then environment over it', () => {
    expect(svc('web').env).toEqual({
      SECRET_KEY: 's3cret',
      DEBUG: 'false',
      DB_HOST: 'db',
      API_BASE: 'https://api.example',
    });
  });

  it('splits string commands as compose does, keeps lists', () => {
    expect(svc('web').entrypoint).toEqual(['/bin/sh', '-c']);
    expect(svc('web').command).toEqual(['gunicorn', '--timeout', '5', '-b', '0.0.0.0:8000', 'app.wsgi']);
    expect(svc('migrate').command).toEqual(['python3', 'manage.py', 'migrate', '--noinput']);
  });

  it('reads build, ports in both forms (ranges expanded), expose', () => {
    expect(svc('web').build).toEqual({
      context: path.resolve('test/fixtures/compose/full/app'),
      dockerfile: 'Dockerfile.prod',
      args: { RELEASE: '1' },
    });
    expect(svc('web').ports).toEqual([
      { target: 8000, published: '8000', protocol: 'tcp' },
      { target: 9000, published: '9000', hostIp: '127.0.0.1', protocol: 'udp' },
      { target: 9001, published: '9001', hostIp: '127.0.0.1', protocol: 'udp' },
      { target: 8443, published: '443', protocol: 'tcp' },
    ]);
    expect(svc('web').expose).toEqual([7000, 7001]);
  });

  it('reads depends_on conditions, volumes and profiles', () => {
    expect(svc('web').dependsOn).toEqual([
      { service: 'migrate', condition: 'service_completed_successfully' },
      { service: 'db', condition: 'service_healthy' },
    ]);
    expect(svc('adminer').dependsOn).toEqual([{ service: 'db', condition: 'service_started' }]);
    expect(svc('db').volumes).toEqual([
      { kind: 'volume', name: 'pgdata', target: '/var/lib/postgresql/data', readOnly: false },
      {
        kind: 'bind',
        source: path.resolve('test/fixtures/compose/full/init.sql'),
        target: '/docker-entrypoint-initdb.d/init.sql',
        readOnly: true,
      },
    ]);
    expect(svc('adminer').profiles).toEqual(['debug']);
    expect(project.volumes).toEqual(['pgdata']);
  });

  it('names every unused key in one warning (merge keys included), version and x- keys quietly', () => {
    expect(project.unsupported).toEqual([
      'networks',
      'services.web.restart',
      'services.web.container_name',
      'services.web.networks',
    ]);
    expect(formatUnsupported(project, 'docker-compose.yml')).toBe(
      'docker-compose.yml: not used by smokestack (no effect on the run): networks, services.web.restart, services.web.container_name, services.web.networks',
    );
  });

  it('starts no profiled service, and starts in dependency waves', () => {
    const start = servicesToStart(project, 'web', 'docker-compose.yml');
    expect(start.map((s) => s.name)).toEqual(['db', 'migrate', 'web']);
    expect(startWaves(start).map((w) => w.map((s) => s.name))).toEqual([['db'], ['migrate'], ['web']]);
    expect(() => servicesToStart(project, 'api', 'scenario.yaml')).toThrow(
      /scenario.yaml stack.app: no service "api".*/,
    );
  });
});

describe('loadCompose errors name file, line, service and key', () => {
  it('an unknown depends_on target', () => {
    const e = usageError(composeText('services:\n  web:\n    image: a\n    depends_on: [dbx]\n'));
    expect(e.message).toMatch(/docker-compose\.yml:4 services\.web\.depends_on: unknown service "dbx"/);
    expect(e.exitCode).toBe(2);
  });

  it('a cycle', () => {
    const e = usageError(
      composeText(
        'services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: [a]\n',
      ),
    );
    expect(e.message).toMatch(/services\.a\.depends_on: a dependency cycle: a → b → a/);
  });

  it('not a mapping, no image, a bad condition, an undeclared volume, a required variable', () => {
    expect(usageError(composeText('- a\n')).message).toMatch(/expected a mapping/);
    expect(usageError(composeText('services:\n  web: {}\n')).message).toMatch(
      /services\.web: has neither image: nor build:/,
    );
    expect(
      usageError(
        composeText(
          'services:\n  web:\n    image: a\n    depends_on: { db: { condition: up } }\n  db:\n    image: b\n',
        ),
      ).message,
    ).toMatch(/services\.web\.depends_on\.db\.condition: "up" is not a condition/);
    expect(
      usageError(composeText('services:\n  db:\n    image: b\n    volumes: ["data:/x"]\n')).message,
    ).toMatch(/services\.db\.volumes\[0\]: named volume "data" is not declared/);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own ${VAR} syntax, not a JS template
    expect(usageError(composeText('services:\n  db:\n    image: ${IMG:?set the image}\n')).message).toMatch(
      /services\.db\.image: \$\{IMG\}: set the image/,
    );
  });

  it('a missing env_file is an error, an optional one a warning', () => {
    expect(
      usageError(composeText('services:\n  web:\n    image: a\n    env_file: ./nope.env\n')).message,
    ).toMatch(/services\.web\.env_file: \.\/nope\.env not found/);
    const p = composeText(
      'services:\n  web:\n    image: a\n    env_file: [{ path: ./nope.env, required: false }]\n',
    )();
    expect(p.warnings[0]).toMatch(/nope\.env \(optional\) does not exist/);
  });

  it('an unset variable without default is empty, with a warning', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own ${VAR} syntax, not a JS template
    const p = composeText('services:\n  web:\n    image: a\n    environment: { X: "${NOPE}y" }\n')();
    expect(p.services[0]!.env).toEqual({ X: 'y' });
    expect(p.warnings).toEqual([expect.stringMatching(/the NOPE variable is not set/)]);
  });

  it('healthcheck disable, a string test, NONE', () => {
    const p = composeText(
      'services:\n  a:\n    image: x\n    healthcheck: { disable: true }\n  b:\n    image: x\n    healthcheck: { test: "curl -f http://localhost/" }\n  c:\n    image: x\n    healthcheck: { test: [NONE] }\n',
    )();
    expect(p.services.map((s) => s.healthcheck)).toEqual([
      { disabled: true },
      {
        disabled: false,
        test: ['CMD-SHELL', 'curl -f http://localhost/'],
        intervalMs: 30_000,
        timeoutMs: 30_000,
        retries: 3,
        startPeriodMs: 0,
      },
      { disabled: true },
    ]);
  });
});
