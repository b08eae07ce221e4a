// The one error hierarchy of smokestack. Every failure the user can act on is one of these:
// a one-line message, a fix, a stable code, and the exit code the CLI maps it to.
// A failed verdict is not an error: it is a result with status "failed" (exit 1).

export type ErrorCode =
  | 'USAGE'
  | 'SCENARIO_INVALID'
  | 'SPEC_INVALID'
  | 'RESULT_INVALID'
  | 'REMOTE_TARGET_REFUSED'
  | 'NO_ENGINE'
  | 'IMAGE_MISSING'
  | 'CONTAINER_DIED'
  | 'SETUP_FAILED'
  | 'NOT_READY'
  | 'DATABASE_UNREACHABLE'
  | 'PORT_IN_USE'
  | 'INFRA'
  | 'INTERRUPTED';

export interface SmokestackErrorOptions {
  /** What the user should do about it, one sentence. */
  fix?: string;
  /** Extra lines shown under the message (e.g. the last log lines of a container). */
  details?: string[];
  cause?: unknown;
}

export abstract class SmokestackError extends Error {
  abstract readonly exitCode: 2 | 3 | 130;
  readonly code: ErrorCode;
  readonly fix: string | undefined;
  readonly details: string[];

  constructor(code: ErrorCode, message: string, options: SmokestackErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.fix = options.fix;
    this.details = options.details ?? [];
  }
}

/** Bad usage, a bad option value, a bad scenario file: nothing was started. Exit 2. */
export class UsageError extends SmokestackError {
  readonly exitCode = 2 as const;
  constructor(message: string, options: SmokestackErrorOptions & { code?: ErrorCode } = {}) {
    super(options.code ?? 'USAGE', message, options);
  }
}

/**
 * A scenario file failed validation. The message already reads
 * `FILE[:LINE] FIELD.PATH: what is wrong`, one line per problem.
 */
export class ScenarioError extends UsageError {
  readonly file: string;
  readonly problems: ScenarioProblem[];
  constructor(file: string, problems: ScenarioProblem[]) {
    super(problems.map((p) => formatProblem(file, p)).join('\n'), { code: 'SCENARIO_INVALID' });
    this.file = file;
    this.problems = problems;
  }
}

export interface ScenarioProblem {
  /** The file the field is in, when not the scenario itself (a base it extends). */
  file?: string;
  /** Field path as users write it: `load[0].connections`; empty for the whole file. */
  path: string;
  message: string;
  line?: number;
}

export function formatProblem(file: string, p: ScenarioProblem): string {
  const at = p.file ?? file;
  const where = p.line === undefined ? at : `${at}:${p.line}`;
  return p.path ? `${where} ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** The container engine, an image, a container, the database: something outside us failed. Exit 3. */
export class InfraError extends SmokestackError {
  readonly exitCode = 3 as const;
  constructor(code: ErrorCode, message: string, options: SmokestackErrorOptions = {}) {
    super(code, message, options);
  }
}

/** SIGINT/SIGTERM: everything started was torn down. Exit 130. */
export class InterruptedError extends SmokestackError {
  readonly exitCode = 130 as const;
  constructor(signal: string) {
    super('INTERRUPTED', `interrupted by ${signal}: everything started was torn down`);
  }
}

export function isSmokestackError(e: unknown): e is SmokestackError {
  return e instanceof SmokestackError;
}
