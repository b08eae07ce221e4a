// `clean --all` removes live runs too: without a terminal to confirm on it needs --yes, and it
// refuses before it asks the engine anything (exit 2, no container touched).
import { describe, expect, it } from 'vitest';
import { cleanCommand } from '../../../src/cli/commands/clean.js';
import type { CliContext } from '../../../src/cli/context.js';
import { UsageError } from '../../../src/errors.js';

const sink = { write: () => true } as unknown as NodeJS.WritableStream;
const noTerminal: CliContext = {
  stdout: sink,
  stderr: sink,
  signal: new AbortController().signal,
  isTTY: false,
  ci: true,
};

describe('clean --all', () => {
  it('without a terminal and without --yes is a usage error naming the fix', async () => {
    const refused = cleanCommand([], { all: true }, noTerminal);
    await expect(refused).rejects.toBeInstanceOf(UsageError);
    await expect(refused).rejects.toMatchObject({ exitCode: 2, fix: expect.stringContaining('--yes') });
  });
});
