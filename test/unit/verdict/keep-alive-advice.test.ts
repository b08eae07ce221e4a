// The keep-alive advice names the setting where the image sets it: bookshelf's gunicorn.conf.py
// has `keepalive = 5`, so "--keep-alive 65 on the command line" would send the reader to a flag
// the image never uses.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../../src/result/types.js';
import { defaultBudgets } from '../../../src/scenario/defaults.js';
import { detectServerConfig } from '../../../src/server/config.js';
import { adviseTimeout, keepAliveAdvice } from '../../../src/verdict/advice.js';
import type { Evidence, JudgeInput } from '../../../src/verdict/types.js';

const bookshelfConf = readFileSync(
  new URL('../../../docker/bookshelf/gunicorn.conf.py', import.meta.url),
  'utf8',
);

function keepAlive(server: ServerConfig) {
  return keepAliveAdvice({ server } as JudgeInput, {} as Evidence).findings?.[0];
}

describe('keep-alive advice', () => {
  it("names `keepalive = N` in the image's gunicorn.conf.py when that is where it was read", () => {
    // bookshelf's own image: CMD names only the app, gunicorn reads ./gunicorn.conf.py in /app.
    const server = detectServerConfig({
      cmd: ['gunicorn', 'bookshelf.wsgi:application'],
      configFileText: bookshelfConf,
      configFilePath: '/app/gunicorn.conf.py',
    });
    expect(server).toMatchObject({ workerClass: 'gthread', keepAliveS: 5 });
    const f = keepAlive(server);
    expect(f?.title).toBe(
      "keepalive = 5 in /app/gunicorn.conf.py is shorter than a load balancer's idle timeout",
    );
    expect(f?.advice).toContain('set `keepalive = 65` in /app/gunicorn.conf.py');
    expect(f?.advice).not.toContain('--keep-alive');
    expect(f?.title).not.toContain('--keep-alive');
  });

  it('names --keep-alive in GUNICORN_CMD_ARGS, or on the command line, where it was set there', () => {
    const env = detectServerConfig({
      cmd: ['gunicorn', 'app:app'],
      imageEnv: ['GUNICORN_CMD_ARGS=--worker-class gthread --keep-alive 10'],
    });
    expect(keepAlive(env)?.advice).toContain('set --keep-alive 65 in GUNICORN_CMD_ARGS');
    const cmd = detectServerConfig({
      cmd: ['gunicorn', '-k', 'gevent', '--keep-alive', '10', 'app:app'],
    });
    expect(keepAlive(cmd)?.title).toBe("--keep-alive 10 s is shorter than a load balancer's idle timeout");
    expect(keepAlive(cmd)?.advice).toContain('set --keep-alive 65');
    expect(keepAlive(cmd)?.advice).not.toContain('GUNICORN_CMD_ARGS');
  });

  it("gunicorn's default keep-alive is worded as the default, with the flag to set", () => {
    const server = detectServerConfig({ cmd: ['gunicorn', '-k', 'gthread', 'app:app'] });
    expect(server.keepAliveS).toBe(2);
    const f = keepAlive(server);
    expect(f?.title).toBe(
      "gunicorn's default keep-alive of 2 s is shorter than a load balancer's idle timeout",
    );
    expect(f?.advice).toContain('set --keep-alive 65');
  });
});

describe("the timeout advice, T from the image's gunicorn.conf.py", () => {
  it('names `timeout = N`, the setting of the config file, not the --timeout flag', () => {
    const server = detectServerConfig({
      cmd: ['gunicorn', 'bookshelf.wsgi:application'],
      configFileText: bookshelfConf,
      configFilePath: '/app/gunicorn.conf.py',
    });
    const advice = adviseTimeout(
      { server, scenario: { budgets: defaultBudgets() } } as JudgeInput,
      {
        timeoutMs: 20_000,
        slowest: { ms: 18_000, basis: 'worker', cutShort: false },
      } as Evidence,
    );
    expect(advice).toContain("from the image's /app/gunicorn.conf.py: timeout = 20");
    expect(advice).toContain('As a stopgap, timeout = 27 leaves a 1.5x margin');
    expect(advice).not.toContain('--timeout');
  });
});
