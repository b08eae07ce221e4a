// Which services of a compose file a run starts, and in which order: every service without a
// profile (compose starts none of the profiled ones by default), plus the app and whatever it or
// a started service depends on (as `docker compose up web` would). Waves: each service starts
// once everything it depends on has met its condition.
import { UsageError } from '../errors.js';
import type { ComposeProject, ComposeService } from './types.js';

export function servicesToStart(project: ComposeProject, app: string, shown: string): ComposeService[] {
  const byName = new Map(project.services.map((s) => [s.name, s]));
  if (!byName.has(app))
    throw new UsageError(`${shown} stack.app: no service ${JSON.stringify(app)} in the compose file`, {
      code: 'SCENARIO_INVALID',
      fix: `name one of ${project.services.map((s) => s.name).join(', ')}`,
    });
  const chosen = new Set<string>();
  const add = (name: string) => {
    if (chosen.has(name)) return;
    chosen.add(name);
    for (const d of byName.get(name)?.dependsOn ?? []) add(d.service);
  };
  for (const s of project.services) if (s.profiles.length === 0) add(s.name);
  add(app);
  return project.services.filter((s) => chosen.has(s.name));
}

/** Start order: wave N holds the services whose dependencies are all in earlier waves. */
export function startWaves(services: ComposeService[]): ComposeService[][] {
  const waves: ComposeService[][] = [];
  const placed = new Set<string>();
  let left = services;
  while (left.length > 0) {
    const wave = left.filter((s) =>
      s.dependsOn.every((d) => placed.has(d.service) || !left.some((l) => l.name === d.service)),
    );
    if (wave.length === 0) break; // a cycle: parseCompose already refused it
    for (const s of wave) placed.add(s.name);
    waves.push(wave);
    left = left.filter((s) => !placed.has(s.name));
  }
  return waves;
}
