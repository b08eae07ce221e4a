// Builds the commander program from the option table and parses argv WITHOUT running anything:
// `parseCommandLine` returns which command was asked for with its arguments and options, so
// parsing is testable on its own and main.ts only dispatches.
import { Command, CommanderError, Option } from 'commander';
import { UsageError } from '../errors.js';
import { version } from '../version.js';
import { commands } from './options.js';

export type Parsed =
  | { kind: 'command'; name: string; args: string[]; opts: Record<string, unknown> }
  /** --help or --version was printed; nothing to run. */
  | { kind: 'printed' };

export interface ParseOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

export function buildProgram(
  onAction: (name: string, args: string[], opts: Record<string, unknown>) => void,
): Command {
  const program = new Command('smokestack')
    .description('Staging load and smoke tests that catch requests killed by the server’s worker timeout.')
    .version(version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 passed, 1 verdict failed, 2 bad usage or scenario, 3 infrastructure error, 130 interrupted.',
    );
  for (const def of commands) {
    const cmd = program.command(`${def.name}${def.args ? ` ${def.args}` : ''}`).description(def.summary);
    for (const o of def.options) {
      const option = new Option(o.flags, o.description);
      if (o.default !== undefined) option.default(o.default);
      cmd.addOption(option);
    }
    cmd.action((...actionArgs: unknown[]) => {
      // commander passes the declared arguments, then the options object, then the command.
      const command = actionArgs.at(-1) as Command;
      const args = actionArgs
        .slice(0, -2)
        .flatMap((a) => (Array.isArray(a) ? a : a === undefined ? [] : [a]));
      onAction(def.name, args.map(String), command.opts());
    });
  }
  return program;
}

/** Parses argv (as process.argv: node, script, ...). Bad usage throws UsageError (exit 2). */
export function parseCommandLine(argv: string[], output: ParseOutput): Parsed {
  let parsed: Parsed | undefined;
  const program = buildProgram((name, args, opts) => {
    parsed = { kind: 'command', name, args, opts };
  });
  program.exitOverride();
  program.configureOutput({ writeOut: output.writeOut, writeErr: () => {}, outputError: () => {} });
  for (const sub of program.commands) {
    sub.exitOverride();
    sub.configureOutput({ writeOut: output.writeOut, writeErr: () => {}, outputError: () => {} });
  }
  if (argv.length <= 2) {
    output.writeOut(program.helpInformation());
    return { kind: 'printed' };
  }
  try {
    program.parse(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      ) {
        return { kind: 'printed' };
      }
      throw new UsageError(error.message.replace(/^error: /, ''), {
        fix: 'run `smokestack --help` for usage',
      });
    }
    throw error;
  }
  if (!parsed) throw new UsageError('no command given', { fix: 'run `smokestack --help` for usage' });
  return parsed;
}
