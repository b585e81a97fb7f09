import { renameSync, writeFileSync } from 'node:fs';

/** Writes to a temporary sibling, then renames: readers see the old file or the new, never half. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
