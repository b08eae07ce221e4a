// What the CLI does with a run: the reports are written from the finished result before teardown
// (so they exist even when teardown hangs), and with --keep the stack is held until Ctrl-C.
// `run` and each step of `sweep` go through here; the library's runScenario writes nothing.
import { UsageError } from '../errors.js';
import { writeReports } from '../report/write-reports.js';
import type { RunResult } from '../result/types.js';
import { type LiveStack, type RunOptions, type RunOutcome, runScenario } from '../run/run-scenario.js';
import type { Scenario } from '../scenario/types.js';

export interface ReportedRunOptions extends Omit<RunOptions, 'beforeTeardown'> {
  /** Root of the reports tree; the run writes `<outRoot>/<runId>/`. */
  outRoot: string;
  baseline?: RunResult;
  /** With --keep: called after the reports are written, with the stack still up; resolves when to tear down. */
  keep?: (live: LiveStack) => Promise<void>;
}

export interface ReportedRun extends RunOutcome {
  /** Where the reports went; empty when none were written (a usage error found at run time). */
  reportDir: string;
}

export async function runWithReports(scenario: Scenario, options: ReportedRunOptions): Promise<ReportedRun> {
  const { outRoot, baseline, keep, ...runOptions } = options;
  let reportDir = '';
  let reported: RunResult | undefined;
  const outcome = await runScenario(scenario, {
    ...runOptions,
    beforeTeardown: async (result, { live, failure, mask }) => {
      // A usage error found at run time (no app, no image) started nothing: no report folder for it.
      if (failure instanceof UsageError) return;
      options.onStage?.('writing reports');
      const written = await writeReports(result, { outRoot, baseline, mask });
      reportDir = written.dir;
      // The same comparison the reports show, for the terminal summary and --json.
      if (written.comparison) reported = { ...result, comparison: written.comparison };
      if (keep && live) await keep(live);
    },
  });
  return { ...outcome, result: reported ?? outcome.result, reportDir };
}
