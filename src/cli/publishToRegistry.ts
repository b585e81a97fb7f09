import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Spec } from '../pipeline/index.js';
import { ModelRegistry } from '../registry/index.js';
import type { Report } from './Report.js';
import { sourceName } from './sourceName.js';

/**
 * A run with `output.registry` (`train --registry REG`): the run saves into a staging directory
 * inside REG as `output.dir` would, then the registry publishes it as the next version, active.
 * A run that fails or saves nothing leaves no version (its staging directory is removed). Without
 * a registry, the run as it is.
 */
export async function publishToRegistry(spec: Spec, err: (line: string) => void, run: (spec: Spec) => Promise<Report>): Promise<Report> {
  const where = spec.output?.registry;
  if (where === undefined) return run(spec);
  const registry = ModelRegistry.open(where, { create: true });
  const staged = registry.stage();
  const { registry: _, report, ...output } = spec.output ?? {};
  let published = false;
  try {
    const result = await run({ ...spec, output: { ...output, dir: staged } });
    if (!existsSync(join(staged, 'pipeline.json'))) return result;
    const v = registry.publish(staged, { source: sourceName(spec) });
    published = true;
    err(`saved version ${v.version} to ${where} (active)`);
    // output.report: a copy of the version's report there too.
    if (report !== undefined) {
      mkdirSync(dirname(report), { recursive: true });
      copyFileSync(join(v.dir, 'report.json'), report);
    }
    return result;
  } finally {
    if (!published) registry.discard(staged);
  }
}
