// A normalised scenario for tests that need one without a file: empty traffic, default budgets.
import { defaultBudgets } from '../../src/scenario/defaults.js';
import type { Scenario } from '../../src/scenario/types.js';

export function aScenario(name: string, parts: Partial<Omit<Scenario, 'name'>> = {}): Scenario {
  return {
    name,
    file: `test/${name}.yaml`,
    stack: { services: [] },
    server: {},
    mocks: [],
    load: [],
    flows: [],
    budgets: defaultBudgets(),
    integrity: [],
    ...parts,
  };
}
