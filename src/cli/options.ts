// Every command and option of the CLI, declared as data in one table: the help text, README and
// tests read the same source. Parsing lives in program.ts; handlers in commands/.

export interface OptionDef {
  flags: string;
  description: string;
  default?: string | boolean;
}

export interface CommandDef {
  name: string;
  args: string;
  summary: string;
  options: OptionDef[];
}

const runOptions: OptionDef[] = [
  { flags: '--image <ref>', description: 'the app image under test (overrides stack.app.image)' },
  { flags: '--url <url>', description: 'test an already running deployment instead of starting containers' },
  { flags: '--database-url <url>', description: 'with --url: the database the integrity checks query' },
  {
    flags: '--allow-remote <host...>',
    description:
      'with --url: allow these non-loopback hosts (refused otherwise, so nobody load-tests production by a typo)',
  },
  { flags: '--out <dir>', description: 'where reports/<run-id>/ go', default: 'reports' },
  {
    flags: '--server-timeout <duration>',
    description: 'the server worker timeout T, e.g. 30s (overrides detection)',
  },
  {
    flags: '--baseline <result.json>',
    description: 'compare against an earlier result and put the comparison in the report',
  },
  { flags: '--json', description: 'print the result summary as JSON on stdout' },
  { flags: '--no-progress', description: 'no live progress output' },
  { flags: '--keep', description: 'leave the stack up after the run until Ctrl-C' },
  {
    flags: '--seed <n>',
    description:
      "seed for templates, mock latency and faults (overrides the scenario's mocks.*.seed; default 1)",
  },
  { flags: '--debug', description: 'show stack traces and debug output (same as DEBUG=smokestack:*)' },
];

export const commands: CommandDef[] = [
  {
    name: 'run',
    args: '[scenario...]',
    summary: 'start the stack, run each scenario, write reports, exit with the verdict',
    options: runOptions,
  },
  {
    name: 'up',
    args: '[scenario]',
    summary: 'start the stack and mocks only, print the URLs, keep them until Ctrl-C, then tear down',
    options: [
      { flags: '--image <ref>', description: 'the app image (overrides stack.app.image)' },
      {
        flags: '--clean',
        description:
          'same as `smokestack clean`: remove what runs whose process is gone left behind, then exit',
      },
      { flags: '--quiet', description: 'do not follow container logs' },
      { flags: '--debug', description: 'show stack traces and debug output' },
    ],
  },
  {
    name: 'mock',
    args: '<kind>',
    summary: 'serve a mock alone (kind: tmdb) until Ctrl-C',
    options: [
      { flags: '--port <n>', description: 'port to listen on (0 = any free port)', default: '0' },
      {
        flags: '--host <addr>',
        description:
          'address to bind (default 127.0.0.1; the Docker bridge gateway, e.g. 172.17.0.1, for containers; 0.0.0.0 exposes it to the network)',
        default: '127.0.0.1',
      },
      { flags: '--movies <n>', description: 'dataset size (20 a page, 500-page cap)', default: '10000' },
      {
        flags: '--latency <spec>',
        description: 'e.g. 800ms, 200ms..2s, p50=400ms,p99=1.5s, "400ms; 2s after 30s"',
      },
      {
        flags: '--fault <spec>',
        description: 'e.g. rateLimit=40/s,errors=0.01,status=503,reset=0.001,hang=0.001',
      },
      { flags: '--seed <n>', description: 'seed for the dataset, latency and faults', default: '1' },
    ],
  },
  {
    name: 'init',
    args: '',
    summary: 'write a commented starter scenario for your own app, from its image or its docker-compose.yml',
    options: [
      {
        flags: '--image <ref>',
        description: 'the app image to read (a local image: nothing is pulled unless a registry has it)',
      },
      {
        flags: '--compose <file>',
        description: "the team's docker-compose.yml: the scenario uses it as the stack",
      },
      { flags: '--out <file>', description: 'the scenario file to write', default: 'smoke.yaml' },
      { flags: '--force', description: 'replace the file when it exists' },
      {
        flags: '--no-probe',
        description:
          'do not start the image to find its readiness path (the file then lists the common ones as a guess)',
      },
      { flags: '--debug', description: 'show stack traces and debug output' },
    ],
  },
  {
    name: 'validate',
    args: '<scenario...>',
    summary: 'check scenario files, start nothing',
    options: [{ flags: '--json', description: 'print the normalised scenarios as JSON' }],
  },
  {
    name: 'report',
    args: '<result.json>',
    summary: 're-render the report files from a result',
    options: [
      { flags: '--out <dir>', description: 'directory to write to (default: the result file’s directory)' },
    ],
  },
  {
    name: 'compare',
    args: '<baseline.json> <current.json>',
    summary: 'regressions between two results (exit 1 on regression)',
    options: [
      {
        flags: '--tolerance <spec>',
        description: 'e.g. latency=10%,errors=0.5,flagged=0,workerTimeouts=0',
        default: 'latency=10%,errors=0.5,flagged=0,workerTimeouts=0',
      },
      { flags: '--json', description: 'print the comparison as JSON' },
    ],
  },
  {
    name: 'sweep',
    args: '<scenario>',
    summary:
      'run the scenario again and again, scaling one factor, to find where the verdict first fails (the headroom)',
    options: [
      {
        flags: '--vary <target=from..to>',
        description:
          'what to scale and how far: mocks.<name>.latency=1x..4x, mocks.<name>.movies=1000..20000, load.<phase>.rate=10/s..80/s, flows.<flow>.copies=1..8',
      },
      {
        flags: '--precision <p>',
        description:
          'stop bisecting when the cliff is known to this much (default 0.1x for latency, a 16th of the range otherwise)',
      },
      {
        flags: '--repeats <n>',
        description:
          "runs each end of the answer needs, all agreeing and clear of the critical level by the runs' spread (1: one run a value)",
        default: '3',
      },
      { flags: '--max-runs <n>', description: 'at most this many runs in all', default: '30' },
      {
        flags: '--reuse-stack',
        description:
          "one stack for every step, its database recreated from a template and its mocks restarted between steps (a stack with no other services); faster, but its workers stay warm, which a plain run's are not (default: a fresh stack per step)",
      },
      ...runOptions.filter((o) => !/^--(baseline|json|keep) /.test(`${o.flags} `)),
      { flags: '--json', description: 'print sweep.json on stdout' },
    ],
  },
  {
    name: 'clean',
    args: '',
    summary: 'remove the containers and networks of runs whose process is gone; live runs are spared',
    options: [
      {
        flags: '--all',
        description: 'remove every run, live ones too (asks on a terminal; needs --yes without one)',
      },
      { flags: '--yes', description: 'with --all: do not ask' },
      {
        flags: '--run <run-id...>',
        description: 'only these runs (the same judgement: a live one is still spared without --all)',
      },
    ],
  },
];
