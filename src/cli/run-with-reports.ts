// What the CLI does with a run: the reports are written from the finished result before teardown
// (so they exist even when teardown hangs), and with --keep the stack is held until Ctrl-C.
// `run` and each step of `sweep` go through here; the library's runScenario writes nothing.
import { InterruptedError, UsageError } from '../errors.js';
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
  let masker: ((text: string) => string) | undefined;
  /** --keep ended by its Ctrl-C: that signal is how a kept stack ends, not an interrupted run. */
  let kept = false;
  const outcome = await runScenario(scenario, {
    ...runOptions,
    beforeTeardown: async (result, { live, failure, mask }) => {
      // A usage error found at run time (no app, no image) started nothing: no report folder for it.
      if (failure instanceof UsageError) return;
      masker = mask;
      options.onStage?.('writing reports');
      const written = await writeReports(result, { outRoot, baseline, mask });
      reportDir = written.dir;
      // The same comparison the reports show, for the terminal summary and --json.
      if (written.comparison) reported = { ...result, comparison: written.comparison };
      if (keep && live) {
        await keep(live);
        kept = true;
      }
    },
  });
  let result = reported ?? outcome.result;
  // Ctrl-C while the reports were written or the stack torn down ends the run as an interrupt
  // (130), and the result on disk says so as every other interrupt's does: the verdict stays,
  // the status becomes "aborted". Rewritten in place (same folder; `latest` already points there).
  if (outcome.failure instanceof InterruptedError && !kept && reportDir && result.status !== 'aborted') {
    result = { ...result, status: 'aborted' };
    await writeReports(result, { dir: reportDir, baseline, mask: masker }).catch(() => {
      // The first write stands; the exit code (130) still says the run was interrupted.
    });
  }
  return { ...outcome, result, reportDir };
}
