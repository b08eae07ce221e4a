// Telling a live run from a dead one by its owner labels: a reused pid is not alive, another host
// or pid namespace cannot be judged (spared), and `clean` removes only the runs that are gone.
import { describe, expect, it } from 'vitest';
import { planClean, type RunLeftovers } from '../../../src/stack/clean.js';
import {
  ownerFromLabels,
  ownerState,
  type ProcessProbe,
  parseStartTime,
  type RunOwner,
  runLabels,
  thisProcess,
} from '../../../src/stack/run-owner.js';

const here = { host: 'ci-1', boot: 'b1', pidns: 'pid:[1]' };
const probe = (live: Record<number, string>): ProcessProbe => ({ ...here, startOf: (pid) => live[pid] });
const owner = (o: Partial<RunOwner> = {}): RunOwner => ({ ...here, pid: 100, start: '5000', ...o });

describe('ownerState', () => {
  it('is alive when the pid runs with the same start time', () => {
    expect(ownerState(owner(), probe({ 100: '5000' })).state).toBe('alive');
  });

  it('is gone when the pid has exited', () => {
    expect(ownerState(owner(), probe({}))).toEqual({ state: 'gone', why: 'pid 100 on ci-1 has exited' });
  });

  it('is gone when the pid was reused by a process that started later', () => {
    const judged = ownerState(owner(), probe({ 100: '9999' }));
    expect(judged.state).toBe('gone');
    expect(judged.why).toContain('another process');
  });

  it('is gone when the same host has booted since', () => {
    expect(ownerState(owner({ boot: 'b0' }), probe({ 100: '5000' })).state).toBe('gone');
  });

  it('cannot judge another host, another pid namespace, or no labels: those are spared', () => {
    expect(ownerState(owner({ host: 'ci-2' }), probe({})).state).toBe('unknown');
    expect(ownerState(owner({ pidns: 'pid:[2]' }), probe({})).state).toBe('unknown');
    expect(ownerState(undefined, probe({})).state).toBe('unknown');
  });

  it('without /proc (no start time) trusts the pid alone', () => {
    expect(ownerState(owner({ start: '' }), probe({ 100: '' })).state).toBe('alive');
  });
});

describe('owner labels', () => {
  it('round-trip through the labels a run writes', () => {
    const me = thisProcess();
    expect(me.pid).toBe(process.pid);
    expect(me.start).toMatch(/^\d+$/);
    expect(ownerFromLabels(runLabels('r1', me))).toEqual(me);
    expect(runLabels('r1')['smokestack.run']).toBe('r1');
  });

  it('are absent on a container labelled with the run id only', () => {
    expect(ownerFromLabels({ 'smokestack.run': 'r1' })).toBeUndefined();
  });
});

describe('parseStartTime', () => {
  it('reads field 22 even when the command name holds spaces and parentheses', () => {
    const tail = Array.from({ length: 50 }, (_, i) => String(i + 3)).join(' ');
    expect(parseStartTime(`42 (a) b (c)) ${tail}`)).toBe('22');
  });
});

describe('planClean', () => {
  const run = (runId: string, o: RunOwner | undefined): RunLeftovers => ({
    runId,
    containers: [{ id: `${runId}-c`, name: `${runId}-c` }],
    networks: [],
    owner: o,
  });
  const runs = [run('live', owner()), run('dead', owner({ pid: 200 })), run('far', owner({ host: 'x' }))];

  it('removes only the runs that are gone', () => {
    const plan = planClean(runs, probe({ 100: '5000' }));
    expect(plan.filter((d) => d.remove).map((d) => d.runId)).toEqual(['dead']);
  });

  it('removes every run with all', () => {
    const plan = planClean(runs, probe({ 100: '5000' }), { all: true });
    expect(plan.every((d) => d.remove)).toBe(true);
  });
});
