// The one vocabulary of values: durations, rates, shares and counts, parsed and formatted here
// and nowhere else, so a value reads the same in every output.
export { formatDuration, formatDurationSpec, isDuration, parseDuration } from './duration.js';
export { formatRate, parseRate } from './rate.js';
export { formatCount, formatErrorRate, formatShare } from './share.js';
