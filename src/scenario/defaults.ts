// What a scenario means where it says nothing: the budgets' defaults (one place for the schema's
// normaliser and for code that builds a scenario without a file).
import type { Budgets } from './types.js';

export const BUDGET_DEFAULTS = {
  warnAt: 0.5,
  criticalAt: 0.8,
  workerTimeouts: 0,
  errorRate: 0.01,
  rateShortfall: 0.05,
  failOnCritical: true,
} as const satisfies Omit<Budgets, 'endpoints'>;

/** A fresh budgets object with every default (no endpoint budgets). */
export function defaultBudgets(): Budgets {
  return { ...BUDGET_DEFAULTS, endpoints: {} };
}
