// Times of day in every report, as the server's own log lines write them (UTC). Durations,
// rates, shares and counts are src/units.

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
