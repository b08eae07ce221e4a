// What a command handler gets from the CLI edge: where to write, and a signal that aborts on
// SIGINT/SIGTERM. Handlers return the exit code; only src/cli/main.ts sets process.exitCode.
export interface CliContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Aborted on the first SIGINT/SIGTERM; the reason is the signal name. */
  signal: AbortSignal;
  /** True when stdout is a terminal (live progress line, colours). */
  isTTY: boolean;
  /** CI=true or no TTY: periodic plain progress lines. */
  ci: boolean;
  /** Asks a yes/no question on the terminal; absent when stdin or stderr is not a terminal. */
  confirm?: (question: string) => Promise<boolean>;
}
