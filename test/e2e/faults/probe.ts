// The fault-injection suite's instrument: start the real CLI on a real stack, inject a fault when
// a line of its output says the run has reached a stage, and measure what a user and an operator
// would check afterwards — the exit code, the seconds from the fault to the exit, what the run left
// on the engine (scoped to that run's process and id), and whether the result on disk is complete
// (parseable, schema-valid, with a status). Each probe adds a row to the file's fault table.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseResult } from '../../../src/result/result-schema.js';
import type { RunResult } from '../../../src/result/types.js';
import { type CliRun, startCli } from '../../support/cli.js';

export const dockerEnv = {
  TESTCONTAINERS_RYUK_DISABLED: 'true',
  TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
  SMOKESTACK_POSTGRES_IMAGE: process.env.SMOKESTACK_POSTGRES_IMAGE ?? 'smokestack/postgres:15',
};

export const STAGES_SCENARIO = 'test/fixtures/scenarios/faults/stages.yaml';

export interface FaultRow {
  probe: string;
  exit: number | null;
  /** Seconds from the fault to the process's exit. */
  seconds: number;
  /** Containers and networks of the run still on the engine after it exited. */
  leftovers: string[];
  /** The stage the run was in when the fault hit (from its own output). */
  stage: string;
  status?: string;
}

export interface ProbeOutcome extends FaultRow {
  run: CliRun;
  result?: RunResult;
  /** Why result.json is not usable, when it is not. */
  resultProblem?: string;
  runId?: string;
}

export interface ProbeOptions {
  probe: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** The fault fires once the output (stdout + stderr) matches this; without it the fault is the run's environment, timed from the start. */
  when?: RegExp;
  /** Extra wait after the match, so the fault lands inside the stage rather than at its first line. */
  afterMs?: number;
  /** The fault: a signal to the run, or a function (docker kill …) given the run's pid. */
  fault?: NodeJS.Signals | ((pid: number) => void | Promise<void>);
  /** Gives up on the run (SIGKILL, recorded as exit null) after this long. */
  limitMs?: number;
}

export const table: FaultRow[] = [];

/** Runs the CLI on `scenario` and injects one fault; the row is added to `table`. */
export async function probe(options: ProbeOptions): Promise<ProbeOutcome> {
  const out = mkdtempSync(path.join(tmpdir(), 'smokestack-fault-'));
  const cli = startCli(options.args ?? ['run', STAGES_SCENARIO, '--out', out], {
    env: { ...dockerEnv, ...options.env },
  });
  const pid = cli.child.pid!;
  let firedAt: number | undefined = options.when ? undefined : Date.now();
  let stageFired: string | undefined;
  const fire = async () => {
    if (options.afterMs) await new Promise((r) => setTimeout(r, options.afterMs));
    if (cli.child.exitCode !== null) return;
    firedAt = Date.now();
    stageFired = stageAt(cli.output().stderr);
    if (typeof options.fault === 'string') cli.child.kill(options.fault);
    else await options.fault?.(pid);
  };
  // Fires from the data event itself, not a poll: some stages (writing reports) last ~100 ms.
  let armed = true;
  const check = () => {
    const o = cli.output();
    if (armed && options.when?.test(`${o.stdout}\n${o.stderr}`)) {
      armed = false;
      void fire();
    }
  };
  cli.child.stdout!.on('data', check);
  cli.child.stderr!.on('data', check);
  const limit = setTimeout(() => cli.child.kill('SIGKILL'), options.limitMs ?? 150_000);
  const run = await cli.done;
  clearTimeout(limit);
  const seconds = firedAt === undefined ? Number.NaN : (Date.now() - firedAt) / 1000;

  let result: RunResult | undefined;
  let resultProblem: string | undefined;
  const file = resultFile(run, out);
  if (!file) resultProblem = 'no result.json';
  else {
    try {
      result = parseResult(JSON.parse(readFileSync(file, 'utf8')), file);
    } catch (error) {
      resultProblem = (error as Error).message;
    }
  }
  const leftovers = leftoversOf(pid, result?.runId);
  const row: FaultRow = {
    probe: options.probe,
    exit: run.code,
    seconds: Math.round(seconds * 10) / 10,
    leftovers,
    // A signal: where the run noticed it; any other fault: where the run was when it was injected.
    stage: typeof options.fault === 'string' ? stageAt(run.stderr) : (stageFired ?? stageAt(run.stderr)),
    status: result?.status,
  };
  table.push(row);
  return { ...row, run, result, resultProblem, runId: result?.runId };
}

/** The reports folder the run names, else `<out>/latest`. */
function resultFile(run: CliRun, out: string): string | undefined {
  const named = /partial result written to (.+result\.json)/.exec(run.stderr)?.[1];
  if (named && existsSync(named)) return named;
  const report = /report\s+(\S+)\/index\.html/.exec(run.stdout)?.[1];
  if (report && existsSync(path.join(report, 'result.json'))) return path.join(report, 'result.json');
  const latest = path.join(out, 'latest', 'result.json');
  return existsSync(latest) ? latest : undefined;
}

/** The last stage line (`• …`) printed before the fault was noticed (or before the end). */
export function stageAt(stderr: string): string {
  const cut = stderr.search(/smokestack: SIG\w+ received/);
  const before = cut >= 0 ? stderr.slice(0, cut) : stderr;
  const stages = [...before.matchAll(/^• (.+)$/gm)].map((m) => m[1]!);
  return (stages.at(-1) ?? '(none)').replace(
    /^(setup|traffic against|checking images|starting mocks)\b.*/,
    '$1',
  );
}

/** Containers and networks labelled with this run's process (and its run id, when known). */
export function leftoversOf(pid: number, runId?: string): string[] {
  const filters = [`label=smokestack.owner.pid=${pid}`, ...(runId ? [`label=smokestack.run=${runId}`] : [])];
  const found = new Set<string>();
  for (const filter of filters) {
    for (const kind of ['container', 'network'] as const) {
      const args =
        kind === 'container'
          ? ['ps', '-a', '--filter', filter, '--format', 'container {{.Names}}']
          : ['network', 'ls', '--filter', filter, '--format', 'network {{.Name}}'];
      const text = execFileSync('docker', args, { encoding: 'utf8' }).trim();
      for (const line of text.split('\n')) if (line) found.add(line);
    }
  }
  return [...found];
}

/** The container of a run's service (`app`, `postgres`), once it exists. */
export async function containerOf(pid: number, name: string, withinMs = 60_000): Promise<string> {
  const until = Date.now() + withinMs;
  for (;;) {
    const id = execFileSync(
      'docker',
      [
        'ps',
        '-q',
        '--filter',
        `label=smokestack.owner.pid=${pid}`,
        '--filter',
        `label=smokestack.container=${name}`,
      ],
      { encoding: 'utf8' },
    ).trim();
    if (id) return id.split('\n')[0]!;
    if (Date.now() > until) throw new Error(`no running container ${name} of pid ${pid}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function printTable(title: string, rows: FaultRow[]): void {
  const lines = [
    `\n${title}`,
    '| probe | stage hit | exit | s to exit | result status | leftovers |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.probe} | ${r.stage} | ${r.exit} | ${Number.isNaN(r.seconds) ? '-' : r.seconds.toFixed(1)} | ${r.status ?? '-'} | ${r.leftovers.length === 0 ? 'none' : r.leftovers.join(', ')} |`,
    ),
  ];
  console.log(lines.join('\n'));
}
