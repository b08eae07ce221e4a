// Number and time formatting shared by every report (HTML, Markdown, console, JUnit), so a
// latency reads the same everywhere: "412 ms", "30.7 s", "2 m 05 s".

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return grouped.format(n);
}

/** Milliseconds in the unit a person reads fastest. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${trim((ms / 1_000).toFixed(2))} s`;
  if (ms < 60_000) return `${trim((ms / 1_000).toFixed(1))} s`;
  const s = Math.round(ms / 1_000);
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} m`;
}

/** "30.0" → "30", "1.50" → "1.5". */
function trim(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** 1.024 → "102%"; small shares keep one decimal ("0.4%"). */
export function formatShare(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–';
  const pct = ratio * 100;
  return pct > 0 && pct < 10 ? `${trim(pct.toFixed(1))}%` : `${Math.round(pct)}%`;
}

/** An error rate: 0.00254 → "0.25%". */
export function formatRate(errors: number, total: number): string {
  if (total === 0) return '0%';
  const pct = (errors / total) * 100;
  if (pct === 0) return '0%';
  return pct < 0.01 ? '<0.01%' : `${pct < 10 ? pct.toFixed(2) : pct.toFixed(1)}%`;
}

/** ISO time → "15:45:04.288" (UTC, like the server's own log lines). */
export function formatClock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().slice(11, 23);
}

/** ISO time → "2026-11-24 15:45:04 UTC". */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Seconds → "30 s" for the server timeout. */
export function formatSeconds(s: number): string {
  return Number.isInteger(s) ? `${s} s` : `${s.toFixed(1)} s`;
}
