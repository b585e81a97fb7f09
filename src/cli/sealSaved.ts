import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checksums } from '../core/index.js';

/**
 * Records the checksums of a saved directory's files (SHA256SUMS, `sha256sum -c` format):
 * loadPipeline refuses a pipeline.json whose bytes changed since. Called again after rewriting one.
 */
export function sealSaved(dir: string): void {
  const names = ['pipeline.json', 'report.json'].filter((n) => existsSync(join(dir, n)));
  if (names.length > 0) checksums.write(dir, names);
}
