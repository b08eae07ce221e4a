// What init guesses from an image's configuration and files: pure, from findings built by hand in
// the shape ./read-image.ts returns (the localmovies Dockerfile and settings module as written).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boundPort, externalUrl, guessStarter, scenarioName, serverLine } from '../../../src/init/guess.js';
import type { ImageFindings } from '../../../src/init/read-image.js';
import { detectServerConfig } from '../../../src/server/config.js';

const settingsText = readFileSync(
  new URL('../../../docker/localmovies/localmovies/settings.py', import.meta.url),
  'utf8',
);
const managePy = readFileSync(new URL('../../../docker/localmovies/manage.py', import.meta.url), 'utf8');

const FIXED_CMD = [
  'gunicorn',
  '--bind',
  '0.0.0.0:8000',
  '--workers',
  '3',
  '--timeout',
  '60',
  'localmovies.wsgi:application',
];

function findings(over: Partial<ImageFindings> = {}): ImageFindings {
  const config = over.config ?? {
    cmd: FIXED_CMD,
    env: ['PATH=/usr/bin', 'DJANGO_SETTINGS_MODULE=localmovies.settings'],
    workingDir: '/app',
    exposedPorts: ['8000/tcp'],
  };
  return {
    image: 'localmovies:fixed',
    config,
    server: detectServerConfig({ cmd: config.cmd, entrypoint: config.entrypoint, imageEnv: config.env }),
    requirements: [],
    postgresDrivers: [],
    ...over,
  };
}

const django = {
  managePy: { path: '/app/manage.py', text: managePy },
  settings: { path: '/app/localmovies/settings.py', text: settingsText },
};

