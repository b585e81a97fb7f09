// Elementwise kernels over n elements: bias add, activations forward and backward.
// Threads index i = (wid.y·nwg.x + wid.x)·WG + lid.x, so the host can spread more than 65535
// workgroups over a 2-D grid. KIND: 0 identity, 1 relu, 2 sigmoid, 3 tanh.

override WG: u32 = 256;
override KIND: u32 = 0;

struct Dims { n: u32, cols: u32 }

@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read_write> io: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(1) var<storage, read> yf: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

fn index(lid: vec3<u32>, wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return (wid.y * nwg.x + wid.x) * WG + lid.x;
}

fn f(v: f32) -> f32 {
  switch KIND {
    case 1u: { return max(v, 0.0); }
    case 2u: {
      // Two-sided form: exp never overflows.
      if (v >= 0.0) { return 1.0 / (1.0 + exp(-v)); }
      let e = exp(v);
      return e / (1.0 + e);
    }
    // tanh(±15) is ±1 in f32; clamping keeps implementations that expand tanh through exp finite.
    case 3u: { return tanh(clamp(v, -15.0, 15.0)); }
    default: { return v; }
  }
}

fn df(yv: f32) -> f32 {
  switch KIND {
    case 1u: { return select(0.0, 1.0, yv > 0.0); }
    case 2u: { return yv * (1.0 - yv); }
    case 3u: { return 1.0 - yv * yv; }
    default: { return 1.0; }
  }
}

@compute @workgroup_size(WG)
fn activate(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = index(lid, wid, nwg);
  if (i < d.n) { y[i] = f(x[i]); }
}

@compute @workgroup_size(WG)
fn activate_inplace(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = index(lid, wid, nwg);
  if (i < d.n) { io[i] = f(io[i]); }
}

@compute @workgroup_size(WG)
fn activate_backward(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = index(lid, wid, nwg);
  // relu passes dy through exactly (no 0·Inf when dy is infinite in the masked lanes).
  if (i < d.n) {
    if (KIND == 1u) { dx[i] = select(0.0, dy[i], yf[i] > 0.0); } else { dx[i] = dy[i] * df(yf[i]); }
  }
}

@compute @workgroup_size(WG)
fn bias_add(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = index(lid, wid, nwg);
  if (i < d.n) { io[i] = io[i] + bias[i % d.cols]; }
}
