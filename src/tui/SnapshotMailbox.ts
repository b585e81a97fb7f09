import type { DashboardSnapshot, EventEntry } from './DashboardStore.js';

/**
 * The render worker's copy of the dashboard: the latest snapshot posted by the pipeline's
 * thread. Snapshots carry only the event-log entries since the previous one (the log can hold
 * hundreds); the mailbox appends them and keeps the newest `maxEvents`. It also queues text the
 * pipeline's thread wrote to the console until the dashboard can print it above its frame.
 */
export class SnapshotMailbox {
  private snap: DashboardSnapshot;
  private events: EventEntry[] = [];
  private v = 0;
  private readonly maxEvents: number;
  private writer: ((stream: 'stdout' | 'stderr', text: string) => void) | null = null;
  private pending: Array<['stdout' | 'stderr', string]> = [];

  constructor(first: DashboardSnapshot, maxEvents = 200) {
    this.maxEvents = maxEvents;
    this.snap = first;
    this.put(first);
  }

  get version(): number {
    return this.v;
  }

  snapshot(): DashboardSnapshot {
    return this.snap;
  }

  /** A snapshot whose `events` are the entries newer than those already received. */
  put(s: DashboardSnapshot): void {
    const last = this.events.length ? this.events[this.events.length - 1]!.seq : 0;
    const fresh = s.events.filter((e) => e.seq > last);
    if (fresh.length) {
      this.events = this.events.concat(fresh);
      if (this.events.length > this.maxEvents) this.events = this.events.slice(this.events.length - this.maxEvents);
    }
    this.snap = { ...s, events: this.events };
    this.v++;
  }

  /** Console output of the pipeline's thread, printed through `writer` once one is set. */
  write(stream: 'stdout' | 'stderr', text: string): void {
    if (this.writer) this.writer(stream, text);
    else this.pending.push([stream, text]);
  }

  /** Sets (or, with null, clears) where console output goes; what was queued goes there now. */
  setWriter(writer: ((stream: 'stdout' | 'stderr', text: string) => void) | null): void {
    this.writer = writer;
    if (!writer) return;
    const queued = this.pending;
    this.pending = [];
    for (const [stream, text] of queued) writer(stream, text);
  }
}
