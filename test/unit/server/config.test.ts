// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell parameter syntax is what these tests feed in
import { describe, expect, it } from 'vitest';
import { configFileToRead, detectServerConfig } from '../../../src/server/config.js';

const sh = (script: string) => ['/bin/sh', '-c', script];

describe('detectServerConfig: gunicorn command lines', () => {
  it('plain exec form with no timeout: gunicorn defaults, workers from the command', () => {
    const s = detectServerConfig({
      cmd: ['gunicorn', '--workers', '3', '--bind', '0.0.0.0:8000', 'app.wsgi'],
    });
    expect(s).toMatchObject({
      kind: 'gunicorn',
      timeoutS: 30,
      timeoutSource: 'server-default',
      workers: 3,
      workerClass: 'sync',
      keepAliveS: 2,
      gracefulTimeoutS: 30,
    });
    expect(s.detectedFrom).toContain('workers 3 (Cmd: --workers 3)');
    expect(s.detectedFrom).toContain('timeout 30 (gunicorn default)');
  });

  it.each([
    [['gunicorn', '--timeout', '60', 'app:app'], 60, '--timeout 60'],
    [['gunicorn', '--timeout=90', 'app:app'], 90, '--timeout=90'],
    [['gunicorn', '-t', '45', 'app:app'], 45, '-t 45'],
    [['gunicorn', '-t15', 'app:app'], 15, '-t15'],
    [['gunicorn', '-t', '10', '--timeout', '20', 'app:app'], 20, '--timeout 20'],
    [['gunicorn', '--timeout', '0', 'app:app'], 0, '--timeout 0'],
    [['/usr/local/bin/gunicorn', '-t', '120', 'app:app'], 120, '-t 120'],
    [['python', '-m', 'gunicorn', '--timeout', '61', 'app:app'], 61, '--timeout 61'],
    [['/venv/bin/python3', '-m', 'gunicorn.app.wsgiapp', '-t', '5', 'app:app'], 5, '-t 5'],
  ])('%j → timeout %d from the image', (cmd, timeout, text) => {
    const s = detectServerConfig({ cmd });
    expect(s.kind).toBe('gunicorn');
    expect(s.timeoutS).toBe(timeout);
    expect(s.timeoutSource).toBe('image');
    expect(s.detectedFrom).toContain(`timeout ${timeout} (Cmd: ${text})`);
  });

  it('the fixed sample: explicit timeout, graceful timeout and keep-alive in a shell-form CMD', () => {
    const s = detectServerConfig({
      cmd: sh(
        'python3 manage.py collectstatic --noinput && exec gunicorn localmovies.wsgi:application --bind 0.0.0.0:8000 --workers 3 --timeout 60 --graceful-timeout 30 --keep-alive 5',
      ),
    });
    expect(s).toMatchObject({
      kind: 'gunicorn',
      timeoutS: 60,
      timeoutSource: 'image',
      workers: 3,
      gracefulTimeoutS: 30,
      keepAliveS: 5,
    });
  });

  it('shell expansions in the script use the image and scenario env', () => {
    const cmd = sh(
      'exec gunicorn app:app --timeout ${GUNICORN_TIMEOUT:-75} -w "$WORKERS" -k ${CLASS:-gevent}',
    );
    const s = detectServerConfig({ cmd, imageEnv: ['WORKERS=4', 'PATH=/usr/bin'] });
    expect(s).toMatchObject({ timeoutS: 75, workers: 4, workerClass: 'gevent', timeoutSource: 'image' });
    const t = detectServerConfig({ cmd, imageEnv: ['WORKERS=4'], scenarioEnv: { GUNICORN_TIMEOUT: '12' } });
    expect(t.timeoutS).toBe(12);
  });

  it('an entrypoint script that execs "$@" with the command in Cmd', () => {
    const s = detectServerConfig({
      entrypoint: ['/docker-entrypoint.sh'],
      cmd: ['gunicorn', '-c', '/etc/gunicorn.py', '-w', '2', 'app:app'],
    });
    expect(s).toMatchObject({ kind: 'gunicorn', workers: 2, timeoutS: 30 });
    expect(s.detectedFrom?.[0]).toBe('gunicorn (Cmd)');
  });

  it('gunicorn as the Entrypoint with its flags in Cmd', () => {
    const s = detectServerConfig({ entrypoint: ['gunicorn'], cmd: ['--timeout', '33', 'app:app'] });
    expect(s).toMatchObject({ kind: 'gunicorn', timeoutS: 33, timeoutSource: 'image' });
    expect(s.detectedFrom).toContain('gunicorn (Entrypoint + Cmd)');
  });

  it("a compose entrypoint replaces the image's Entrypoint and its Cmd no longer runs, as in compose", () => {
    const image = { entrypoint: ['/docker-entrypoint.sh'], cmd: ['gunicorn', '--timeout', '90', 'app:app'] };
    const s = detectServerConfig({
      ...image,
      entrypointOverride: {
        argv: ['gunicorn', '--timeout', '45', 'app:app'],
        from: 'docker-compose.yml services.web.entrypoint',
      },
    });
    expect(s).toMatchObject({ kind: 'gunicorn', timeoutS: 45, timeoutSource: 'scenario' });
    expect(s.detectedFrom?.[0]).toBe('gunicorn (docker-compose.yml services.web.entrypoint)');
    expect(s.detectedFrom).toContain('timeout 45 (docker-compose.yml services.web.entrypoint: --timeout 45)');
  });

  it("a compose command keeps the image's Entrypoint and is named where the file writes it", () => {
    const s = detectServerConfig({
      entrypoint: ['gunicorn'],
      cmd: ['--timeout', '90', 'app:app'],
      command: ['--timeout', '20', 'app:app'],
      commandFrom: 'docker-compose.yml services.web.command',
    });
    expect(s).toMatchObject({ kind: 'gunicorn', timeoutS: 20, timeoutSource: 'scenario' });
    expect(s.detectedFrom?.[0]).toBe('gunicorn (Entrypoint + docker-compose.yml services.web.command)');
  });

  it('tini, ddtrace-run and inline env assignments in front of gunicorn', () => {
    const s = detectServerConfig({
      entrypoint: ['/usr/bin/tini', '--'],
      cmd: sh('GUNICORN_CMD_ARGS="--timeout 50 --workers 5" ddtrace-run gunicorn app:app'),
    });
    expect(s).toMatchObject({ kind: 'gunicorn', timeoutS: 50, workers: 5, timeoutSource: 'image' });
    expect(s.detectedFrom).toContain('timeout 50 (GUNICORN_CMD_ARGS: --timeout 50)');
  });

  it('GUNICORN_CMD_ARGS from the image env, the command line still wins', () => {
    const s = detectServerConfig({
      cmd: ['gunicorn', '-w', '2', 'app:app'],
      imageEnv: ['GUNICORN_CMD_ARGS=--timeout=40 --workers 8 --keep-alive 10'],
    });
    expect(s).toMatchObject({ timeoutS: 40, workers: 2, keepAliveS: 10, timeoutSource: 'image' });
  });

  it('GUNICORN_CMD_ARGS set by the scenario env is the scenario’s value', () => {
    const s = detectServerConfig({
      cmd: ['gunicorn', 'app:app'],
      scenarioEnv: { GUNICORN_CMD_ARGS: '--timeout 8' },
    });
    expect(s).toMatchObject({ timeoutS: 8, timeoutSource: 'scenario' });
  });

  it('export in an earlier statement of the script reaches gunicorn', () => {
    const s = detectServerConfig({
      cmd: sh('set -e\nexport GUNICORN_CMD_ARGS="-t 25"\npython manage.py migrate\nexec gunicorn app:app'),
    });
    expect(s).toMatchObject({ timeoutS: 25, timeoutSource: 'image' });
  });

  it('WEB_CONCURRENCY sets the default worker count', () => {
    expect(
      detectServerConfig({ cmd: ['gunicorn', 'app:app'], imageEnv: ['WEB_CONCURRENCY=6'] }).workers,
    ).toBe(6);
    expect(
      detectServerConfig({ cmd: ['gunicorn', '-w', '2', 'app:app'], imageEnv: ['WEB_CONCURRENCY=6'] })
        .workers,
    ).toBe(2);
  });

  it('worker classes: names as gunicorn knows them, and sync with threads runs gthread', () => {
    const wc = (...args: string[]) =>
      detectServerConfig({ cmd: ['gunicorn', ...args, 'app:app'] }).workerClass;
    expect(wc('-k', 'gevent')).toBe('gevent');
    expect(wc('--worker-class=egg:gunicorn#eventlet')).toBe('eventlet');
    expect(wc('-k', 'gunicorn.workers.gthread.ThreadWorker')).toBe('gthread');
    expect(wc('-k', 'uvicorn.workers.UvicornWorker')).toBe('uvicorn.workers.UvicornWorker');
    expect(wc('--threads', '4')).toBe('gthread');
    expect(wc('-k', 'sync', '--threads', '1')).toBe('sync');
  });

  it('a pip install of gunicorn in the same script is not the server', () => {
    const s = detectServerConfig({
      cmd: sh('pip install gunicorn==21.2.0 && gunicorn --timeout 70 app:app'),
    });
    expect(s).toMatchObject({ kind: 'gunicorn', timeoutS: 70 });
  });

  it('the scenario command override replaces Cmd and its values are the scenario’s', () => {
    const s = detectServerConfig({
      cmd: ['gunicorn', '--timeout', '60', 'app:app'],
      command: ['gunicorn', '--timeout', '10', 'app:app'],
    });
    expect(s).toMatchObject({ timeoutS: 10, timeoutSource: 'scenario' });
    expect(s.detectedFrom).toContain('timeout 10 (stack.app.command: --timeout 10)');
  });
});

