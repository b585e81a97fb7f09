import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checksums, SourceError, SpecError } from '../../core/index.js';
import type { ModelFromStateOptions } from '../../learn/index.js';
import { ModelRegistry } from '../../registry/index.js';
import { SavedPipeline, type SavedPipelineFile } from './SavedPipeline.js';

/**
 * Reads a pipeline saved by `sluice train --save DIR` (or `run` with output.save): DIR, or the
 * pipeline.json in it. A model registry (`train --registry REG`) loads its active version, and
 * REG/vNNNN that version, after checking every file of the version against its SHA256SUMS. The
 * model runs on the CPU unless `options.backend` says otherwise.
 */
export async function loadPipeline(path: string, options: ModelFromStateOptions = {}): Promise<SavedPipeline> {
  if (typeof path !== 'string' || path === '') throw new SpecError('path', `expected a model directory or its pipeline.json, got ${JSON.stringify(path)}`);
  if (!existsSync(path)) throw new SourceError(path, 'no such model directory or file (sluice train --save DIR writes DIR/pipeline.json)');
  const dir = statSync(path).isDirectory() ? (ModelRegistry.resolve(path) ?? path) : null;
  const file = dir === null ? path : join(dir, 'pipeline.json');
  if (!existsSync(file)) throw new SourceError(file, 'no pipeline.json here: is this a directory written by sluice train --save?');
  let json: SavedPipelineFile;
  try {
    json = JSON.parse(checksums.read(file).toString('utf8')) as SavedPipelineFile;
  } catch (e) {
    if (e instanceof SourceError) throw e;
    throw new SourceError(file, `not a pipeline artifact: ${(e as Error).message}`);
  }
  return SavedPipeline.fromJSON(json, file, { backend: 'cpu', ...options });
}
