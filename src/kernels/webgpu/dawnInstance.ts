import { create } from 'webgpu';

const instances = new Map<string, GPU>();

/**
 * The process's Dawn instance for these flags, created on first use and kept until exit. When
 * the garbage collector freed an instance after its device was destroyed (any backend's
 * dispose), Dawn aborted, segfaulted or hung natively in most runs here (an MLP trained on the
 * webgpu backend, disposed, then gc(): 6 of 6). One instance per flag set also spares each
 * backend the instance's start-up. A held instance with no live device does not keep Node running.
 */
export function dawnInstance(flags: readonly string[]): GPU {
  const key = flags.join('\0');
  let gpu = instances.get(key);
  if (!gpu) instances.set(key, (gpu = create([...flags])));
  return gpu;
}
