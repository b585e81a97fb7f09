import { useEffect, useState } from 'react';
import type { DashboardSnapshot, DashboardStore } from './DashboardStore.js';

/** The most frames a second the dashboard draws: more is invisible and costs the pipeline CPU. */
export const MAX_FPS = 10;

/**
 * The store's snapshot, re-read on a timer at `fps` (capped at MAX_FPS) and only when the
 * store changed since the last frame. Events never cause a render by themselves: a burst of
 * 10,000 events costs at most one frame per tick.
 */
export function useSnapshot(store: DashboardStore, fps: number = MAX_FPS): DashboardSnapshot {
  const [snap, setSnap] = useState(() => store.snapshot());
  useEffect(() => {
    const rate = Math.min(MAX_FPS, Math.max(0.1, fps));
    let seen = store.version, lastSecond = Math.floor(Date.now() / 1000);
    const timer = setInterval(() => {
      // Redraw on change, and once a second regardless so the elapsed time keeps moving.
      const second = Math.floor(Date.now() / 1000);
      if (store.version === seen && second === lastSecond) return;
      seen = store.version; lastSecond = second;
      setSnap(store.snapshot());
    }, 1000 / rate);
    // The timer alone must not keep a finished process alive.
    timer.unref?.();
    return () => clearInterval(timer);
  }, [store, fps]);
  return snap;
}
