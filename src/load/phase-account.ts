// What a load phase planned and did: the type lives with result.json (it is written there as
// `phases`); the load stage fills it, starting from newPhaseAccount.
import type { PhaseAccount } from '../result/types.js';

export type { PhaseAccount };

/** An account with every counter at zero, started now. */
export function newPhaseAccount(
  start: Pick<PhaseAccount, 'name' | 'model' | 'planned' | 'connections'> & Partial<PhaseAccount>,
): PhaseAccount {
  return {
    sent: 0,
    completed: 0,
    dropped: 0,
    unsent: 0,
    cutOff: 0,
    late: 0,
    peakInFlight: 0,
    startedAt: new Date().toISOString(),
    ...start,
  };
}
