/**
 * Reusable GPU buffers keyed by usage and size class. Classes step by a quarter of the power of
 * two below the size (≤ 25 % slack) with a 256-byte floor, so a training loop that allocates the
 * same shapes every step reuses the same buffers. Released buffers wait in `pending` until the
 * work recorded before their release has been submitted: queue writes are ordered after earlier
 * submits, never after unsubmitted commands, so earlier handout would let a write overtake them.
 */
export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private pending: Array<[string, GPUBuffer]> = [];
  private pooledBytes = 0;

  /** `maxSize`: no class exceeds it (the binding limit), so a buffer that fits is always bindable. */
  constructor(
    private readonly maxSize: number,
    private readonly maxPooledBytes = 512 * 1024 * 1024,
  ) {}

  sizeClass(bytes: number): number {
    if (bytes <= 256) return 256;
    const step = Math.max(256, 2 ** Math.floor(Math.log2(bytes)) / 4);
    return Math.min(Math.ceil(bytes / step) * step, Math.floor(this.maxSize / 4) * 4);
  }

  /** A buffer of at least `bytes` with exactly `usage`; `create` is called when none is free. */
  acquire(bytes: number, usage: number, create: (size: number) => GPUBuffer): GPUBuffer {
    const size = this.sizeClass(bytes);
    const list = this.free.get(`${usage}:${size}`);
    const b = list?.pop();
    if (b) {
      this.pooledBytes -= size;
      return b;
    }
    return create(size);
  }

  /** Returns a buffer; it becomes reusable after the next `submitted()`. */
  release(buffer: GPUBuffer): void {
    this.pending.push([`${buffer.usage}:${buffer.size}`, buffer]);
  }

  /** Call after queue.submit(): buffers released before it may be handed out again. */
  submitted(): void {
    for (const [key, b] of this.pending) {
      if (this.pooledBytes + b.size > this.maxPooledBytes) {
        b.destroy();
        continue;
      }
      let list = this.free.get(key);
      if (!list) this.free.set(key, (list = []));
      list.push(b);
      this.pooledBytes += b.size;
    }
    this.pending = [];
  }

  destroy(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    for (const [, b] of this.pending) b.destroy();
    this.free.clear();
    this.pending = [];
    this.pooledBytes = 0;
  }
}
