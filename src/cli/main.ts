// Entry of the `sluice` command (bin/sluice.js and `npm start` load this file).
import { runCli } from './runCli.js';

process.exitCode = await runCli(process.argv.slice(2));
