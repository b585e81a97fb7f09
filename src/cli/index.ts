// The command line, for embedding (src/cli/main.ts is the executable entry).

export { type AutoStepsOptions, autoSteps } from './autoSteps.js';
export type { CliIO, Command } from './Command.js';
export { type DemoChange, type DemoOptions, type DemoResult, demo } from './demo.js';
export { type ExecuteOptions, execute } from './execute.js';
export { formatReport } from './formatReport.js';
export { formatStatsTable } from './formatStatsTable.js';
export type { Report } from './Report.js';
export { runCli } from './runCli.js';
export { sourceFromPath } from './sourceFromPath.js';
export { type TrainStreamOptions, trainStream } from './trainStream.js';
export { UsageError } from './UsageError.js';
