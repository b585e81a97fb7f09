import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: boolean | null = null;

/**
 * Whether Dawn's default backend can load at all on this machine: on Linux it is Vulkan, through
 * the loader library libvulkan.so.1. Without it, probing the default backend only creates a
 * second Dawn instance, prints "Couldn't load Vulkan" to stderr and finds nothing, so the probe is
 * skipped. The dynamic linker's cache and LD_LIBRARY_PATH are where dlopen looks. Other platforms
 * (Metal, D3D12) always probe.
 */
export function hasVulkanLoader(): boolean {
  if (cached !== null) return cached;
  if (process.platform !== 'linux') return (cached = true);
  const lib = 'libvulkan.so.1';
  const dirs = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  if (dirs.some((d) => existsSync(join(d, lib)))) return (cached = true);
  try {
    if (readFileSync('/etc/ld.so.cache').includes(lib)) return (cached = true);
  } catch {
    /* no cache: fall back to the usual directories */
  }
  const usual = ['/lib', '/usr/lib', '/lib64', '/usr/lib64', '/usr/local/lib', `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`];
  return (cached = usual.some((d) => existsSync(join(d, lib))));
}
