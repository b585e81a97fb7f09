// The command line, for embedding (src/cli/main.ts is the executable entry).
export { runCli, type CliIO } from './runCli.js';
export { demo, type DemoOptions, type DemoResult } from './demo.js';
