// What init prints: one line for each thing it found (read from the image or compose file) and
// for each it guessed, so the user knows which parts of the file to check first.
import type { Starter } from './guess.js';
import type { Readiness } from './readiness.js';

export function linesOf(s: Starter, r: Readiness): { found: string[]; guessed: string[] } {
  const found: string[] = [];
  const guessed: string[] = [];
  (s.port.guessed ? guessed : found).push(`port ${s.port.value}: ${s.port.from}`);
  (s.server.startsWith('no known server') ? guessed : found).push(`server: ${s.server}`);
  if (s.postgres) found.push(`Postgres: ${s.postgres}`);
  else guessed.push('no Postgres: nothing in the image implies one (add stack.postgres if the app needs it)');
  for (const [name, v] of Object.entries(s.env)) found.push(`env: ${name} (${v.from})`);
  if (s.setup) found.push(`setup: ${s.setup.value.join(' ')} (${s.setup.from})`);
  if (r.kind === 'probed' && r.found)
    found.push(
      `ready: ${r.path} answered ${r.answers.find((a) => a.path === r.path)?.answer} (tried ${r.answers.map((a) => `${a.path} ${a.answer}`).join(', ')})`,
    );
  else if (r.kind === 'probed')
    guessed.push(
      `ready: / (nothing answered 2xx: ${r.answers.map((a) => `${a.path} ${a.answer}`).join(', ')}); set stack.app.ready.path`,
    );
  else if (r.kind === 'read') found.push(`ready: ${r.path} (${r.from})`);
  else guessed.push(`ready: / (${r.why}); common ones: ${r.candidates.join(', ')}`);
  if (s.tmdb)
    found.push(
      `TMDB: ${s.tmdb.env}${s.tmdb.value ? ` = ${s.tmdb.value}` : ''} (${s.tmdb.from}): wired to the built-in tmdb mock`,
    );
  for (const c of s.mockCandidates)
    found.push(
      `external API: ${c.env}${c.value ? ` = ${c.value}` : ''} (${c.from}): a mock candidate, listed in the file`,
    );
  guessed.push('load: one light browse phase (10 s at 5/s); add the endpoints your users call');
  guessed.push("budgets: smokestack's defaults");
  return { found, guessed };
}
