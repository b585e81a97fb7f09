/**
 * gpu.js kernel sources for GpuJsBackend, all with 1-D outputs (thread.x = flat output index)
 * so every mode returns one Float32Array. Integer flags select variants at run time (gpu.js
 * has no override constants). Semantics follow the cpu reference in Backend.ts.
 */
// Loop variables are never reused across loops: gpu.js's WGSL output redeclares them.
export const gpuJsKernelSources = {
  // C[i, j] over op(A) m×k, op(B) k×n; beta 0 does not read C (NaN there must not leak).
  gemm: `function (a, b, c, m, n, k, ta, tb, alpha, beta) {
    const i = Math.floor(this.thread.x / n);
    const j = this.thread.x - i * n;
    let s = 0;
    for (let p = 0; p < k; p++) {
      let av = 0; let bv = 0;
      if (ta == 1) { av = a[p * m + i]; } else { av = a[i * k + p]; }
      if (tb == 1) { bv = b[j * k + p]; } else { bv = b[p * n + j]; }
      s += av * bv;
    }
    if (beta == 0) { return alpha * s; }
    return alpha * s + beta * c[this.thread.x];
  }`,
  biasAdd: `function (x, bias, cols) {
    const i = Math.floor(this.thread.x / cols);
    return x[this.thread.x] + bias[this.thread.x - i * cols];
  }`,
  colSum: `function (x, out, rows, cols, alpha, beta) {
    let s = 0;
    for (let r = 0; r < rows; r++) { s += x[r * cols + this.thread.x]; }
    if (beta == 0) { return alpha * s; }
    return alpha * s + beta * out[this.thread.x];
  }`,
  // kind: 0 identity, 1 relu, 2 sigmoid, 3 tanh.
  activate: `function (x, kind) {
    const v = x[this.thread.x];
    if (kind == 1) { return Math.max(v, 0); }
    if (kind == 2) { return 1 / (1 + Math.exp(-v)); }
    if (kind == 3) { return Math.tanh(v); }
    return v;
  }`,
  activateBackward: `function (y, dy, kind) {
    const v = y[this.thread.x];
    const g = dy[this.thread.x];
    if (kind == 1) { if (v > 0) { return g; } return 0; }
    if (kind == 2) { return g * v * (1 - v); }
    if (kind == 3) { return g * (1 - v * v); }
    return g;
  }`,
  softmax: `function (x, cols) {
    const r = Math.floor(this.thread.x / cols);
    let mx = x[r * cols];
    for (let c1 = 1; c1 < cols; c1++) { mx = Math.max(mx, x[r * cols + c1]); }
    let s = 0;
    for (let c2 = 0; c2 < cols; c2++) { s += Math.exp(x[r * cols + c2] - mx); }
    return Math.exp(x[this.thread.x] - mx) / s;
  }`,
  // kind: 0 logistic, 1 softmax, 2 squared, 3 hinge. grad[r, c] = scale·w_r·∂ℓ/∂z.
  // squared takes rows×cols targets (as the cpu reference), the others one per row.
  lossGrad: `function (z, t, w, cols, kind, scale, hasW) {
    const r = Math.floor(this.thread.x / cols);
    const c = this.thread.x - r * cols;
    let wr = 1;
    if (hasW == 1) { wr = w[r]; }
    const v = z[this.thread.x];
    let g = 0;
    if (kind == 0) { g = 1 / (1 + Math.exp(-v)) - t[r]; }
    if (kind == 2) { g = v - t[this.thread.x]; }
    if (kind == 3) { const y = 2 * t[r] - 1; if (y * v < 1) { g = -y; } }
    if (kind == 1) {
      let mx = z[r * cols];
      for (let q1 = 1; q1 < cols; q1++) { mx = Math.max(mx, z[r * cols + q1]); }
      let s = 0;
      for (let q2 = 0; q2 < cols; q2++) { s += Math.exp(z[r * cols + q2] - mx); }
      g = Math.exp(v - mx) / s;
      if (c == Math.floor(t[r])) { g = g - 1; }
    }
    return scale * wr * g;
  }`,
  loss: `function (z, t, w, cols, kind, hasW) {
    const r = this.thread.x;
    let wr = 1;
    if (hasW == 1) { wr = w[r]; }
    const v = z[r * cols];
    let l = 0;
    if (kind == 0) { l = Math.max(v, 0) + Math.log(1 + Math.exp(-Math.abs(v))) - t[r] * v; }
    if (kind == 2) {
      for (let q0 = 0; q0 < cols; q0++) { const e = z[r * cols + q0] - t[r * cols + q0]; l += 0.5 * e * e; }
    }
    if (kind == 3) { l = Math.max(0, 1 - (2 * t[r] - 1) * v); }
    if (kind == 1) {
      let mx = v;
      for (let q1 = 1; q1 < cols; q1++) { mx = Math.max(mx, z[r * cols + q1]); }
      let s = 0;
      for (let q2 = 0; q2 < cols; q2++) { s += Math.exp(z[r * cols + q2] - mx); }
      l = Math.log(s) + mx - z[r * cols + Math.floor(t[r])];
    }
    return wr * l;
  }`,
  // Optimizers: gpu.js kernels have one output, so each state buffer gets its own pass, in
  // dependency order (state first, then the parameter from the new state).
  // kind: 0 momentum/nesterov v, 1 adam m, 2 adam s, 3 adagrad s, 4 rmsprop s.
  optState: `function (w, g, s, kind, l2, mu, b1, b2, rho) {
    const gi = g[this.thread.x] + l2 * w[this.thread.x];
    const si = s[this.thread.x];
    if (kind == 0) { return mu * si + gi; }
    if (kind == 1) { return b1 * si + (1 - b1) * gi; }
    if (kind == 2) { return b2 * si + (1 - b2) * gi * gi; }
    if (kind == 3) { return si + gi * gi; }
    return rho * si + (1 - rho) * gi * gi;
  }`,
  // kind: 0 sgd, 1 momentum, 2 nesterov, 3 adam, 4 adagrad/rmsprop. s0, s1 = updated state.
  optParam: `function (w, g, s0, s1, kind, lr, l2, l1, mu, eps, c1, c2) {
    const wi = w[this.thread.x];
    const gi = g[this.thread.x] + l2 * wi;
    let step = gi;
    if (kind == 1) { step = s0[this.thread.x]; }
    if (kind == 2) { step = gi + mu * s0[this.thread.x]; }
    if (kind == 3) { step = (s0[this.thread.x] * c1) / (Math.sqrt(s1[this.thread.x] * c2) + eps); }
    if (kind == 4) { step = gi / (Math.sqrt(s0[this.thread.x]) + eps); }
    let nw = wi - lr * step;
    const shrink = lr * l1;
    if (shrink > 0) {
      const a = Math.abs(nw) - shrink;
      if (a > 0) { if (nw > 0) { nw = a; } else { nw = -a; } } else { nw = 0; }
    }
    return nw;
  }`,
} as const;

export type GpuJsKernelName = keyof typeof gpuJsKernelSources;
