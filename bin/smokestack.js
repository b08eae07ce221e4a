#!/usr/bin/env node
// The CLI entry: the compiled program lives in dist/ (built by `npm ci` through `prepare`).
import { main } from '../dist/cli/main.js';

const code = await main(process.argv);
process.exitCode = code;
// Everything we started is stopped by now; a library socket left open must not keep the CLI
// (and a CI job) hanging. Unref'd: fires only if something else still holds the event loop.
setTimeout(() => process.exit(code), 3_000).unref();
