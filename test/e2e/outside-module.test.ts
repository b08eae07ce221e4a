// A team's handlers module outside the clone, with no msw of its own: it imports smokestack's msw,
// and Node prints nothing about it. Three shapes a team writes: a .js in a folder whose package.json
// has no "type" (where Node 20 would print MODULE_TYPELESS_PACKAGE_JSON), a .js with no
// package.json at all, and an .mjs. `validate` imports it in a worker, `run` in the main thread:
// both through the CLI, as a user runs them, with a plain loopback server as the app (`--url`).
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'smokestack-outside-'));
const MODULE = `import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';

// msw/node resolves too (a subpath); nothing here starts it.
export const kind = typeof setupServer;
export const values = { titles: ['Heat', 'Ronin'], pages: 3 };
export const handlers = [http.get('/', () => HttpResponse.json({ Title: 'Heat' }))];
`;
const SCENARIO = (module: string) => `name: outside
mocks:
  omdb: { module: ./${module} }
load:
  - name: browse
    duration: 1s
    rate: 5/s
    requests: [{ path: "/title/{{pick omdb.titles}}" }]
`;

function folder(name: string, files: Record<string, string>): string {
  const at = path.join(dir, name);
  mkdirSync(at, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(at, f), text);
  return at;
}

const cases = [
  {
    shape: 'a .js in a package.json with no "type"',
    at: folder('typeless', {
      'package.json': '{ "name": "team-mocks", "version": "1.0.0" }\n',
      'omdb.js': MODULE,
      'smoke.yaml': SCENARIO('omdb.js'),
    }),
  },
  {
    shape: 'a .js with no package.json',
    at: folder('bare', { 'omdb.js': MODULE, 'smoke.yaml': SCENARIO('omdb.js') }),
  },
  { shape: 'an .mjs', at: folder('mjs', { 'omdb.mjs': MODULE, 'smoke.yaml': SCENARIO('omdb.mjs') }) },
];

let app: Server;
let appUrl = '';
const asked: string[] = [];
beforeAll(async () => {
  app = createServer((req, res) => {
    asked.push(req.url ?? '');
    res.end('ok');
  }).listen(0, '127.0.0.1');
  await once(app, 'listening');
  appUrl = `http://127.0.0.1:${(app.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => app.close(r));
});

describe('a handlers module outside the clone', () => {
  for (const { shape, at } of cases) {
    it(`${shape}: validate and run import smokestack's msw, with nothing on stderr`, async () => {
      const scenario = path.join(at, 'smoke.yaml');
      const checked = await runCli(['validate', scenario]);
      expect(checked.stderr).toBe('');
      expect(checked.code).toBe(0);

      asked.length = 0;
      const ran = await runCli([
        'run',
        scenario,
        '--url',
        appUrl,
        '--out',
        path.join(at, 'reports'),
        '--no-progress',
      ]);
      expect(ran.stderr).toBe('');
      expect(ran.code).toBe(0);
      // The module's plain `values` export fed {{pick omdb.titles}}.
      expect(asked.length).toBeGreaterThan(0);
      expect(asked.every((u) => /^\/title\/(Heat|Ronin)$/.test(u))).toBe(true);
    }, 90_000);
  }
});
