import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { DashboardSnapshot } from './DashboardStore.js';

/** The most frames a second the dashboard draws: more is invisible and costs CPU. */
export const MAX_FPS = 10;

/**
 * Share of the thread that drawing may take when it runs on the pipeline's thread
 * (`renderIn: 'main'`): a frame (React, layout, ink's per-cell output) costs milliseconds, so
 * frames are spaced to keep the dashboard's cost under this share.
 */
export const FRAME_BUDGET = 0.02;

/** The longest gap between frames while something changes. */
const MAX_GAP_MS = 1000;

/** What the hook reads: a DashboardStore on the pipeline's thread, a SnapshotMailbox in the render worker. */
export interface SnapshotSource {
  /** Equal versions mean equal snapshots. */
  readonly version: number;
  snapshot(): DashboardSnapshot;
}

/**
 * The source's snapshot, re-read on a timer at most `fps` times a second and only when it
 * changed since the last frame. Events never cause a render by themselves: a burst of 10,000
 * events costs at most one frame per tick. When frames are expensive (a big terminal, a slow
 * machine) the gap grows so that drawing stays within `budget` of the thread.
 */
export function useSnapshot(source: SnapshotSource, fps: number = MAX_FPS, budget: number = FRAME_BUDGET): DashboardSnapshot {
  const [snap, setSnap] = useState(() => source.snapshot());
  // Frame cost: from asking for the frame to the layout effect, which React runs after the
  // commit, when ink has laid out and written the frame (its leading-edge throttle draws at once).
  const frame = useRef({ asked: 0, cost: 0 });
  useLayoutEffect(() => {
    const f = frame.current;
    if (f.asked === 0) return;
    const ms = performance.now() - f.asked;
    f.cost = f.cost === 0 ? ms : 0.7 * f.cost + 0.3 * ms;
    f.asked = 0;
  });
  useEffect(() => {
    const minGap = 1000 / Math.min(MAX_FPS, Math.max(0.1, fps));
    let seen = source.version,
      lastSecond = Math.floor(Date.now() / 1000);
    let timer: NodeJS.Timeout | undefined;
    let live = true;
    const tick = () => {
      if (!live) return;
      // Redraw on change, and once a second regardless so the elapsed time keeps moving.
      const second = Math.floor(Date.now() / 1000);
      if (source.version !== seen || second !== lastSecond) {
        seen = source.version;
        lastSecond = second;
        frame.current.asked = performance.now();
        setSnap(source.snapshot());
      }
      // At least one frame a second, or the dashboard looks hung (the first frames run cold code).
      timer = setTimeout(tick, Math.min(Math.max(minGap, frame.current.cost / budget), Math.max(minGap, MAX_GAP_MS)));
      // The timer alone must not keep a finished process alive.
      timer.unref?.();
    };
    timer = setTimeout(tick, minGap);
    timer.unref?.();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [source, fps, budget]);
  return snap;
}
