import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { type ModelRegistry, RegistryLockedError, type VersionInfo } from '../registry/index.js';
import type { LearnFromStatus } from './LearnFrom.js';
import type { ServedModel, ServedSnapshot } from './ServedModel.js';

/** Why a version was published: `--publish-every`, a drift alarm with `--publish-on-drift`, or the server closing (what it learned since the last one). */
export type PublishReason = 'schedule' | 'drift' | 'shutdown';

export interface PublishServedOptions {
  reason: PublishReason;
  /** What the model learned from besides requests (`--learn-from`): its status now; null without. */
  learnFrom: LearnFromStatus | null;
  /** `--rolling N` (the report's rolling window). */
  rolling?: number;
  /**
   * How long one try holds the event loop waiting for the registry's lock (ms): the registry waits
   * synchronously, so it is kept short; a held lock is tried again every 100 ms, without blocking,
   * for `lockWaitMs` in all.
   */
  lockTryMs: number;
  lockWaitMs: number;
  /** The registry opened with `lockTimeoutMs: lockTryMs`. */
  registry: ModelRegistry;
}

export interface Published {
  info: VersionInfo;
  snapshot: ServedSnapshot;
  /** Milliseconds: the snapshot (one update's wait and the state read), writing the files, the registry's publish (checksums, flushes, renames). */
  ms: { snapshot: number; write: number; publish: number };
}

/**
 * Publishes the served model as it is now as the registry's next version, made ACTIVE: its state
 * read between two updates (`ServedModel.snapshot`), the steps as loaded, written to a staging
 * directory as pipeline.json (loadable by `loadPipeline`) and report.json (the progressive metrics
 * and the rows learned since it was loaded), then sealed and renamed by `registry.publish`. The
 * staging directory is removed when anything fails.
 */
export async function publishServed(served: ServedModel, o: PublishServedOptions): Promise<Published> {
  const t0 = performance.now();
  const snapshot = await served.snapshot();
  const t1 = performance.now();
  const learned = snapshot.learned.learn + snapshot.learned.feedback + snapshot.learned.stream;
  const saved = served.model.savedReport;
  const choices = saved && typeof saved === 'object' && 'choices' in saved ? { choices: saved.choices } : {};
  const report = {
    rows: { read: learned, learned: snapshot.learned, scored: snapshot.scored },
    metrics: snapshot.metrics,
    ...(snapshot.rolling && o.rolling !== undefined ? { rolling: { window: o.rolling, values: snapshot.rolling } } : {}),
    served: {
      from: served.loaded ?? null,
      parent: served.version ?? null,
      reason: o.reason,
      at: new Date().toISOString(),
      learnFrom: o.learnFrom,
    },
    ...choices,
  };
  const artifact = await served.model.artifactText({ model: snapshot.state, lineage: lineageOf(served, o.learnFrom), report });
  const staged = o.registry.stage();
  try {
    // Written and flushed without blocking: the registry's publish (synchronous) then finds them on disk.
    await writeFlushed(join(staged, 'pipeline.json'), artifact);
    await writeFlushed(join(staged, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    const t2 = performance.now();
    const info = await publishWithRetry(o.registry, staged, o.learnFrom?.source ?? null, o.lockWaitMs);
    const t3 = performance.now();
    return { info, snapshot, ms: { snapshot: t1 - t0, write: t2 - t1, publish: t3 - t2 } };
  } catch (e) {
    o.registry.discard(staged);
    throw e;
  }
}

async function writeFlushed(path: string, text: string): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The registry's publish, tried again every 100 ms (without blocking) while another process holds its lock, for `waitMs` in all. */
async function publishWithRetry(registry: ModelRegistry, staged: string, source: string | null, waitMs: number): Promise<VersionInfo> {
  const start = performance.now();
  for (;;) {
    try {
      return registry.publish(staged, source !== null ? { source } : {});
    } catch (e) {
      if (!(e instanceof RegistryLockedError) || performance.now() - start >= waitMs) throw e;
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

/**
 * A served version's lineage: served (from the version loaded, learning from the stream and the
 * requests), and what trained the model it started from (the loaded artifact's lineage, itself
 * unwrapped when that was a served version too, so the lineage does not nest once per restart).
 */
function lineageOf(served: ServedModel, learnFrom: LearnFromStatus | null): unknown {
  const base = served.model.lineage as { command?: unknown; trained?: unknown } | null;
  const trained = base && typeof base === 'object' && base.command === 'serve' && 'trained' in base ? base.trained : (base ?? null);
  return { command: 'serve', from: served.loaded ?? null, learnFrom: learnFrom?.source ?? null, trained };
}
