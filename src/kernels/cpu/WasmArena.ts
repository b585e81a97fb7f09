import type { WasmGemmMemory } from './loadWasmGemm.js';

/**
 * Long-lived f32 arrays inside the GEMM's shared wasm memory (a model's weight matrices), so that
 * GEMMs read and write them in place instead of copying them in and out on every call: a
 * 784×256 weight matrix is 800 KB, and its copies cost about as much as the batch-64 products'
 * packing. Blocks sit at the bottom of the memory; the GEMM's scratch starts at `top`.
 *
 * Only over shared memory: growing a shared memory never detaches its buffer, so views made before
 * a grow stay valid (an unshared memory's views would go empty). Blocks are 16-byte aligned; a
 * freed block is reused by an allocation that fits it, and freed blocks at the top are given back
 * to the scratch. The arena holds at most `capBytes`, beyond which callers use ordinary arrays.
 */
export class WasmArena {
  /** First float past the blocks: where the GEMM's scratch begins. */
  private _top = 0;
  private readonly blocks = new WeakMap<Float32Array, { off: number; size: number }>();
  private free: Array<{ off: number; size: number }> = [];
  private used = 0;

  constructor(
    private readonly mem: WasmGemmMemory,
    readonly capBytes = 64 * 2 ** 20,
  ) {}

  get top(): number {
    return this._top;
  }

  /** A zeroed view of n floats in the wasm memory, or null when the arena is full. */
  alloc(n: number): Float32Array | null {
    const size = Math.ceil(Math.max(n, 1) / 4) * 4;
    if ((this.used + size) * 4 > this.capBytes) return null;
    let off = -1;
    const i = this.free.findIndex((b) => b.size >= size);
    if (i >= 0) {
      const b = this.free[i]!;
      off = b.off;
      if (b.size === size) this.free.splice(i, 1);
      else {
        b.off += size;
        b.size -= size;
      }
    } else {
      off = this._top;
      this._top += size;
      const need = this._top * 4;
      if (this.mem.buffer.byteLength < need) this.mem.grow(Math.ceil((need - this.mem.buffer.byteLength) / 65536));
    }
    const view = new Float32Array(this.mem.buffer, off * 4, n);
    // The region may hold old GEMM scratch or a freed block's values.
    view.fill(0);
    this.blocks.set(view, { off, size });
    this.used += size;
    return view;
  }

  /** Float offset of an array allocated here (and not freed), else −1. */
  offsetOf(x: Float32Array): number {
    return this.blocks.get(x)?.off ?? -1;
  }

  /** Returns a block to the arena; the view must not be used afterwards. */
  release(x: Float32Array): void {
    const b = this.blocks.get(x);
    if (!b) return;
    this.blocks.delete(x);
    this.used -= b.size;
    this.free.push({ ...b });
    // Coalesce neighbours, then give a free block at the top back to the scratch.
    this.free.sort((p, q) => p.off - q.off);
    const merged: Array<{ off: number; size: number }> = [];
    for (const f of this.free) {
      const last = merged[merged.length - 1];
      if (last && last.off + last.size === f.off) last.size += f.size;
      else merged.push({ ...f });
    }
    const last = merged[merged.length - 1];
    if (last && last.off + last.size === this._top) {
      this._top = last.off;
      merged.pop();
    }
    this.free = merged;
  }
}
