import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Spec } from '../pipeline/index.js';
import { ModelRegistry } from '../registry/index.js';
import type { Report } from './Report.js';
import { sourceName } from './sourceName.js';

/**
 * A run with `output.registry` (`train --registry REG`): the run saves into a staging directory
 * inside REG as `output.dir` would, then the registry publishes it as the next version, active.
 * A run that fails or saves nothing leaves no version (its staging directory is removed). A run
 * that trained but could not be published (the registry locked, a disk error) keeps what it saved
 * beside the registry, and says where: a trained model is never thrown away. Without a registry,
 * the run as it is.
 */
export async function publishToRegistry(spec: Spec, err: (line: string) => void, run: (spec: Spec) => Promise<Report>): Promise<Report> {
  const where = spec.output?.registry;
  if (where === undefined) return run(spec);
  const registry = ModelRegistry.open(where, { create: true });
  const staged = registry.stage();
  const { registry: _, report, ...output } = spec.output ?? {};
  let settled = false;
  try {
    const result = await run({ ...spec, output: { ...output, dir: staged } });
    if (!existsSync(join(staged, 'pipeline.json'))) return result;
    let v: ReturnType<ModelRegistry['publish']>;
    try {
      v = registry.publish(staged, { source: sourceName(spec) });
    } catch (e) {
      // Staging directories of dead runs are cleaned up inside the registry: this one moves out of it.
      const kept = `${where.replace(/[/\\]+$/, '')}.unpublished-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      try {
        renameSync(staged, kept);
        settled = true;
        err(`not published to ${where}: ${(e as Error).message}; the trained pipeline is kept in ${kept} (sluice predict ${kept} … works)`);
      } catch {
        // Left where it is (the error below names the failure).
      }
      throw e;
    }
    settled = true;
    err(`saved version ${v.version} to ${where} (active)`);
    // output.report: a copy of the version's report there too.
    if (report !== undefined) {
      mkdirSync(dirname(report), { recursive: true });
      copyFileSync(join(v.dir, 'report.json'), report);
    }
    return result;
  } finally {
    if (!settled) registry.discard(staged);
  }
}
