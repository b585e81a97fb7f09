/**
 * A reference-counted claim on a slot of a BoundedQueue. The source holds one reference while it
 * pushes a batch synchronously; an async stage calls `retain()` before it goes async and
 * `release()` when finished. The slot frees when the count reaches zero.
 */
export class Ticket {
  private refs = 1;

  constructor(private readonly onFree: () => void) {}

  get released(): boolean {
    return this.refs === 0;
  }

  retain(): this {
    if (this.refs === 0) throw new Error('Ticket.retain after final release');
    this.refs++;
    return this;
  }

  release(): void {
    if (this.refs === 0) return;
    if (--this.refs === 0) this.onFree();
  }
}
