import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KernelError } from '../../core/index.js';
import { DeviceLostError } from '../DeviceLostError.js';
import type { GpuContext } from '../GpuContext.js';
import { OutOfMemoryError } from '../OutOfMemoryError.js';
import type { Tensor } from '../Tensor.js';
import { BufferPool } from './BufferPool.js';
import { bufferUsage as U } from './bufferUsage.js';
import { WebGpuTensor } from './WebGpuTensor.js';

const WGSL_DIR = join(import.meta.dirname, 'wgsl');

/**
 * The device side of the webgpu backend: buffer pool, pipeline cache, uniform pool and the one
 * command encoder that collects every dispatch until `flush()` submits it. Device loss and
 * uncaptured errors are turned into named errors: loss rejects pending waits at once (no hang),
 * other errors are thrown by the next sync or read.
 */
export class WebGpuContext implements GpuContext {
  readonly limits: GPUSupportedLimits;
  readonly pool: BufferPool;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private readonly modules = new Map<string, GPUShaderModule>();
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly layouts = new WeakMap<GPUComputePipeline, GPUBindGroupLayout>();
  private pendingError: KernelError | null = null;
  private lostError: DeviceLostError | null = null;
  private disposed = false;
  /** Rejects with DeviceLostError when the device is lost; raced against every wait. */
  private readonly lostSignal: Promise<never>;
  /** Dispatches recorded since the last submit (for dispatch-overhead figures and write ordering). */
  recorded = 0;

