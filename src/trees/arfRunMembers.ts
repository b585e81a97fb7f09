import type { FeatureMatrix } from '../core/index.js';
import type { ArfMember } from './ArfMember.js';
import type { TreeRows } from './TreeRows.js';

/**
 * Runs tree slots over a batch, test-then-train: for slot t and row i, the slot's output before
 * learning goes to outs[(i·n + t)·width ..] and its vote weight to weights[i·n + t], then the slot
 * learns the row when its target is finite and its weight (default 1) positive. Slot by slot over
 * the whole batch (one tree stays in cache); slots are independent, so the order changes nothing,
 * and a worker holding some of the slots writes exactly what the serial forest would.
 */
export function arfRunMembers(members: readonly ArfMember[], rows: TreeRows, m: FeatureMatrix, outs: Float64Array, weights: Float64Array): void {
  const n = members.length,
    R = m.rows,
    ys = m.targets,
    ws = m.weights;
  for (let t = 0; t < n; t++) {
    const mem = members[t]!,
      W = mem.width;
    for (let i = 0; i < R; i++) {
      const row = rows.at(m, i),
        at = (i * n + t) * W;
      weights[i * n + t] = mem.predict(row, outs, at);
      if (ys === null) continue;
      const y = ys[i]!,
        w = ws === null ? 1 : ws[i]!;
      if (Number.isFinite(y) && w > 0 && w < Infinity) mem.learn(row, y, w, outs, at);
    }
  }
}
