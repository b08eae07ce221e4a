// The load itself: did each open-model phase send what it planned, when it planned it? A phase that
// could not hold its rate tested a lighter load than the scenario says, so its pass is not the
// scenario's pass. Beyond budgets.rateShortfall of the plan it fails; any shortfall is a warning.
import type { Finding, PhaseAccount } from '../result/types.js';
import { formatDuration, formatShare } from '../units/index.js';
import type { Check, Rule } from './types.js';

export const rateNotReached: Rule = (input) => {
  const findings: Finding[] = [];
  const checks: Check[] = [];
  const allowed = input.scenario.budgets.rateShortfall;
  for (const phase of input.phases ?? []) {
    if (phase.model !== 'open' || phase.planned === 0) continue;
    // Requests the interrupt kept from going out are the user's doing, not the load's.
    const planned = phase.planned - phase.unsent - phase.cutOff;
    if (planned <= 0) continue;
    const missed = phase.dropped + phase.late;
    const shortfall = missed / planned;
    const passed = shortfall <= allowed;
    const onTime = phase.sent - phase.late;
    checks.push({
      name: `rate ${phase.name}: at most ${formatShare(allowed)} of the plan missed`,
      passed,
      message: `${onTime} of ${planned} planned requests sent on time (${formatShare(shortfall)} missed)`,
    });
    if (missed === 0) continue;
    const mean = input.byGroup?.find((g) => g.group === phase.name && g.name === phase.name)?.latencyMs.mean;
    findings.push({
      severity: passed ? 'warn' : 'fail',
      code: 'rate-not-reached',
      title: `${phase.name}: ${onTime} of ${planned} planned requests sent on time (${formatShare(shortfall)} short)`,
      detail: detail(phase, planned, mean),
      advice: advice(phase, mean),
    });
  }
  return { findings, checks };
};

function detail(phase: PhaseAccount, planned: number, meanMs: number | undefined): string {
  const rate = `${phase.peakRatePerSecond ?? '?'}/s`;
  const parts = [`The phase planned ${planned} requests at up to ${rate}.`];
  if (phase.dropped > 0) {
    const from =
      phase.firstDroppedAfterMs === undefined
        ? ''
        : ` from ${formatDuration(phase.firstDroppedAfterMs)} into the phase on`;
    parts.push(
      `${phase.dropped} were due while all ${phase.maxConnections ?? phase.connections} connections (maxConnections) were waiting for answers${from}, so they were not sent${meanMs === undefined ? '' : ` (the mean answer took ${formatDuration(meanMs)})`}.`,
    );
  }
  if (phase.late > 0)
    parts.push(
      `${phase.late} left more than 100 ms behind schedule: the load generator itself could not keep up, and their latency includes that delay.`,
    );
  return parts.join(' ');
}

function advice(phase: PhaseAccount, meanMs: number | undefined): string {
  const out: string[] = [];
  if (phase.dropped > 0) {
    // Little's law: connections in use = arrival rate x time each request holds one.
    const needed =
      meanMs !== undefined && phase.peakRatePerSecond !== undefined
        ? Math.ceil(((phase.peakRatePerSecond * meanMs) / 1000) * 1.2)
        : undefined;
    out.push(
      needed !== undefined
        ? `Raise maxConnections to at least ${needed} (${phase.peakRatePerSecond}/s x ${formatDuration(meanMs ?? 0)} a request, plus 20 %), or accept that the app cannot take this rate: in production those users would have waited or failed.`
        : 'Raise maxConnections, or accept that the app cannot take this rate: in production those users would have waited or failed.',
    );
  }
  if (phase.late > 0)
    out.push(
      'Give the load generator more CPU (fewer other processes), lower the rate, or split the load over several processes.',
    );
  return out.join(' ');
}
