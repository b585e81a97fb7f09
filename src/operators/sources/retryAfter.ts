import { SourceError, type Telemetry } from '../../core/index.js';
import type { Backoff } from './Backoff.js';
import { sleep } from './sleep.js';

/**
 * Waits out the next backoff delay before a reconnect, with a `log` event saying why; throws
 * SourceError naming the source when there is no backoff or its retries are spent.
 */
export async function retryAfter(backoff: Backoff | null, source: string, why: string, cause: unknown, telemetry: Telemetry, signal: AbortSignal): Promise<void> {
  const delay = backoff?.next() ?? null;
  if (delay === null) throw new SourceError(source, backoff ? `${why}; gave up after ${backoff.attempts} retries` : why, { cause });
  telemetry.emit({ type: 'log', level: 'warn', message: `${source}: ${why}; retry ${backoff!.attempts}/${backoff!.maxRetries} in ${delay} ms` });
  await sleep(delay, signal);
}
