import type { CliIO } from './Command.js';
import { formatReport } from './formatReport.js';
import type { Report } from './Report.js';

/** Exit status after Ctrl-C: 128 + SIGINT. */
export const INTERRUPTED = 130;
/** Exit status after SIGTERM: 128 + SIGTERM. */
export const TERMINATED = 143;

/**
 * Runs a data command with Ctrl-C wired to an AbortSignal (the run stops reading, the report
 * covers what was seen) and SIGTERM to a second one (`terminate`: the same, after a last
 * checkpoint when the run takes them), then prints the report: JSON with `--json`, else a few lines.
 */
export async function finishRun(io: CliIO, json: boolean, run: (signal: AbortSignal, terminate: AbortSignal) => Promise<Report>): Promise<number> {
  const ac = new AbortController();
  const term = new AbortController();
  const onInt = () => ac.abort();
  const onTerm = () => term.abort();
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  try {
    let report: Report;
    try {
      report = await run(ac.signal, term.signal);
    } catch (e) {
      // A run that failed after reading (diverged, nothing learned) still prints its report; the error follows.
      const failed = (e as { report?: Report }).report;
      if (failed) io.out(json ? JSON.stringify(failed) : formatReport(failed));
      throw e;
    }
    io.out(json ? JSON.stringify(report) : formatReport(report));
    return ac.signal.aborted ? INTERRUPTED : term.signal.aborted ? TERMINATED : 0;
  } finally {
    process.removeListener('SIGINT', onInt);
    process.removeListener('SIGTERM', onTerm);
  }
}
