// C = alpha·op(A)·op(B) + beta·C, row-major; op(A) is m×k, op(B) is k×n.
// Each workgroup computes a TM×TN tile of C (TM = WG_Y·RM, TN = WG_X·RN), staging TK-deep slices of
// op(A) and op(B) in workgroup memory; each thread keeps an RM×RN register tile, on rows
// lid.y + r·WG_Y and columns lid.x + q·WG_X so that neighbouring threads touch neighbouring words.
// `main` loads scalars and handles any shape; `main_vec4` loads vec4s and needs the contiguous
// dimension of each operand to be a multiple of 4 (the host picks the entry).

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override WG_X: u32 = 16;
override WG_Y: u32 = 16;
// TK is a multiple of 4 for the vec4 entry.
override TK: u32 = 16;
const RM: u32 = 4;
const RN: u32 = 4;

struct Dims { m: u32, n: u32, k: u32, read_c: u32, alpha: f32, beta: f32 }

@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(1) var<storage, read> a4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> b4: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

var<workgroup> As: array<f32, TK * WG_Y * RM>;
var<workgroup> Bs: array<f32, TK * WG_X * RN>;

fn mul_slice(lid: vec3<u32>, acc: ptr<function, array<f32, 16>>) {
  let TM = WG_Y * RM;
  let TN = WG_X * RN;
  for (var p = 0u; p < TK; p++) {
    var av: array<f32, RM>;
    var bv: array<f32, RN>;
    for (var r = 0u; r < RM; r++) { av[r] = As[p * TM + lid.y + r * WG_Y]; }
    for (var q = 0u; q < RN; q++) { bv[q] = Bs[p * TN + lid.x + q * WG_X]; }
    for (var r = 0u; r < RM; r++) {
      for (var q = 0u; q < RN; q++) {
        (*acc)[r * RN + q] = fma(av[r], bv[q], (*acc)[r * RN + q]);
      }
    }
  }
}

fn store(lid: vec3<u32>, wid: vec3<u32>, acc: ptr<function, array<f32, 16>>) {
  let row0 = wid.y * WG_Y * RM;
  let col0 = wid.x * WG_X * RN;
  for (var r = 0u; r < RM; r++) {
    let i = row0 + lid.y + r * WG_Y;
    if (i >= d.m) { continue; }
    for (var q = 0u; q < RN; q++) {
      let j = col0 + lid.x + q * WG_X;
      if (j >= d.n) { continue; }
      let v = d.alpha * (*acc)[r * RN + q];
      // beta = 0 never reads C, so stale NaN in C does not leak (BLAS convention).
      if (d.read_c != 0u) { c[i * d.n + j] = v + d.beta * c[i * d.n + j]; } else { c[i * d.n + j] = v; }
    }
  }
}

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let TM = WG_Y * RM;
  let TN = WG_X * RN;
  let row0 = wid.y * TM;
  let col0 = wid.x * TN;
  let tid = lid.y * WG_X + lid.x;
  let nt = WG_X * WG_Y;
  var acc: array<f32, 16>;
  for (var t = 0u; t < d.k; t += TK) {
    // Index order follows each operand's contiguous dimension, so global reads coalesce.
    for (var e = tid; e < TM * TK; e += nt) {
      var i: u32; var p: u32;
      if (TRANS_A) { p = e / TM; i = e % TM; } else { i = e / TK; p = e % TK; }
      let gi = row0 + i;
      let gp = t + p;
      var v = 0.0;
      if (gi < d.m && gp < d.k) {
        if (TRANS_A) { v = a[gp * d.m + gi]; } else { v = a[gi * d.k + gp]; }
      }
      As[p * TM + i] = v;
    }
    for (var e = tid; e < TN * TK; e += nt) {
      var j: u32; var p: u32;
      if (TRANS_B) { j = e / TK; p = e % TK; } else { p = e / TN; j = e % TN; }
      let gj = col0 + j;
      let gp = t + p;
      var v = 0.0;
      if (gj < d.n && gp < d.k) {
        if (TRANS_B) { v = b[gj * d.k + gp]; } else { v = b[gp * d.n + gj]; }
      }
      Bs[p * TN + j] = v;
    }
    workgroupBarrier();
    mul_slice(lid, &acc);
    workgroupBarrier();
  }
  store(lid, wid, &acc);
}