describe('detectServerConfig: gunicorn config files', () => {
  const conf = [
    'import multiprocessing, os',
    'bind = "0.0.0.0:8000"',
    'workers = multiprocessing.cpu_count() * 2 + 1',
    "timeout = int(os.environ.get('GUNICORN_TIMEOUT', '120'))  # long imports",
    'graceful_timeout = 45',
    "worker_class = 'gthread'",
    'threads = 4',
    'keepalive = 75',
    'def on_starting(server):',
    '    timeout = 1',
  ].join('\n');

  it('reads literal and env-default settings, reports computed ones, ignores nested code', () => {
    const s = detectServerConfig({
      cmd: ['gunicorn', '-c', 'gunicorn.conf.py', 'app:app'],
      configFileText: conf,
      configFilePath: '/app/gunicorn.conf.py',
    });
    expect(s).toMatchObject({
      kind: 'gunicorn',
      timeoutS: 120,
      timeoutSource: 'image',
      gracefulTimeoutS: 45,
      keepAliveS: 75,
      workerClass: 'gthread',
    });
    expect(s.workers).toBeUndefined();
    expect(s.detectedFrom).toContain(
      "timeout 120 (/app/gunicorn.conf.py: timeout = int(os.environ.get('GUNICORN_TIMEOUT', '120'))  # long imports)",
    );
    expect(s.detectedFrom?.some((d) => d.startsWith('workers computed at start'))).toBe(true);
  });

  it('the env wins over the file’s default, and the command line over the file', () => {
    const env = detectServerConfig({
      cmd: ['gunicorn', 'app:app'],
      imageEnv: { GUNICORN_TIMEOUT: '15' },
      configFileText: conf,
    });
    expect(env.timeoutS).toBe(15);
    const cli = detectServerConfig({ cmd: ['gunicorn', '-t', '9', 'app:app'], configFileText: conf });
    expect(cli.timeoutS).toBe(9);
  });

  it('names the file to read: -c, --config=, GUNICORN_CMD_ARGS, else ./gunicorn.conf.py', () => {
    expect(configFileToRead({ cmd: ['gunicorn', '-c', 'conf/g.py', 'app:app'] })).toEqual({
      path: 'conf/g.py',
      named: true,
    });
    expect(configFileToRead({ cmd: ['gunicorn', '--config=/etc/g.py', 'app:app'] })?.path).toBe('/etc/g.py');
    expect(
      configFileToRead({ cmd: ['gunicorn', 'app:app'], imageEnv: ['GUNICORN_CMD_ARGS=-c /srv/g.py'] })?.path,
    ).toBe('/srv/g.py');
    expect(configFileToRead({ cmd: ['gunicorn', 'app:app'] })).toEqual({
      path: 'gunicorn.conf.py',
      named: false,
    });
    expect(
      configFileToRead({ cmd: ['gunicorn', '-c', 'python:app.gunicorn_conf', 'app:app'] }),
    ).toBeUndefined();
    expect(configFileToRead({ cmd: ['node', 'server.js'] })).toBeUndefined();
  });
});

