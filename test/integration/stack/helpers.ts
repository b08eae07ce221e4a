// Shared by the stack's integration tests: a minimal scenario around a stack, and what Docker
// still holds for a run id (the teardown must leave nothing).
import { execFileSync } from 'node:child_process';
import type { Scenario, StackSpec } from '../../../src/scenario/types.js';
import { aScenario } from '../../support/scenario.js';

export function scenarioWith(stack: StackSpec, name = 'stack-test'): Scenario {
  return aScenario(name, { stack });
}

/** The sample app alone (no database): starts in about a second. */
export function sampleApp(
  overrides: Partial<NonNullable<StackSpec['app']>> = {},
): NonNullable<StackSpec['app']> {
  return {
    image: 'localmovies:incident',
    port: 8000,
    env: {},
    ready: { path: '/healthz', withinMs: 30_000 },
    ...overrides,
  };
}

/** Containers and networks Docker still has with this run's label. */
export function leftovers(runId: string): { containers: string[]; networks: string[] } {
  const label = `label=smokestack.run=${runId}`;
  const list = (args: string[]) =>
    execFileSync('docker', args, { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.trim() !== '');
  return {
    containers: list(['ps', '-a', '--filter', label, '--format', '{{.Names}}']),
    networks: list(['network', 'ls', '--filter', label, '--format', '{{.Name}}']),
  };
}

export function uniqueRunId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}