@compute @workgroup_size(WG_X, WG_Y)
fn main_vec4(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let TM = WG_Y * RM;
  let TN = WG_X * RN;
  let row0 = wid.y * TM;
  let col0 = wid.x * TN;
  let tid = lid.y * WG_X + lid.x;
  let nt = WG_X * WG_Y;
  let TK4 = TK / 4u;
  var acc: array<f32, 16>;
  for (var t = 0u; t < d.k; t += TK) {
    // With the contiguous dimension a multiple of 4 and tiles aligned to 4, a vec4 is wholly in or out.
    for (var e = tid; e < TM * TK4; e += nt) {
      if (TRANS_A) {
        let p = e / (TM / 4u);
        let i = (e % (TM / 4u)) * 4u;
        let gi = row0 + i;
        let gp = t + p;
        var v = vec4<f32>(0.0);
        if (gi < d.m && gp < d.k) { v = a4[(gp * d.m + gi) / 4u]; }
        As[p * TM + i] = v.x; As[p * TM + i + 1u] = v.y; As[p * TM + i + 2u] = v.z; As[p * TM + i + 3u] = v.w;
      } else {
        let i = e / TK4;
        let p = (e % TK4) * 4u;
        let gi = row0 + i;
        let gp = t + p;
        var v = vec4<f32>(0.0);
        if (gi < d.m && gp < d.k) { v = a4[(gi * d.k + gp) / 4u]; }
        As[p * TM + i] = v.x; As[(p + 1u) * TM + i] = v.y; As[(p + 2u) * TM + i] = v.z; As[(p + 3u) * TM + i] = v.w;
      }
    }
    for (var e = tid; e < TN * TK4; e += nt) {
      if (TRANS_B) {
        let j = e / TK4;
        let p = (e % TK4) * 4u;
        let gj = col0 + j;
        let gp = t + p;
        var v = vec4<f32>(0.0);
        if (gj < d.n && gp < d.k) { v = b4[(gj * d.k + gp) / 4u]; }
        Bs[p * TN + j] = v.x; Bs[(p + 1u) * TN + j] = v.y; Bs[(p + 2u) * TN + j] = v.z; Bs[(p + 3u) * TN + j] = v.w;
      } else {
        let p = e / (TN / 4u);
        let j = (e % (TN / 4u)) * 4u;
        let gj = col0 + j;
        let gp = t + p;
        var v = vec4<f32>(0.0);
        if (gj < d.n && gp < d.k) { v = b4[(gp * d.n + gj) / 4u]; }
        Bs[p * TN + j] = v.x; Bs[p * TN + j + 1u] = v.y; Bs[p * TN + j + 2u] = v.z; Bs[p * TN + j + 3u] = v.w;
      }
    }
    workgroupBarrier();
    mul_slice(lid, &acc);
    workgroupBarrier();
  }
  store(lid, wid, &acc);
}

// n = 1 (matrix–vector, as in a linear model's forward and gradient): one thread per row of C.
// A 64×64 tile would leave 63 of every 64 columns idle. op(B) is k×1 in either layout.
@compute @workgroup_size(64)
fn gemv(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= d.m) { return; }
  var s = 0.0;
  for (var p = 0u; p < d.k; p++) {
    var av: f32;
    if (TRANS_A) { av = a[p * d.m + i]; } else { av = a[i * d.k + p]; }
    s = fma(av, b[p], s);
  }
  let v = d.alpha * s;
  if (d.read_c != 0u) { c[i] = v + d.beta * c[i]; } else { c[i] = v; }
}