describe('guessStarter', () => {
  it('reads the localmovies image as it is: EXPOSE, gunicorn --timeout, Django, Postgres, TMDB', () => {
    const s = guessStarter(findings(django));
    expect(s.name).toBe('localmovies-smoke');
    expect(s.port).toEqual({ value: 8000, from: 'EXPOSE 8000 in the image' });
    expect(s.server).toBe("gunicorn, timeout 60 s: read from the image's Cmd --timeout 60");
    expect(s.setup?.value).toEqual(['python3', 'manage.py', 'migrate', '--noinput']);
    expect(s.setup?.from).toContain("manage.py in the image's WORKDIR /app");
    expect(s.postgres).toBe(
      '/app/localmovies/settings.py reads DATABASE_URL, POSTGRES_USER, POSTGRES_DB, POSTGRES_PASSWORD, POSTGRES_HOST, POSTGRES_PORT',
    );
    expect(s.tmdb).toEqual({
      env: 'TMDB_API_BASE',
      value: 'https://api.themoviedb.org',
      from: 'its default in /app/localmovies/settings.py',
    });
    // The broker URL points at a service (a host without a dot), not an external API.
    expect(s.mockCandidates).toEqual([]);
  });

  it('a SECRET_KEY the settings read with no default gets a throwaway value (bookshelf), one with a default none', () => {
    const bookshelf = readFileSync(
      new URL('../../../docker/bookshelf/bookshelf/settings.py', import.meta.url),
      'utf8',
    );
    const s = guessStarter(findings({ settings: { path: '/app/bookshelf/settings.py', text: bookshelf } }));
    expect(Object.keys(s.env)).toEqual(['DJANGO_SECRET_KEY']);
    expect(s.env.DJANGO_SECRET_KEY!.value).toMatch(/not-for-production$/);
    expect(s.mockCandidates).toEqual([
      {
        env: 'BOOKS_API_BASE',
        value: 'https://books-api.example',
        from: 'its default in /app/bookshelf/settings.py',
      },
    ]);
    expect(guessStarter(findings(django)).env).toEqual({});
    const set = findings({
      config: { cmd: FIXED_CMD, env: ['DJANGO_SECRET_KEY=from-the-image'] },
      settings: { path: '/app/bookshelf/settings.py', text: bookshelf },
    });
    expect(guessStarter(set).env).toEqual({});
  });

  it('without manage.py there is no setup, and without any Postgres hint no Postgres', () => {
    const s = guessStarter(findings({ config: { cmd: ['uvicorn', 'main:app', '--port', '9000'], env: [] } }));
    expect(s.setup).toBeUndefined();
    expect(s.postgres).toBeUndefined();
    expect(s.port).toEqual({ value: 9000, from: "the server's --bind in the image's command" });
    expect(s.server).toBe('uvicorn, no worker timeout (uvicorn has none unless configured)');
  });

  it('an installed driver, an env variable or a requirements line each imply Postgres, the first found named', () => {
    expect(
      guessStarter(findings({ postgresDrivers: ['/usr/lib/python3/dist-packages/psycopg2/__init__.py'] }))
        .postgres,
    ).toBe('psycopg2 installed in the image (/usr/lib/python3/dist-packages/psycopg2)');
    const env = findings({ config: { cmd: FIXED_CMD, env: ['DATABASE_URL=postgres://u:p@db/app'] } });
    expect(guessStarter(env).postgres).toBe("DATABASE_URL in the image's env");
    const req = findings({
      requirements: [{ path: '/app/requirements.txt', text: 'Django==4.2\npsycopg[binary]==3.1\n' }],
    });
    expect(guessStarter(req).postgres).toBe('psycopg in /app/requirements.txt');
  });

  it('lists env variables that point at external HTTP APIs as mock candidates, by value or by name', () => {
    const s = guessStarter(
      findings({
        config: {
          cmd: FIXED_CMD,
          env: [
            'OMDB_API_URL=https://www.omdbapi.example/',
            'PAYMENTS_BASE_URL=',
            'REDIS_URL=redis://redis:6379/0',
            'SEARCH=http://search:9200',
            'SELF=http://127.0.0.1:8000/',
            'TMDB=https://api.themoviedb.org/3',
          ],
        },
      }),
    );
    expect(s.tmdb?.env).toBe('TMDB');
    expect(s.mockCandidates.map((c) => c.env)).toEqual(['OMDB_API_URL', 'PAYMENTS_BASE_URL']);
  });

  it('a port the image does not EXPOSE nor bind is a guess, and says so', () => {
    const s = guessStarter(findings({ config: { cmd: ['./start.sh'], env: [] } }));
    expect(s.port.guessed).toBe(true);
    expect(s.port.value).toBe(8000);
    expect(s.server).toMatch(/^no known server in the image's command: timeout 30 s assumed/);
  });

  it('of several EXPOSEd ports it takes the one the server binds', () => {
    const s = guessStarter(
      findings({
        config: {
          cmd: ['gunicorn', '-b', ':5000', 'app:app'],
          env: [],
          exposedPorts: ['80/tcp', '5000/tcp'],
        },
      }),
    );
    expect(s.port.value).toBe(5000);
    expect(s.port.from).toBe('EXPOSE 80, 5000 in the image: 5000, the one its server binds');
  });

  it("the setup uses the image's python: manage.py's shebang first", () => {
    const s = guessStarter(
      findings({ managePy: { path: '/srv/manage.py', text: '#!/usr/local/bin/python3.12\nimport os\n' } }),
    );
    expect(s.setup?.value[0]).toBe('python3.12');
  });
});

describe('pieces', () => {
  it('names a scenario after the image repository', () => {
    expect(scenarioName('registry.example/team/Web_App:1.2')).toBe('web-app-smoke');
    expect(scenarioName('localhost:5000/api@sha256:abc')).toBe('api-smoke');
  });

  it('reads the bound port of gunicorn, uvicorn and runserver', () => {
    expect(boundPort(['gunicorn', '--bind=0.0.0.0:8080'])).toBe(8080);
    expect(boundPort(['python', 'manage.py', 'runserver', '0.0.0.0:8001'])).toBe(8001);
    expect(boundPort(['gunicorn', 'app:app'])).toBeUndefined();
  });

  it('external means http(s), a dotted host, not loopback, not a service of the stack', () => {
    expect(externalUrl('https://api.example/v1', [])).toBeDefined();
    expect(externalUrl('http://web.internal.example', ['web.internal.example'])).toBeUndefined();
    expect(externalUrl('http://api:8080', [])).toBeUndefined();
    expect(externalUrl('ftp://files.example', [])).toBeUndefined();
    expect(externalUrl('not a url', [])).toBeUndefined();
  });

  it("the server line says gunicorn's default when the image sets no timeout", () => {
    const server = detectServerConfig({ cmd: ['gunicorn', 'app:app'], imageEnv: [] });
    expect(serverLine(server)).toBe(
      "gunicorn, timeout 30 s: gunicorn's default (nothing in the image sets it)",
    );
  });
});
