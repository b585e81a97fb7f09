import { filter, type Observable, Subject } from 'rxjs';
import type { TelemetryEvent, TelemetryType } from './TelemetryEvent.js';

type WithoutT<E> = E extends unknown ? Omit<E, 't'> & { t?: number } : never;

/**
 * A typed event bus. Emission is synchronous and cheap; subscribers (dashboard, logger, reports)
 * must only record what they need and render on their own clock, so none can slow the pipeline.
 */
export class Telemetry {
  /** The bus used when a stage is not given one. */
  static readonly global = new Telemetry();

  private readonly subject = new Subject<TelemetryEvent>();
  readonly events$: Observable<TelemetryEvent> = this.subject.asObservable();

  emit(event: WithoutT<TelemetryEvent>): void {
    if (!this.subject.observed) return;
    this.subject.next({ ...event, t: event.t ?? Date.now() } as TelemetryEvent);
  }

  on<K extends TelemetryType>(type: K): Observable<Extract<TelemetryEvent, { type: K }>> {
    return this.events$.pipe(filter((e): e is Extract<TelemetryEvent, { type: K }> => e.type === type));
  }
}
