// The README is the user's reference: every command and option the CLI declares must be in it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../src/cli/options.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('gives the two set-up commands', () => {
    expect(readme).toContain('npm ci && npm run smoke');
    expect(readme).toContain('npm ci && npm test');
  });

  it.each(commands.map((c) => [c.name, c] as const))('documents `%s` and each of its options', (name, c) => {
    expect(readme).toContain(`smokestack ${name}`);
    for (const o of c.options) {
      const long = /--[\w-]+/.exec(o.flags)![0];
      expect(readme, `${name} ${long}`).toContain(long);
    }
  });
});
