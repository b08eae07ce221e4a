// A table of bad scenario files → the exact lines users read (FILE:LINE PATH: message), all
// ScenarioErrors (exit 2). Each file is under test/fixtures/scenarios/bad/.
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../../src/errors.js';
import { loadScenario, parseScenario } from '../../../src/scenario/load-scenario.js';

const dir = 'test/fixtures/scenarios/bad';

const table: [file: string, lines: string[]][] = [
  ['unknown-key.yaml', [':5 load[0].conections: unknown key; did you mean "connections"?']],
  [
    'edge-wrong-field.yaml',
    [':4 edge.idleTimeout: heroku has no idleTimeout: its limit is edge.timeout (rename the field)'],
  ],
  [
    'edge-unknown-profile.yaml',
    [':2 edge.profile: expected one of aws-alb, heroku, cloudflare, gcp-lb, got "akamai"'],
  ],
  ['not-an-integer.yaml', [':5 load[0].connections: expected a positive integer, got "ten"']],
  ['bad-duration.yaml', [':4 load[0].duration: expected a positive duration like 500ms, 30s or 2m, got 60']],
  [
    'bad-name.yaml',
    [
      ':1 name: expected a name of lower-case letters, digits and dashes, like tmdb-import, got "My Scenario"',
    ],
  ],
  [
    'missing-name.yaml',
    [':1 name: missing: expected a name of lower-case letters, digits and dashes, like tmdb-import'],
  ],
  [
    'bad-template.yaml',
    [
      ':6 load[0].requests[0].path: {{random 1}}: expected {{random MIN MAX}} with two integers, like {{random 1 50}}',
      // In the same pass: the semantic problem of the next line, not only once the syntax is fixed.
      ':7 load[0].requests[1].path: {{pick tmdb.ids}}: no mock named tmdb (the scenario has no mocks:)',
    ],
  ],
  [
    'uncaptured.yaml',
    [
      ':6 flows[0].steps[1].path: {{job}}: no earlier step captures job (add capture: { job: FIELD } to a step before)',
    ],
  ],
  [
    'bad-until.yaml',
    [`:6 flows[0].steps[1].until: cannot read "= 'done'" (compare with ==) in "status = 'done'"`],
  ],
  [
    'mock-without-module.yaml',
    [
      ':4 mocks.stripe: missing module: (your msw handlers, e.g. module: ./mocks/stripe.js); only tmdb is built in',
    ],
  ],
  [
    'bad-latency.yaml',
    [
      ':4 mocks.tmdb.latency: expected a latency like 800ms, 200ms..2s or p50=400ms,p99=1.5s, optionally changing later ("400ms; 2s after 30s"), got "fast" ("fast" is not a duration like 500ms or 2s)',
      ':5 mocks.tmdb.faults.errors: expected a share between 0 and 1, like 0.01 or 1%, got 2',
    ],
  ],
  [
    'duration-and-amount.yaml',
    [':5 load[0].amount: give only one of duration, amount and ramp (this phase has duration and amount)'],
  ],
  [
    'budget-name.yaml',
    [':9 budgets.endpoints.browze: no endpoint, phase or flow is named "browze"; did you mean "browse"?'],
  ],
  ['duplicate-key.yaml', [':5: duplicate key "duration"']],
  [
    'two-statements.yaml',
    [
      `:7 integrity[1].sql: the check "wipe" holds 2 SQL statements; it must be one read-only query (remove the ';' and what follows it)`,
      `:10 integrity[2].sql: the check "no timeout" holds 2 SQL statements; it must be one read-only query (remove the ';' and what follows it)`,
      `:15 settle.sql: the settle query holds 2 SQL statements; it must be one read-only query (remove the ';' and what follows it)`,
    ],
  ],
  [
    'alias-bomb.yaml',
    [
      ': too many YAML alias expansions (more than 100); refusing a file that expands like a "billion laughs"',
    ],
  ],
  [
    'top-level-list.yaml',
    [': expected a mapping of settings (name:, load:, flows:, ...) at the top level, got a list'],
  ],
  ['empty.yaml', [': the file is empty; expected a scenario with at least name: and load: or flows:']],
  ['comment-only.yaml', [': the file is empty; expected a scenario with at least name: and load: or flows:']],
  ['binary.yaml', [': not a text file: it holds binary or non-UTF-8 bytes; expected YAML or JSON']],
  ['latin1.yaml', [': not a text file: it holds binary or non-UTF-8 bytes; expected YAML or JSON']],
  [
    'syntax-error.yaml',
    [':5: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  ],
  [
    'bad.json',
    [
      ':4 load[0].connections: expected a positive integer, got 0',
      ':5 load[0].requests[0].path: expected a path starting with /, like /api/movies?page={{random 1 50}}, got "api"',
    ],
  ],
  [
    'wrong-types.yaml',
    [
      ':4 stack.app.port: expected a port number (1-65535), got "8000"',
      ':5 stack.app.env: expected a mapping of variable names to values, like { TMDB_API_KEY: test-key }, got a list',
      ':7 stack.services.postgres: the name postgres is taken by the stack; choose another',
      ':10 budgets.criticalAt: warnAt (0.9) must not be above criticalAt (0.5)',
      ':15 integrity[0].atLeast: expected exactly one of equals, atLeast, atMost or zero (got equals and atLeast)',
    ],
  ],
];

describe('bad scenario files', () => {
  it.each(table)('%s', async (file, lines) => {
    const path = `${dir}/${file}`;
    const error = await loadScenario(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ScenarioError);
    const e = error as ScenarioError;
    expect(e.exitCode).toBe(2);
    expect(e.file).toBe(path);
    expect(e.message.split('\n')).toEqual(lines.map((l) => `${path}${l}`));
    expect(e.problems).toHaveLength(lines.length);
  });

  it('names a missing file and a directory', async () => {
    await expect(loadScenario(`${dir}/no-such.yaml`)).rejects.toThrow(`${dir}/no-such.yaml: no such file`);
    await expect(loadScenario(dir)).rejects.toThrow(
      `${dir}: is a directory; expected a scenario file (.yaml or .json)`,
    );
  });

  it('reports every problem of a file, in file order, with lines', () => {
    const text = [
      'name: many', //                                1
      'load:', //                                     2
      '  - name: browse', //                          3
      '    duraton: 10s', //                          4
      '    rate: 0.5/s', //                           5
      '    requests:', //                             6
      '      - { method: GETT, path: /, bdy: 1 }', // 7
      'budgets: { warnAt: 2 }', //                    8
    ].join('\n');
    const e = (() => {
      try {
        parseScenario(text, 'many.yaml');
      } catch (error) {
        return error as ScenarioError;
      }
    })();
    expect(e?.problems).toEqual([
      { path: 'load[0].duraton', message: 'unknown key; did you mean "duration"?', line: 4 },
      {
        path: 'load[0].rate',
        message: 'expected a rate of at least 1/s, like 200/s or 600/m, got "0.5/s"',
        line: 5,
      },
      {
        path: 'load[0].requests[0].method',
        message: 'expected one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, got "GETT"',
        line: 7,
      },
      { path: 'load[0].requests[0].bdy', message: 'unknown key; did you mean "body"?', line: 7 },
      {
        path: 'budgets.warnAt',
        message: 'expected a share between 0 and 1 (or a percentage like 1%), got 2',
        line: 8,
      },
    ]);
  });

  it('checks across sections in the same pass as the problems of each section', () => {
    const text = `name: cross
load:
  - name: browse
    duration: 10s
    requests:
      - { path: "/a/{{job}}" }
      - { path: "/b/{{pick tmdb.ids}}" }
      - { path: "/b/{{pick tmdb.ids}}" }
flows:
  - name: browse
    steps:
      - { path: "/x/{{tmdb.pages}}", capture: { job: id } }
      - { path: "/y/{{job}}", headers: { x-job: "{{job}}" }, body: { ids: ["{{pick tmdb.ids}}"] } }
`;
    // A section's own problems and the checks across sections, together, each once.
    expect(() => parseScenario(text, 'cross.yaml')).toThrow(
      [
        'cross.yaml:6 load[0].requests[0].path: {{job}}: load phases have no variables; use {{random A B}}, {{seq}} or {{pick LIST}}',
        'cross.yaml:7 load[0].requests[1].path: {{pick tmdb.ids}}: no mock named tmdb (the scenario has no mocks:)',
        'cross.yaml:8 load[0].requests[2].path: another request has the same name "GET /b/:id"; add name: to tell them apart in reports',
        'cross.yaml:8 load[0].requests[2].path: {{pick tmdb.ids}}: no mock named tmdb (the scenario has no mocks:)',
        'cross.yaml:10 flows[0].name: load[0] already has the name "browse"',
        'cross.yaml:12 flows[0].steps[0].path: {{tmdb.pages}}: no mock named tmdb (the scenario has no mocks:)',
        'cross.yaml:13 flows[0].steps[1].body.ids[0]: {{pick tmdb.ids}}: no mock named tmdb (the scenario has no mocks:)',
      ].join('\n'),
    );
  });
});
