// Shared by the tui component tests (not a test file itself).
import type { DashboardSnapshot } from '../../src/tui/index.js';

/** Frame lines with ANSI styling removed. */
export function lines(frame: string | undefined): string[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI escapes (ESC [ ...).
  return (frame ?? '').replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').split('\n');
}

/** Width in terminal cells (every character the dashboard draws is one cell wide). */
export function cells(line: string): number {
  return [...line].length;
}

export function snapshot(over: Partial<DashboardSnapshot> = {}): DashboardSnapshot {
  return {
    title: 'sluice demo',
    backend: 'cpu',
    adapter: null,
    state: 'running',
    startedAt: 0,
    now: 65_000,
    sources: [
      { name: 'sea-drift', rows: 3_000_000, bytes: 0, totalRows: 30_000_000, totalBytes: null, done: false, rowsPerSecond: 1_000_000, bytesPerSecond: 0 },
    ],
    queues: [{ name: 'sea-drift', depth: 3, capacity: 4 }],
    skipped: { total: 0, read: 3_000_000, byReason: {} },
    models: [],
    history: {},
    confusion: null,
    stats: null,
    drifted: {},
    events: [],
    markers: [],
    version: 1,
    ...over,
  };
}
