// CSR × dense. Semantics: src/kernels/cpu/spmmCpu.ts and spmmTCpu.ts.
// spmm: one invocation per output element (row, col); workgroup WX columns × WY rows, rows
// grid-strided past the 65535-workgroup limit. Out-of-range column indices are skipped.
// spmmT (Aᵀ·G) scatters: first spmm_t_scale applies beta to OUT, then spmm_t_add adds each
// row's contributions with a compare-exchange float add on the u32 bits (WGSL has no float
// atomics). The add order varies between runs, so results agree with the CPU to rounding.

override WX: u32 = 1;
override WY: u32 = 64;
override WG: u32 = 64;

struct Dims { rows: u32, k: u32, n: u32, betaZero: u32, alpha: f32, beta: f32, _a: u32, _b: u32 }

@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> indptr: array<i32>;
@group(0) @binding(2) var<storage, read> indices: array<i32>;
@group(0) @binding(3) var<storage, read> values: array<f32>;
@group(0) @binding(4) var<storage, read> dense: array<f32>;
@group(0) @binding(5) var<storage, read_write> c: array<f32>;
@group(0) @binding(5) var<storage, read_write> outAtomic: array<atomic<u32>>;
// spmm_t_scale binds only (uniform, OUT): the pair sits at bindings 0 and 1 for that entry.
@group(0) @binding(1) var<storage, read_write> scaled: array<f32>;

@compute @workgroup_size(WX, WY)
fn spmm(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let j = gid.x;
  if (j >= d.n) { return; }
  for (var r = gid.y; r < d.rows; r += nw.y * WY) {
    var acc = 0.0;
    let end = u32(indptr[r + 1u]);
    for (var p = u32(indptr[r]); p < end; p++) {
      let col = u32(indices[p]);
      if (col < d.k) { acc += values[p] * dense[col * d.n + j]; }
    }
    let o = r * d.n + j;
    if (d.betaZero == 1u) { c[o] = d.alpha * acc; } else { c[o] = d.alpha * acc + d.beta * c[o]; }
  }
}

@compute @workgroup_size(WG)
fn spmm_t_scale(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let total = d.k * d.n;
  for (var i = gid.x; i < total; i += nw.x * WG) {
    if (d.betaZero == 1u) { scaled[i] = 0.0; } else { scaled[i] = d.beta * scaled[i]; }
  }
}

fn atomicAddF32(i: u32, v: f32) {
  var old = atomicLoad(&outAtomic[i]);
  loop {
    let r = atomicCompareExchangeWeak(&outAtomic[i], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }
}

@compute @workgroup_size(WX, WY)
fn spmm_t_add(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let j = gid.x;
  if (j >= d.n) { return; }
  for (var r = gid.y; r < d.rows; r += nw.y * WY) {
    let gr = d.alpha * dense[r * d.n + j];
    if (gr == 0.0) { continue; }
    let end = u32(indptr[r + 1u]);
    for (var p = u32(indptr[r]); p < end; p++) {
      let col = u32(indices[p]);
      if (col < d.k) { atomicAddF32(col * d.n + j, values[p] * gr); }
    }
  }
}