  constructor(readonly device: GPUDevice) {
    this.limits = device.limits;
    this.pool = new BufferPool(Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize));
    this.lostSignal = device.lost.then((info) => {
      this.lostError = this.disposed
        ? new DeviceLostError('webgpu', 'destroyed', 'the backend was disposed')
        : new DeviceLostError('webgpu', String(info.reason), info.message || 'no message from the driver');
      throw this.lostError;
    });
    this.lostSignal.catch(() => undefined);
    device.onuncapturederror = (ev: GPUUncapturedErrorEvent) => {
      const e = ev.error;
      // Dawn's error classes are not globals in Node: tell them apart by constructor name.
      const err =
        e.constructor?.name === 'GPUOutOfMemoryError'
          ? new OutOfMemoryError('webgpu', {}, 0, e.message)
          : new KernelError('webgpu', {}, `${e.constructor?.name ?? 'GPUError'}: ${e.message}`);
      this.pendingError ??= err;
    };
  }

  /** Throws when the device is gone; called at the top of every public operation. */
  alive(kernel: string): void {
    if (this.lostError) throw this.lostError;
    if (this.disposed) throw new KernelError(kernel, {}, 'the webgpu backend was disposed');
  }

  buffer(t: Tensor): GPUBuffer {
    if (!(t instanceof WebGpuTensor) || t.owner !== this)
      throw new KernelError('buffer', { t: t.shape }, `tensor ${t.id} belongs to another backend (${t.backend})`);
    if (t.released) throw new KernelError('buffer', { t: t.shape }, `tensor ${t.id} was released`);
    return t.buffer;
  }

  /** A storage buffer of at least `bytes`; OutOfMemoryError past the binding limit. */
  allocate(bytes: number, usage: number, kernel: string, shape: readonly number[]): GPUBuffer {
    this.alive(kernel);
    const limit = Math.min(this.limits.maxStorageBufferBindingSize, this.limits.maxBufferSize);
    if (bytes > limit) {
      throw new OutOfMemoryError(
        kernel,
        { shape },
        bytes,
        `larger than the device's buffer limit of ${limit} bytes (maxStorageBufferBindingSize / maxBufferSize)`,
      );
    }
    return this.pool.acquire(Math.max(bytes, 4), usage, (size) => {
      this.device.pushErrorScope('out-of-memory');
      const b = this.device.createBuffer({ size, usage });
      void this.device.popErrorScope().then(
        (e) => {
          if (e) this.pendingError ??= new OutOfMemoryError(kernel, { shape }, size, e.message);
        },
        () => undefined,
      );
      return b;
    });
  }

  pipeline(wgslFile: string, entryPoint: string, constants: Readonly<Record<string, number>>): GPUComputePipeline {
    const keys = Object.keys(constants).sort();
    const key = `${wgslFile}#${entryPoint}#${keys.map((k) => `${k}=${constants[k]}`).join(',')}`;
    let p = this.pipelines.get(key);
    if (p) return p;
    let module = this.modules.get(wgslFile);
    if (!module) {
      let code: string;
      try {
        code = readFileSync(join(WGSL_DIR, wgslFile), 'utf8');
      } catch (cause) {
        throw new KernelError(wgslFile, {}, `cannot read WGSL file ${join(WGSL_DIR, wgslFile)}`, { cause });
      }
      module = this.device.createShaderModule({ code, label: wgslFile });
      this.modules.set(wgslFile, module);
    }
    p = this.device.createComputePipeline({ layout: 'auto', label: key, compute: { module, entryPoint, constants: { ...constants } } });
    this.pipelines.set(key, p);
    return p;
  }

  uniform(data: ArrayBuffer): GPUBuffer {
    this.alive('uniform');
    const b = this.pool.acquire(data.byteLength, U.UNIFORM | U.COPY_DST, (size) => this.device.createBuffer({ size, usage: U.UNIFORM | U.COPY_DST }));
    this.device.queue.writeBuffer(b, 0, data);
    // Back to the pool at the next submit: the write above is ordered before that submit's commands.
    this.pool.release(b);
    return b;
  }

  dispatch(pipeline: GPUComputePipeline, bindings: readonly GPUBuffer[], workgroups: readonly [number, number?, number?]): void {
    this.alive('dispatch');
    const max = this.limits.maxComputeWorkgroupsPerDimension;
    const [x, y = 1, z = 1] = workgroups;
    if (x > max || y > max || z > max)
      throw new KernelError(pipeline.label || 'dispatch', { workgroups: [x, y, z] }, `more than ${max} workgroups in one dimension`);
    if (x === 0 || y === 0 || z === 0) return;
    let layout = this.layouts.get(pipeline);
    if (!layout) {
      layout = pipeline.getBindGroupLayout(0);
      this.layouts.set(pipeline, layout);
    }
    const group = this.device.createBindGroup({ layout, entries: bindings.map((buffer, binding) => ({ binding, resource: { buffer } })) });
    const pass = this.computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(x, y, z);
    this.recorded++;
  }

  private computePass(): GPUComputePassEncoder {
    if (!this.pass) this.pass = this.commandEncoder().beginComputePass();
    return this.pass;
  }

  /** The current encoder with no compute pass open, for copies and clears. */
  private commandEncoder(): GPUCommandEncoder {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
    this.encoder ??= this.device.createCommandEncoder();
    return this.encoder;
  }

  clear(buffer: GPUBuffer, bytes: number): void {
    if (bytes > 0) {
      this.commandEncoder().clearBuffer(buffer, 0, Math.ceil(bytes / 4) * 4);
      this.recorded++;
    }
  }

  copy(src: GPUBuffer, dst: GPUBuffer, bytes: number): void {
    if (bytes > 0) {
      this.commandEncoder().copyBufferToBuffer(src, 0, dst, 0, bytes);
      this.recorded++;
    }
  }

  /** Submits what was recorded (without waiting). */
  flush(): void {
    if (this.encoder) {
      if (this.pass) {
        this.pass.end();
        this.pass = null;
      }
      this.device.queue.submit([this.encoder.finish()]);
      this.encoder = null;
      this.recorded = 0;
    }
    this.pool.submitted();
  }

  /** Races a device promise against device loss, then reports any error raised meanwhile. */
  async wait<T>(p: Promise<T>): Promise<T> {
    let v: T;
    try {
      v = await Promise.race([p, this.lostSignal]);
    } catch (err) {
      throw this.lostError ?? err;
    }
    this.throwPending();
    return v;
  }

  throwPending(): void {
    if (this.lostError) throw this.lostError;
    const e = this.pendingError;
    if (e) {
      this.pendingError = null;
      throw e;
    }
  }

  async sync(): Promise<void> {
    this.alive('sync');
    this.flush();
    await this.wait(this.device.queue.onSubmittedWorkDone());
  }

  /** Copies `bytes` of `src` through a pooled staging buffer and resolves with them. */
  async readBytes(src: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    this.alive('read');
    if (bytes === 0) return new ArrayBuffer(0);
    const usage = U.MAP_READ | U.COPY_DST;
    const staging = this.pool.acquire(bytes, usage, (size) => this.device.createBuffer({ size, usage }));
    this.copy(src, staging, bytes);
    this.flush();
    await this.wait(staging.mapAsync(U.MAP_MODE_READ, 0, bytes));
    const out = staging.getMappedRange(0, bytes).slice(0);
    staging.unmap();
    this.pool.release(staging);
    return out;
  }

  destroy(): void {
    this.disposed = true;
    this.pass = null;
    this.encoder = null;
    this.pool.destroy();
    this.pipelines.clear();
    this.modules.clear();
    this.device.destroy();
  }
}
