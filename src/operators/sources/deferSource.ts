import { Observable } from 'rxjs';
import { type Batch, Telemetry } from '../../core/index.js';

/**
 * Runs an async preparation (open a file, bind a port) at subscription, then subscribes the
 * source built from its result. A preparation that fails errors the stream (and emits an `error`
 * event); one that finishes after unsubscription is released at once.
 */
export function deferSource<T>(
  name: string,
  telemetry: Telemetry | undefined,
  prepare: () => Promise<T>,
  build: (prepared: T) => Observable<Batch>,
  release: (prepared: T) => void,
): Observable<Batch> {
  return new Observable<Batch>((subscriber) => {
    let closed = false;
    let inner: { unsubscribe(): void } | null = null;
    prepare().then(
      (p) => {
        if (closed) {
          release(p);
          return;
        }
        inner = build(p).subscribe(subscriber);
      },
      (err: unknown) => {
        if (closed) return;
        (telemetry ?? Telemetry.global).emit({ type: 'error', source: name, message: err instanceof Error ? err.message : String(err), error: err });
        subscriber.error(err);
      },
    );
    return () => {
      closed = true;
      inner?.unsubscribe();
    };
  });
}
