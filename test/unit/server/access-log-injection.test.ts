// When the harness turns on gunicorn's access log (GUNICORN_CMD_ARGS), and when it leaves the
// image's own logging alone: any access-log setting in the command, the variable or the config file.
import { describe, expect, it } from 'vitest';
import { ACCESS_ARGS, accessLogPlan } from '../../../src/server/access-log-injection.js';
import { shellWords } from '../../../src/server/shell-words.js';

const cmd = ['gunicorn', '--bind', '0.0.0.0:8000', '--workers', '3', 'localmovies.wsgi:application'];

describe('accessLogPlan', () => {
  it('turns the access log on through GUNICORN_CMD_ARGS when nothing sets it', () => {
    const plan = accessLogPlan({ cmd });
    expect(plan.env).toEqual({ GUNICORN_CMD_ARGS: ACCESS_ARGS });
    expect(plan.injected).toEqual([expect.stringContaining('GUNICORN_CMD_ARGS: --access-logfile -')]);
  });

  it('keeps the format one shell word, as gunicorn shlex-splits the variable', () => {
    const words = shellWords(ACCESS_ARGS).flatMap((t) => ('word' in t ? [t.word] : []));
    expect(words).toEqual([
      '--access-logfile',
      '-',
      '--access-logformat',
      'smokestack-access %(p)s "%(r)s" %(s)s %(D)s',
    ]);
  });

  it("appends to the image's or the scenario's GUNICORN_CMD_ARGS", () => {
    expect(accessLogPlan({ cmd, imageEnv: ['GUNICORN_CMD_ARGS=--timeout 60'] }).env).toEqual({
      GUNICORN_CMD_ARGS: `--timeout 60 ${ACCESS_ARGS}`,
    });
    expect(accessLogPlan({ cmd, scenarioEnv: { GUNICORN_CMD_ARGS: '-w 2' } }).env).toEqual({
      GUNICORN_CMD_ARGS: `-w 2 ${ACCESS_ARGS}`,
    });
  });

  it('leaves an access log the command, the variable or the config file configures', () => {
    for (const plan of [
      accessLogPlan({ cmd: [...cmd, '--access-logfile', '/var/log/access.log'] }),
      accessLogPlan({ cmd: [...cmd, '--access-logformat=%(h)s'] }),
      accessLogPlan({ command: [...cmd, '--log-config', '/app/logging.ini'] }),
      accessLogPlan({ cmd, imageEnv: { GUNICORN_CMD_ARGS: '--access-logfile -' } }),
      accessLogPlan({ cmd, configFileText: 'accesslog = "-"\n' }),
      accessLogPlan({ cmd, configFileText: 'logconfig_dict = LOGGING\n' }),
    ]) {
      expect(plan.env).toBeUndefined();
      expect(plan.note).toMatch(/^access log left as configured \(.+\)(;.*)?$/);
    }
  });

  it('turns nothing on where it cannot know or cannot win', () => {
    // A named config file that could not be read may set the access log.
    expect(accessLogPlan({ cmd: [...cmd, '-c', '/app/gunicorn.py'] }).env).toBeUndefined();
    // Set inline in the command, the variable beats the container's env.
    expect(
      accessLogPlan({ cmd: ['sh', '-c', 'GUNICORN_CMD_ARGS="-w 2" exec gunicorn app:app'] }).env,
    ).toBeUndefined();
    // UvicornWorker writes uvicorn's access line, without request time.
    expect(accessLogPlan({ cmd: [...cmd, '-k', 'uvicorn.workers.UvicornWorker'] }).env).toBeUndefined();
    expect(accessLogPlan({ cmd: ['uvicorn', 'app:app'] })).toEqual({});
    expect(accessLogPlan({ cmd: ['python3', 'worker.py'] })).toEqual({});
  });

  it("turns it on for gunicorn's own worker classes and an unset default config file", () => {
    expect(accessLogPlan({ cmd: [...cmd, '-k', 'gthread', '--threads', '4'] }).env).toBeDefined();
    expect(
      accessLogPlan({ cmd, configFileText: 'timeout = 60\nworker_class = "gevent"\n' }).env,
    ).toBeDefined();
  });
});

describe("accessLogPlan: the image's own access log", () => {
  it('reads time in the worker from it when it goes to stdout in a format with %(D)s', () => {
    const plan = accessLogPlan({
      cmd,
      imageEnv: { GUNICORN_CMD_ARGS: `--access-logfile - --access-logformat '"%(r)s" %(s)s %(D)s'` },
    });
    expect(plan).toMatchObject({ format: '"%(r)s" %(s)s %(D)s' });
    expect(plan.env).toBeUndefined();
    expect(plan.note).toMatch(/time in the worker read from its format$/);
  });

  it('the command line wins over the config file, as in gunicorn', () => {
    const plan = accessLogPlan({
      cmd: [...cmd, '--access-logformat', '%(r)s %(s)s %(M)s'],
      configFileText: 'accesslog = "-"\naccess_log_format = "%(h)s %(r)s"\n',
    });
    expect(plan.format).toBe('%(r)s %(s)s %(M)s');
  });

  it('says so when the format has no request time, or the log goes to a file', () => {
    expect(accessLogPlan({ cmd: [...cmd, '--access-logfile', '-'] }).note).toMatch(/no request time/);
    const toFile = accessLogPlan({
      cmd: [...cmd, '--access-logfile', '/var/log/a.log', '--access-logformat', '%(r)s %(s)s %(D)s'],
    });
    expect(toFile.format).toBeUndefined();
  });
});
