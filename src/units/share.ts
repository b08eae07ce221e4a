// Shares (a ratio of a whole: of the deadline, of the requests) and counts, one format each.
import { trimZeros } from './duration.js';

/** 1.024 → "102%"; small shares keep one decimal ("0.4%"). */
export function formatShare(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–';
  const pct = ratio * 100;
  return pct > 0 && pct < 10 ? `${trimZeros(pct.toFixed(1))}%` : `${Math.round(pct)}%`;
}

/** An error rate, errors of total: 0.00254 → "0.25%" (finer than a share: budgets are often 1%). */
export function formatErrorRate(errors: number, total: number): string {
  if (total === 0) return '0%';
  const pct = (errors / total) * 100;
  if (pct === 0) return '0%';
  return pct < 0.01 ? '<0.01%' : `${pct < 10 ? pct.toFixed(2) : pct.toFixed(1)}%`;
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return grouped.format(n);
}
