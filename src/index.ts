// The programmatic API: what the CLI uses, for scripts and other tools.
//   loadScenario → runScenario (bring up → drive → snapshot → analyse) → RunResult; writeReports
// Lower-level pieces (startStack, startMocks, renderHtml) are exported for custom harnesses.
export * from './errors.js';
export type { MockServer } from './mocks/index.js';
export { startMockServer, startMocks } from './mocks/index.js';
export { compareResults } from './report/compare.js';
export { renderHtml } from './report/render-html.js';
export { writeReports } from './report/write-reports.js';
export { parseResult } from './result/result-schema.js';
export type * from './result/types.js';
export { bringUp } from './run/bring-up.js';
export type { LiveStack, RunOptions, RunOutcome, TeardownContext } from './run/run-scenario.js';
export { runScenario } from './run/run-scenario.js';
export { loadScenario, parseScenario } from './scenario/load-scenario.js';
export type * from './scenario/types.js';
export type { Stack } from './stack/start-stack.js';
export { startStack } from './stack/start-stack.js';
export { Teardown } from './util/teardown.js';
