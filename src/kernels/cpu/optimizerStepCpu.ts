import { KernelError } from '../../core/index.js';
import { OPTIMIZER_STATE, type OptimizerHyper, type OptimizerKind } from '../Backend.js';

/**
 * One fused optimizer update of a parameter buffer, in place: the reference semantics.
 *   g' = g + l2·w
 *   sgd:      w −= lr·g'
 *   momentum: v = μ·v + g';            w −= lr·v
 *   nesterov: v = μ·v + g';            w −= lr·(g' + μ·v)
 *   adam:     m = β1·m + (1−β1)·g'; s = β2·s + (1−β2)·g'²;
 *             w −= lr·(m / (1−β1^t)) / (√(s / (1−β2^t)) + ε)
 *   adagrad:  s += g'²;                w −= lr·g' / (√s + ε)
 *   rmsprop:  s = ρ·s + (1−ρ)·g'²;     w −= lr·g' / (√s + ε)
 * then, when l1 > 0, the proximal step w = sign(w)·max(|w| − lr·l1, 0).
 * Arithmetic is in f64 per element and stored as f32 (the GPU twins run in f32).
 */
export function optimizerStepCpu(kind: OptimizerKind, param: Float32Array, grad: Float32Array, state: Float32Array[], h: OptimizerHyper): void {
  const n = param.length;
  const need = OPTIMIZER_STATE[kind];
  if (need === undefined) throw new KernelError('optimizerStep', { param: [n] }, `unknown optimizer "${String(kind)}"`);
  if (grad.length !== n || state.length !== need || state.some((s) => s.length !== n)) {
    throw new KernelError(
      'optimizerStep',
      { param: [n], grad: [grad.length], ...Object.fromEntries(state.map((s, i) => [`state${i}`, [s.length]])) },
      `${kind} needs grad and ${need} state buffer(s) shaped like the parameter`,
    );
  }
  if (!(h.step >= 1) && kind === 'adam') throw new KernelError('optimizerStep', { param: [n] }, `adam needs a 1-based step, got ${h.step}`);
  const lr = h.lr,
    l2 = h.l2 ?? 0,
    l1 = h.l1 ?? 0,
    eps = h.eps ?? 1e-8;
  const shrink = lr * l1;
  if (shrink > 0) return withL1(kind, param, grad, state, h, shrink);
  // Without L1 each kind has a plain loop: the loop below with a prox call per element ran
  // ~7 ns/element here, as long as the GEMMs of an MLP's 784×256 layer. Same expressions, f64.
  switch (kind) {
    case 'sgd': {
      // Four elements per iteration: ~25 % faster here than one (fewer loop and bounds checks).
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const w0 = param[i]!,
          w1 = param[i + 1]!,
          w2 = param[i + 2]!,
          w3 = param[i + 3]!;
        param[i] = w0 - lr * (grad[i]! + l2 * w0);
        param[i + 1] = w1 - lr * (grad[i + 1]! + l2 * w1);
        param[i + 2] = w2 - lr * (grad[i + 2]! + l2 * w2);
        param[i + 3] = w3 - lr * (grad[i + 3]! + l2 * w3);
      }
      for (; i < n; i++) {
        const w = param[i]!;
        param[i] = w - lr * (grad[i]! + l2 * w);
      }
      break;
    }
    case 'momentum':
    case 'nesterov': {
      const mu = h.momentum ?? 0.9,
        v = state[0]!;
      if (kind === 'nesterov') {
        for (let i = 0; i < n; i++) {
          const w = param[i]!,
            g = grad[i]! + l2 * w;
          const vi = mu * v[i]! + g;
          v[i] = vi;
          param[i] = w - lr * (g + mu * vi);
        }
      } else {
        for (let i = 0; i < n; i++) {
          const w = param[i]!,
            g = grad[i]! + l2 * w;
          const vi = mu * v[i]! + g;
          v[i] = vi;
          param[i] = w - lr * vi;
        }
      }
      break;
    }
    case 'adam': {
      const b1 = h.beta1 ?? 0.9,
        b2 = h.beta2 ?? 0.999,
        m = state[0]!,
        s = state[1]!;
      const c1 = 1 / (1 - b1 ** h.step),
        c2 = 1 / (1 - b2 ** h.step);
      for (let i = 0; i < n; i++) {
        const w = param[i]!,
          g = grad[i]! + l2 * w;
        const mi = b1 * m[i]! + (1 - b1) * g,
          si = b2 * s[i]! + (1 - b2) * g * g;
        m[i] = mi;
        s[i] = si;
        param[i] = w - (lr * (mi * c1)) / (Math.sqrt(si * c2) + eps);
      }
      break;
    }
    case 'adagrad':
    case 'rmsprop': {
      const rho = kind === 'rmsprop' ? (h.rho ?? 0.9) : 1,
        keep = kind === 'rmsprop' ? 1 - rho : 1,
        s = state[0]!;
      for (let i = 0; i < n; i++) {
        const w = param[i]!,
          g = grad[i]! + l2 * w;
        const si = rho * s[i]! + keep * g * g;
        s[i] = si;
        param[i] = w - (lr * g) / (Math.sqrt(si) + eps);
      }
      break;
    }
  }
}

/** The update with the proximal L1 step applied to each f64 result before it is stored. */
function withL1(kind: OptimizerKind, param: Float32Array, grad: Float32Array, state: Float32Array[], h: OptimizerHyper, shrink: number): void {
  const n = param.length,
    lr = h.lr,
    l2 = h.l2 ?? 0,
    eps = h.eps ?? 1e-8;
  switch (kind) {
    case 'sgd':
      for (let i = 0; i < n; i++) param[i] = prox(param[i]! - lr * (grad[i]! + l2 * param[i]!), shrink);
      break;
    case 'momentum':
    case 'nesterov': {
      const mu = h.momentum ?? 0.9,
        v = state[0]!,
        nest = kind === 'nesterov';
      for (let i = 0; i < n; i++) {
        const w = param[i]!,
          g = grad[i]! + l2 * w;
        const vi = mu * v[i]! + g;
        v[i] = vi;
        param[i] = prox(w - lr * (nest ? g + mu * vi : vi), shrink);
      }
      break;
    }
    case 'adam': {
      const b1 = h.beta1 ?? 0.9,
        b2 = h.beta2 ?? 0.999,
        m = state[0]!,
        s = state[1]!;
      const c1 = 1 / (1 - b1 ** h.step),
        c2 = 1 / (1 - b2 ** h.step);
      for (let i = 0; i < n; i++) {
        const w = param[i]!,
          g = grad[i]! + l2 * w;
        const mi = b1 * m[i]! + (1 - b1) * g,
          si = b2 * s[i]! + (1 - b2) * g * g;
        m[i] = mi;
        s[i] = si;
        param[i] = prox(w - (lr * (mi * c1)) / (Math.sqrt(si * c2) + eps), shrink);
      }
      break;
    }
    case 'adagrad':
    case 'rmsprop': {
      const rho = kind === 'rmsprop' ? (h.rho ?? 0.9) : 1,
        keep = kind === 'rmsprop' ? 1 - rho : 1,
        s = state[0]!;
      for (let i = 0; i < n; i++) {
        const w = param[i]!,
          g = grad[i]! + l2 * w;
        const si = rho * s[i]! + keep * g * g;
        s[i] = si;
        param[i] = prox(w - (lr * g) / (Math.sqrt(si) + eps), shrink);
      }
      break;
    }
  }
}

function prox(w: number, shrink: number): number {
  const a = Math.abs(w) - shrink;
  return a > 0 ? Math.sign(w) * a : 0;
}