describe('detectServerConfig: other servers and overrides', () => {
  it('uvicorn has no request timeout', () => {
    const s = detectServerConfig({
      cmd: ['uvicorn', 'main:app', '--host', '0.0.0.0', '--workers', '4', '--timeout-keep-alive', '10'],
    });
    expect(s).toMatchObject({
      kind: 'uvicorn',
      timeoutS: 0,
      timeoutSource: 'server-default',
      workers: 4,
      keepAliveS: 10,
    });
    expect(s.workerClass).toBeUndefined();
  });

  it('python -m uvicorn with UVICORN_WORKERS', () => {
    const s = detectServerConfig({
      cmd: ['python', '-m', 'uvicorn', 'main:app'],
      imageEnv: ['UVICORN_WORKERS=3'],
    });
    expect(s).toMatchObject({ kind: 'uvicorn', workers: 3, keepAliveS: 5 });
  });

  it('gunicorn running uvicorn workers is gunicorn, with its timeout', () => {
    const s = detectServerConfig({
      cmd: ['gunicorn', 'main:app', '-k', 'uvicorn.workers.UvicornWorker', '--timeout', '3'],
    });
    expect(s).toMatchObject({ kind: 'gunicorn', timeoutS: 3, workerClass: 'uvicorn.workers.UvicornWorker' });
  });

  it.each([
    [{ cmd: ['uwsgi', '--http', ':8000', '--harakiri', '20', '--processes', '4'] }, 20, 4],
    [{ cmd: ['uwsgi', '--harakiri=45', '-p', '2'] }, 45, 2],
    [{ cmd: ['uwsgi', '--http', ':8000'], imageEnv: ['UWSGI_HARAKIRI=12', 'UWSGI_PROCESSES=5'] }, 12, 5],
    [
      {
        cmd: ['uwsgi', '--ini', '/app/uwsgi.ini'],
        configFileText: '[uwsgi]\nharakiri = 33\nprocesses = 6\n',
      },
      33,
      6,
    ],
    [
      {
        cmd: ['uwsgi', 'uwsgi.ini'],
        configFileText: '[other]\nharakiri = 1\n[uwsgi]\nharakiri=$(HK)\n',
        imageEnv: ['HK=17'],
      },
      17,
      1,
    ],
  ])('uwsgi %j → harakiri %d, %d processes', (input, timeout, workers) => {
    const s = detectServerConfig(input);
    expect(s).toMatchObject({ kind: 'uwsgi', timeoutS: timeout, timeoutSource: 'image', workers });
  });

  it('uwsgi without harakiri has no timeout', () => {
    expect(detectServerConfig({ cmd: ['uwsgi', '--http', ':8000'] })).toMatchObject({
      kind: 'uwsgi',
      timeoutS: 0,
      timeoutSource: 'server-default',
    });
    expect(configFileToRead({ cmd: ['uwsgi', '--ini', 'u.ini'] })?.path).toBe('u.ini');
  });

  it('Django runserver is recognised and has no timeout', () => {
    expect(detectServerConfig({ cmd: ['python3', 'manage.py', 'runserver', '0.0.0.0:8000'] })).toMatchObject({
      kind: 'django',
      timeoutS: 0,
    });
  });

  it('an unknown server gets 30 s, marked as assumed', () => {
    const s = detectServerConfig({ cmd: ['node', 'server.js'] });
    expect(s).toMatchObject({ kind: 'unknown', timeoutS: 30, timeoutSource: 'server-default' });
    expect(s.detectedFrom?.[0]).toMatch(/assumed/);
    expect(detectServerConfig({})).toMatchObject({ kind: 'unknown', timeoutS: 30 });
  });

  it('flag beats scenario beats image beats default, and the image value is still named', () => {
    const cmd = ['gunicorn', '--timeout', '60', 'app:app'];
    const flag = detectServerConfig({ cmd, override: { timeoutMs: 5_000, source: 'flag' } });
    expect(flag).toMatchObject({ timeoutS: 5, timeoutSource: 'flag' });
    expect(flag.detectedFrom).toContain('timeout 5 (--server-timeout)');
    expect(flag.detectedFrom).toContain('overridden: timeout 60 (Cmd: --timeout 60)');
    const scenario = detectServerConfig({ cmd, override: { timeoutMs: 45_000, source: 'scenario' } });
    expect(scenario).toMatchObject({ timeoutS: 45, timeoutSource: 'scenario' });
    expect(detectServerConfig({ cmd, override: { source: 'scenario' } })).toMatchObject({
      timeoutS: 60,
      timeoutSource: 'image',
    });
    expect(
      detectServerConfig({ cmd: ['uvicorn', 'm:app'], override: { timeoutMs: 500, source: 'flag' } }),
    ).toMatchObject({ kind: 'uvicorn', timeoutS: 0.5, timeoutSource: 'flag' });
  });

  it('a non-numeric timeout (an unset variable) falls back to the default and says so', () => {
    const s = detectServerConfig({ cmd: sh('gunicorn --timeout "$UNSET" app:app') });
    expect(s).toMatchObject({ timeoutS: 30, timeoutSource: 'server-default' });
    expect(s.detectedFrom?.some((d) => d.includes('so the default'))).toBe(true);
  });
});
