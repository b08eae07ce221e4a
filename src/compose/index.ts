// src/compose: a team's docker-compose.yml read as smokestack starts it (docs/compose.md).
export { loadCompose } from './load-compose.js';
export { type ComposeSource, formatUnsupported, parseCompose } from './parse-compose.js';
export { servicesToStart, startWaves } from './plan.js';
export { isPostgresService, type PostgresLogin, postgresLogin } from './postgres-service.js';
export { httpHealthPath } from './service-health.js';
export type * from './types.js';
