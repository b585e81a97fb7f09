/**
 * A learning-rate schedule: a pure function of the 1-based update number t.
 *   constant:  lr
 *   inverse:   lr / (1 + decay·s)^power            (scikit-learn's "invscaling" with an offset)
 *   step:      lr · gamma^⌊s / every⌋
 *   cosine:    floor + (lr − floor)·½(1 + cos(π·min(s, steps)/steps))
 * with s = t − 1 (the first update uses lr). `warmup: W` ramps linearly, lr_base(0)·t/W for
 * t ≤ W, and then runs the base schedule with its clock started at the end of the warm-up.
 */
export type Schedule =
  | { kind: 'constant'; warmup?: number }
  | { kind: 'inverse'; decay?: number; power?: number; warmup?: number }
  | { kind: 'step'; every: number; gamma?: number; warmup?: number }
  | { kind: 'cosine'; steps: number; floor?: number; warmup?: number };

export function scheduledRate(lr: number, schedule: Schedule, t: number): number {
  const w = schedule.warmup ?? 0;
  if (w > 0 && t <= w) return base(lr, schedule, 0) * (t / w);
  return base(lr, schedule, Math.max(0, t - 1 - w));
}

function base(lr: number, s: Schedule, i: number): number {
  switch (s.kind) {
    case 'constant':
      return lr;
    case 'inverse':
      return lr / (1 + (s.decay ?? 1) * i) ** (s.power ?? 0.5);
    case 'step':
      return lr * (s.gamma ?? 0.1) ** Math.floor(i / s.every);
    case 'cosine': {
      const floor = s.floor ?? 0;
      return floor + (lr - floor) * 0.5 * (1 + Math.cos((Math.PI * Math.min(i, s.steps)) / s.steps));
    }
  }
}
