// The command line, for embedding (src/cli/main.ts is the executable entry).
export { runCli } from './runCli.js';
export type { CliIO, Command } from './Command.js';
export { demo, type DemoOptions, type DemoResult } from './demo.js';
export type { Report } from './Report.js';
export { trainStream, type TrainStreamOptions } from './trainStream.js';
export { execute, type ExecuteOptions } from './execute.js';
export { autoSteps, type AutoStepsOptions } from './autoSteps.js';
export { sourceFromPath } from './sourceFromPath.js';
export { formatStatsTable } from './formatStatsTable.js';
export { formatReport } from './formatReport.js';
export { UsageError } from './UsageError.js';
