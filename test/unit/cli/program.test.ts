import { describe, expect, it } from 'vitest';
import { commands } from '../../../src/cli/options.js';
import { parseCommandLine } from '../../../src/cli/program.js';
import { UsageError } from '../../../src/errors.js';

function parse(...args: string[]) {
  const out: string[] = [];
  const parsed = parseCommandLine(['node', 'smokestack', ...args], {
    writeOut: (t) => out.push(t),
    writeErr: (t) => out.push(t),
  });
  return { parsed, out: out.join('') };
}

describe('parseCommandLine', () => {
  it('lists every command of the contract in --help', () => {
    const { parsed, out } = parse('--help');
    expect(parsed.kind).toBe('printed');
    for (const name of ['run', 'up', 'mock', 'validate', 'report', 'compare', 'clean'])
      expect(out).toContain(name);
    expect(out).toContain('130 interrupted');
  });

  it('parses run with its options and defaults, without running anything', () => {
    const { parsed } = parse(
      'run',
      'a.yaml',
      'b.yaml',
      '--image',
      'app:1',
      '--server-timeout',
      '30s',
      '--no-progress',
      '--json',
    );
    expect(parsed).toEqual({
      kind: 'command',
      name: 'run',
      args: ['a.yaml', 'b.yaml'],
      opts: expect.objectContaining({
        image: 'app:1',
        serverTimeout: '30s',
        progress: false,
        json: true,
        out: 'reports',
      }),
    });
  });

  it('parses variadic --allow-remote hosts', () => {
    const { parsed } = parse('run', '--url', 'http://staging:8000', '--allow-remote', 'staging');
    expect(parsed.kind === 'command' && parsed.opts.allowRemote).toEqual(['staging']);
  });

  it('parses compare with two positional files', () => {
    const { parsed } = parse('compare', 'base.json', 'cur.json');
    expect(parsed.kind === 'command' && parsed.args).toEqual(['base.json', 'cur.json']);
  });

  it('turns unknown options and commands into a UsageError (exit 2)', () => {
    expect(() => parse('run', '--imgae', 'x')).toThrow(UsageError);
    expect(() => parse('explode')).toThrow(/unknown command/);
    expect(() => parse('compare', 'only-one.json')).toThrow(/missing required argument/);
  });

  it('prints help when no command is given', () => {
    const { parsed, out } = parse();
    expect(parsed.kind).toBe('printed');
    expect(out).toMatch(/Usage: smokestack/);
  });

  it('declares every option once per command', () => {
    for (const c of commands) {
      const longs = c.options.map((o) => /--[\w-]+/.exec(o.flags)?.[0]);
      expect(new Set(longs).size, c.name).toBe(longs.length);
    }
  });
});
