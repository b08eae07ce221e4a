// `smokestack validate` (and `run`, which validates the same way first) as a user runs it: every
// case of issue 14's "validate said ok to things that then failed the run". Real processes, real
// files in a temporary folder, real module imports; exit codes and stderr as the user reads them.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/scenario/types.js';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'smokestack-validate-'));

function file(name: string, text: string): string {
  const f = path.join(dir, name);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, text);
  return f;
}

const PHASE = `load:
  - name: browse
    duration: 1s
    requests: [{ path: / }]
`;

function noZodText(text: string) {
  expect(text).not.toMatch(/Invalid (string|input)|must match pattern|\/\^/);
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+\)?/);
}

describe('validate catches before anything starts', () => {
  it('a module: file that does not exist names file, line, field and the path it looked for', async () => {
    const f = file(
      'missing-module.yaml',
      `name: missing-module\nmocks:\n  omdb:\n    module: ./mocks/omdb.js\n${PHASE}`,
    );
    const r = await runCli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${f}:4 mocks.omdb.module: ${path.join(dir, 'mocks/omdb.js')} does not exist`);
  });

  it('a module that cannot import its packages, one with a syntax error, one that throws, one that never settles', async () => {
    const mocks = {
      unresolved:
        "import { http } from 'msw-not-installed-anywhere';\nexport default [http.get('/x', () => 1)];\n",
      syntax: 'export default [;\n',
      throws: "throw new Error('no API key in this environment');\n",
      stuck: 'await new Promise(() => {});\nexport default [];\n',
      empty: 'export const nothing = 1;\n',
    };
    for (const [name, text] of Object.entries(mocks)) file(`mods/${name}.mjs`, text);
    const f = file(
      'bad-modules.yaml',
      `name: bad-modules\nmocks:\n${Object.keys(mocks)
        .map((n) => `  ${n}: { module: ./mods/${n}.mjs }`)
        .join('\n')}\n${PHASE}`,
    );
    const r = await runCli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /:3 mocks\.unresolved\.module: .*unresolved\.mjs failed to load: Cannot find package 'msw-not-installed-anywhere'/,
    );
    expect(r.stderr).toMatch(/:4 mocks\.syntax\.module: .*syntax\.mjs failed to load: Unexpected token/);
    expect(r.stderr).toMatch(
      /:5 mocks\.throws\.module: .*throws\.mjs failed to load: no API key in this environment/,
    );
    expect(r.stderr).toMatch(/:6 mocks\.stuck\.module: .*stuck\.mjs never finished loading/);
    expect(r.stderr).toMatch(/:7 mocks\.empty\.module: .*empty\.mjs exports no msw handlers/);
    noZodText(r.stderr);
  });

  it('a mock-name typo in an integrity template lists the mocks and values that exist', async () => {
    const f = 'test/fixtures/scenarios/validate/typo.yaml';
    const r = await runCli(['validate', f]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe(
      `${f}:12 integrity[0].equals: {{mocks.omdbb.served.requests}}: no mock named omdbb (mocks: omdb)`,
    );
    const offered =
      '(it offers {{mocks.omdb.titles}}, {{mocks.omdb.served.requests}}, {{mocks.omdb.calls}}, {{mocks.omdb.status.CODE}}, {{mocks.omdb.routes.ROUTE.calls}}, {{mocks.omdb.routes.ROUTE.status.CODE}}; ROUTE: get-root, unmatched; CODE: an HTTP status like 200 or 503, or reset, hang, closed, stopped, pending)';
    expect(lines[1]).toBe(
      `${f}:15 integrity[1].equals: {{mocks.omdb.served.request}}: the omdb mock offers no value served.request ${offered}`,
    );
    expect(lines[2]).toBe(
      `${f}:21 integrity[3].equals: {{mocks.omdb.routes.get-roo.status.200}}: the omdb mock offers no value routes.get-roo.status.200 ${offered}`,
    );
    expect(lines).toHaveLength(4);
  });

  it('{{pick X}} of a dataset a mock does not offer, and a capture used before any step captures it', async () => {
    const f = file(
      'refs.yaml',
      `name: refs
mocks:
  tmdb: { movies: 100 }
load:
  - name: browse
    duration: 1s
    requests: [{ path: "/m/{{pick tmdb.movie_ids}}" }]
flows:
  - name: import
    steps:
      - { path: "/api/import/{{job}}" }
      - { method: POST, path: /api/import, capture: { job: id } }
`,
    );
    const r = await runCli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${f}:7 load[0].requests[0].path: {{pick tmdb.movie_ids}}: the tmdb mock offers no movie_ids (it offers {{tmdb.ids}}, {{tmdb.pages}}, {{tmdb.movies}})`,
    );
    expect(r.stderr).toContain(`${f}:11 flows[0].steps[0].path: {{job}}: no earlier step captures job`);
  });

  it("a module's plain values export: {{pick}} and integrity templates checked against its keys, a reserved name refused", async () => {
    const handlers =
      "import { http } from 'msw';\nexport const handlers = [http.post('/v1/charges', () => new Response('{}'))];\n";
    file('vals/pay.mjs', `${handlers}export const values = { customers: ['cus_1', 'cus_2'], pages: 3 };\n`);
    file('vals/clash.mjs', `${handlers}export const values = { calls: 3 };\n`);
    file('vals/list.mjs', `${handlers}export const values = ['cus_1'];\n`);
    const f = file(
      'values.yaml',
      `name: values
mocks:
  pay: { module: ./vals/pay.mjs }
  clash: { module: ./vals/clash.mjs }
  list: { module: ./vals/list.mjs }
load:
  - name: browse
    duration: 1s
    requests:
      - { path: "/c/{{pick pay.customers}}" }
      - { path: "/d/{{pick pay.customer}}" }
integrity:
  - name: right
    sql: select 1
    equals: "{{mocks.pay.routes.post-v1-charges.status.201}}"
  - name: wrong
    sql: select 1
    equals: "{{mocks.pay.pagez}}"
`,
    );
    const r = await runCli(['validate', f]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toContain(
      `${f}:4 mocks.clash.module: ${path.join(dir, 'vals/clash.mjs')} offers a value named calls, the name of what every mock offers ({{mocks.clash.calls}}); rename it`,
    );
    expect(lines).toContain(
      `${f}:5 mocks.list.module: ${path.join(dir, 'vals/list.mjs')} exports values that are not an object (an array); export const values = { ids: [1, 2, 3] } (plain data), computed values in extension.values()`,
    );
    expect(lines).toContain(
      `${f}:11 load[0].requests[1].path: {{pick pay.customer}}: the pay mock offers no customer (it offers {{pay.customers}}, {{pay.pages}})`,
    );
    expect(lines.find((l) => l.includes('integrity[1]'))).toMatch(
      /:18 integrity\[1\]\.equals: \{\{mocks\.pay\.pagez\}\}: the pay mock offers no value pagez \(it offers \{\{mocks\.pay\.customers\}\}, \{\{mocks\.pay\.pages\}\}, \{\{mocks\.pay\.calls\}\}, .*ROUTE: post-v1-charges, unmatched;/,
    );
    expect(lines, r.stderr).toHaveLength(5);
  });

  it('rate: 0/s is exit 2 naming file and field, from validate and from run, and the run writes nothing', async () => {
    const f = file(
      'rate0.yaml',
      `name: rate0\nload:\n  - name: browse\n    duration: 1s\n    rate: 0/s\n    requests: [{ path: / }]\n`,
    );
    const out = path.join(dir, 'reports-rate0');
    for (const args of [
      ['validate', f],
      ['run', f, '--url', 'http://127.0.0.1:9', '--out', out],
    ]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `${f}:5 load[0].rate: expected a rate of at least 1/s, like 200/s or 600/m, got "0/s"`,
      );
      expect(r.stderr).not.toContain('unexpected error');
      expect(r.stderr).not.toContain('partial result');
    }
    expect(existsSync(out)).toBe(false);
  });

  it('a usage error found once the run starts (no app to test) writes no report folder either', async () => {
    const out = path.join(dir, 'reports-no-app');
    const r = await runCli(['run', 'test/fixtures/scenarios/cli/no-app.yaml', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('stack.app is missing');
    expect(r.stderr).not.toContain('partial result');
    expect(existsSync(out)).toBe(false);
  });

  it('a ramp step of 0/s, a fault rate of 0/s: problems, never a thrown error', async () => {
    const f = file(
      'zero-rates.yaml',
      `name: zero-rates
mocks:
  tmdb: { faults: { rateLimit: 0/s } }
load:
  - name: ramp
    ramp: [{ duration: 1s, rate: 0/s }, { duration: 1s, rate: 0.5/s }]
    requests: [{ path: / }]
`,
    );
    const r = await runCli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${f}:3 mocks.tmdb.faults.rateLimit: expected a rate like 40/s or 600/m, got "0/s"`,
    );
    expect(r.stderr).toContain(
      `${f}:6 load[0].ramp[0].rate: expected a rate of at least 1/s, like 200/s or 600/m, got "0/s"`,
    );
    expect(r.stderr).toContain(
      `${f}:6 load[0].ramp[1].rate: expected a rate of at least 1/s, like 200/s or 600/m, got "0.5/s"`,
    );
  });

  it('a .json scenario with a trailing comma or a comment is refused with line and column', async () => {
    const comma = file(
      'comma.json',
      '{\n  "name": "comma",\n  "load": [\n    { "name": "a", "duration": "1s", "requests": [{ "path": "/" }] },\n  ]\n}\n',
    );
    const comment = file('comment.json', '{\n  // the smoke test\n  "name": "comment"\n}\n');
    const r = await runCli(['validate', comma, comment]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${comma}:4: not valid JSON at column 69: a trailing comma (remove it)`);
    expect(r.stderr).toContain(`${comment}:2: not valid JSON at column 3: a comment: JSON has none`);
  });

  it('schema and semantic problems of every file in one pass, each once, in words', async () => {
    const a = file(
      'a.yaml',
      `name: a
load:
  - name: browse
    duration: 10 seconds
    rate: fast/s
    requests: [{ path: "/{{job}}" }]
budgets: { endpoints: { brows: { p99: 1s } } }
`,
    );
    const b = file('b.yaml', `name: B\n${PHASE}`);
    const r = await runCli(['validate', a, b]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `${a}:4 load[0].duration: expected a positive duration like 500ms, 30s or 2m, got "10 seconds"`,
      `${a}:5 load[0].rate: expected a rate of at least 1/s, like 200/s or 600/m, got "fast/s"`,
      `${a}:6 load[0].requests[0].path: {{job}}: load phases have no variables; use {{random A B}}, {{seq}} or {{pick LIST}}`,
      `${a}:7 budgets.endpoints.brows: no endpoint, phase or flow is named "brows"; did you mean "browse"?`,
      `${b}:1 name: expected a name of lower-case letters, digits and dashes, like tmdb-import, got "B"`,
      '2 of 2 scenario file(s) invalid',
    ]);
    noZodText(r.stderr);
  });

  it('ok lines and exit 0 when every file is good', async () => {
    const f = file('good.yaml', `name: good\n${PHASE}`);
    const r = await runCli(['validate', f, 'scenarios/smoke.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`ok  ${f} (good)\nok  scenarios/smoke.yaml (smoke)\n`);
  });
});

describe('extends', () => {
  const base = file(
    'ext/base.yaml',
    `name: base
stack:
  app: { image: localmovies:incident, env: { A: "1", B: "2" } }
load:
  - { name: browse, duration: 10s, requests: [{ path: / }] }
  - { name: search, duration: 10s, requests: [{ path: /search }] }
budgets: { warnAt: 0.4, criticalAt: 0.9 }
`,
  );

  it('deep-merges mappings and replaces lists', async () => {
    const f = file(
      'ext/child.yaml',
      `extends: ./base.yaml
name: child
stack:
  app: { image: localmovies:fixed, env: { B: "3" } }
load:
  - { name: only, duration: 1s, requests: [{ path: /only }] }
budgets: { warnAt: 0.5 }
`,
    );
    const r = await runCli(['validate', '--json', f]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [s] = JSON.parse(r.stdout) as [Scenario];
    expect(s.name).toBe('child');
    expect(s.stack.app?.image).toBe('localmovies:fixed');
    expect(s.stack.app?.env).toEqual({ A: '1', B: '3' });
    expect(s.load.map((p) => p.name)).toEqual(['only']);
    expect(s.budgets.warnAt).toBe(0.5);
    expect(s.budgets.criticalAt).toBe(0.9);
    expect(s.file).toBe(f);
    expect(base).toBeTruthy();
  });

  it('a problem names the file it is in: the base or the extending one', async () => {
    const badBase = file(
      'ext/bad-base.yaml',
      `name: bad-base\nload:\n  - { name: browse, duration: 10x, requests: [{ path: / }] }\n`,
    );
    const f = file(
      'ext/child-of-bad.yaml',
      `extends: ./bad-base.yaml\nname: child-of-bad\nbudgets: { warnAt: 3 }\n`,
    );
    const r = await runCli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${f}:3 budgets.warnAt: expected a share between 0 and 1`);
    expect(r.stderr).toContain(
      `${badBase}:3 load[0].duration: expected a positive duration like 500ms, 30s or 2m, got "10x"`,
    );
  });

  it('a chain is followed, a cycle and a missing base are usage errors, and every file needs its name', async () => {
    file('ext/c1.yaml', 'extends: ./c2.yaml\nname: c1\n');
    file('ext/c2.yaml', 'extends: ./c1.yaml\nname: c2\n');
    const cycle = await runCli(['validate', path.join(dir, 'ext/c1.yaml')]);
    expect(cycle.code).toBe(2);
    expect(cycle.stderr).toContain('c2.yaml:1 extends: extends goes round in a circle');

    const missing = file('ext/missing.yaml', 'extends: ./nowhere.yaml\nname: missing\n');
    const m = await runCli(['validate', missing]);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain(`${missing}:1 extends: ${path.join(dir, 'ext/nowhere.yaml')} does not exist`);

    const nameless = file('ext/nameless.yaml', 'extends: ./base.yaml\nload: []\n');
    const n = await runCli(['validate', nameless]);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain(
      `${nameless}:1 name: missing: every scenario in an extends chain has its own name`,
    );

    const grandchild = file(
      'ext/grandchild.yaml',
      'extends: ./child.yaml\nname: grandchild\nbudgets: { criticalAt: 0.8 }\n',
    );
    const g = await runCli(['validate', '--json', grandchild]);
    expect(g.code).toBe(0);
    const [s] = JSON.parse(g.stdout) as [Scenario];
    expect(s.budgets).toMatchObject({ warnAt: 0.5, criticalAt: 0.8 });
    expect(s.stack.app?.image).toBe('localmovies:fixed');
  });
});
