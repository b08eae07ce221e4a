// Run ids: sortable by time, unique per run, safe as a directory name and a Docker label value.
import { randomBytes } from 'node:crypto';

export function newRunId(scenarioName: string, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .replace('T', '-');
  return `${stamp}-${scenarioName}-${randomBytes(3).toString('hex')}`;
}
