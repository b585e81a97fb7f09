import { filter, Observable, Subject } from 'rxjs';
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
  /** Subscribers of every event (events$), and of one type each (on). */
  private all = 0;
  private readonly typed = new Map<TelemetryType, number>();
  readonly events$: Observable<TelemetryEvent> = new Observable<TelemetryEvent>((subscriber) => {
    this.all++;
    const sub = this.subject.subscribe(subscriber);
    return () => {
      this.all--;
      sub.unsubscribe();
    };
  });

  emit(event: WithoutT<TelemetryEvent>): void {
    if (!this.subject.observed) return;
    this.subject.next({ ...event, t: event.t ?? Date.now() } as TelemetryEvent);
  }

  /**
   * Whether an event of this type would reach anyone now: a subscriber of events$, or of on(type).
   * For events whose payload costs work to compute (a metrics reading sorts its score buffers):
   * a run nobody watches skips it.
   */
  wants(type: TelemetryType): boolean {
    return this.all > 0 || (this.typed.get(type) ?? 0) > 0;
  }

  on<K extends TelemetryType>(type: K): Observable<Extract<TelemetryEvent, { type: K }>> {
    return new Observable<Extract<TelemetryEvent, { type: K }>>((subscriber) => {
      this.typed.set(type, (this.typed.get(type) ?? 0) + 1);
      const sub = this.subject.pipe(filter((e): e is Extract<TelemetryEvent, { type: K }> => e.type === type)).subscribe(subscriber);
      return () => {
        this.typed.set(type, this.typed.get(type)! - 1);
        sub.unsubscribe();
      };
    });
  }
}
