// Mocked slow dependencies: msw handlers served over real HTTP with latency, faults and a call
// log; the built-in TMDB mock; a scenario's mocks started together.
export type { CallRecord } from './call-log.js';
export type { FaultKind } from './fault-plan.js';
export type { CannedResponse, FaultResponses } from './fault-responses.js';
export type { MockExtension, MockRoute, MockServer, MockServerOptions } from './serve.js';
export { startMockServer } from './serve.js';
export type { StartMocksOptions } from './start-mocks.js';
export { startMocks } from './start-mocks.js';
export * from './tmdb/index.js';
