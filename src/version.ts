// smokestack's own version, for --version and the report's run metadata.
import { createRequire } from 'node:module';

const pkg = createRequire(import.meta.url)('../package.json') as { version: string };

export const version: string = pkg.version;

export function runtimeVersions(): Record<string, string> {
  return { smokestack: version, node: process.versions.node };
}
