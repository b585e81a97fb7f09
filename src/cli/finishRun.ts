import type { CliIO } from './Command.js';
import { formatReport } from './formatReport.js';
import type { Report } from './Report.js';

/** Exit status after Ctrl-C: 128 + SIGINT. */
export const INTERRUPTED = 130;

/**
 * Runs a data command with Ctrl-C wired to an AbortSignal (the run stops reading, the report
 * covers what was seen), then prints the report: JSON with `--json`, else a few lines.
 */
export async function finishRun(io: CliIO, json: boolean, run: (signal: AbortSignal) => Promise<Report>): Promise<number> {
  const ac = new AbortController();
  const onInt = () => ac.abort();
  process.once('SIGINT', onInt);
  try {
    let report: Report;
    try {
      report = await run(ac.signal);
    } catch (e) {
      // A run that failed after reading (diverged, nothing learned) still prints its report; the error follows.
      const failed = (e as { report?: Report }).report;
      if (failed) io.out(json ? JSON.stringify(failed) : formatReport(failed));
      throw e;
    }
    io.out(json ? JSON.stringify(report) : formatReport(report));
    return ac.signal.aborted ? INTERRUPTED : 0;
  } finally {
    process.removeListener('SIGINT', onInt);
  }
}
