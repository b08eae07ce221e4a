// What a load phase planned and did: the type lives with result.json (it is written there as
// `phases`); the load stage fills it.
export type { PhaseAccount } from '../result/types.js';
