import { SourceError, type Telemetry } from '../../core/index.js';
import type { Backoff } from './Backoff.js';
import { sleep } from './sleep.js';

/**
 * After a failed connect or a dropped connection: waits out the next backoff delay, with a `log`
 * event saying why, and resolves true (try again). Without a backoff, or once its retries are
 * spent, the stream ends: resolves false with a `warn` log when rows have been read (what was
 * read stays trained and reported), else throws SourceError naming the source and the attempts.
 */
export async function retryAfter(
  backoff: Backoff | null,
  source: string,
  why: string,
  cause: unknown,
  telemetry: Telemetry,
  signal: AbortSignal,
  rowsRead: number,
): Promise<boolean> {
  const delay = backoff?.next() ?? null;
  if (delay === null) {
    const stop = backoff ? `gave up after ${backoff.attempts} retries` : 'no reconnect';
    if (rowsRead === 0) throw new SourceError(source, backoff ? `${why}; ${stop}` : why, { cause });
    telemetry.emit({ type: 'log', level: 'warn', message: `${source}: ${why}; ${stop}: the stream ends here` });
    return false;
  }
  telemetry.emit({ type: 'log', level: 'warn', message: `${source}: ${why}; retry ${backoff!.attempts}/${backoff!.maxRetries} in ${delay} ms` });
  await sleep(delay, signal);
  return true;
}
