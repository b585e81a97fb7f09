// Fused optimizer updates, one invocation per parameter element (grid-stride, so any length
// fits under the 65535-workgroup dispatch limit). Semantics: src/kernels/cpu/optimizerStepCpu.ts.
// Bias corrections c1 = 1/(1-β1^t), c2 = 1/(1-β2^t) come precomputed in f64 from the host.

override WG: u32 = 64;
// momentum entry: 1 = Nesterov. adaptive entry: 1 = RMSProp (decayed), 0 = AdaGrad (summed).
override NESTEROV: u32 = 0;
override RMS: u32 = 0;

struct Hyper {
  lr: f32, l2: f32, l1: f32, mu: f32,
  b1: f32, b2: f32, rho: f32, eps: f32,
  c1: f32, c2: f32, n: u32, _pad: u32,
}

@group(0) @binding(0) var<uniform> h: Hyper;
@group(0) @binding(1) var<storage, read_write> param: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> s0: array<f32>;
@group(0) @binding(4) var<storage, read_write> s1: array<f32>;

fn prox(w: f32) -> f32 {
  let shrink = h.lr * h.l1;
  if (shrink <= 0.0) { return w; }
  return sign(w) * max(abs(w) - shrink, 0.0);
}

@compute @workgroup_size(WG)
fn sgd(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  for (var i = gid.x; i < h.n; i += nw.x * WG) {
    let w = param[i];
    param[i] = prox(w - h.lr * (grad[i] + h.l2 * w));
  }
}

@compute @workgroup_size(WG)
fn momentum(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  for (var i = gid.x; i < h.n; i += nw.x * WG) {
    let w = param[i];
    let g = grad[i] + h.l2 * w;
    let v = h.mu * s0[i] + g;
    s0[i] = v;
    var step = v;
    if (NESTEROV == 1u) { step = g + h.mu * v; }
    param[i] = prox(w - h.lr * step);
  }
}

@compute @workgroup_size(WG)
fn adam(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  for (var i = gid.x; i < h.n; i += nw.x * WG) {
    let w = param[i];
    let g = grad[i] + h.l2 * w;
    let m = h.b1 * s0[i] + (1.0 - h.b1) * g;
    let s = h.b2 * s1[i] + (1.0 - h.b2) * g * g;
    s0[i] = m;
    s1[i] = s;
    param[i] = prox(w - h.lr * (m * h.c1) / (sqrt(s * h.c2) + h.eps));
  }
}

@compute @workgroup_size(WG)
fn adaptive(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  for (var i = gid.x; i < h.n; i += nw.x * WG) {
    let w = param[i];
    let g = grad[i] + h.l2 * w;
    var s = s0[i] + g * g;
    if (RMS == 1u) { s = h.rho * s0[i] + (1.0 - h.rho) * g * g; }
    s0[i] = s;
    param[i] = prox(w - h.lr * g / (sqrt(s) + h.eps));
  }
}
