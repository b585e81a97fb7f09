// Column statistics of a row-major rows×cols matrix, NaN = missing. One workgroup owns TC
// adjacent columns (adjacent invocations read adjacent addresses) and RS row stripes; each
// invocation runs Welford over its stripe, then the RS partials merge pairwise in workgroup
// memory with Chan's formula: stable where Σx² − n·mean² cancels. Output 6×cols as u32 bits
// so the "no value" NaN needs no NaN constant (a const-expression NaN is a WGSL error).
// Semantics: src/kernels/cpu/columnStatsCpu.ts.

override TC: u32 = 8;   // columns per workgroup
override RS: u32 = 8;   // row stripes per workgroup, a power of two; TC·RS ≤ 256
const MAXW: u32 = 256u;
const QNAN: u32 = 0x7fc00000u;

struct Dims { rows: u32, cols: u32, _a: u32, _b: u32 }

@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read_write> outBits: array<u32>;

var<workgroup> wCount: array<f32, MAXW>;
var<workgroup> wSum: array<f32, MAXW>;
var<workgroup> wMean: array<f32, MAXW>;
var<workgroup> wM2: array<f32, MAXW>;
var<workgroup> wMin: array<f32, MAXW>;
var<workgroup> wMax: array<f32, MAXW>;

fn isNan(bits: u32) -> bool { return (bits & 0x7fffffffu) > 0x7f800000u; }

@compute @workgroup_size(TC, RS)
fn column_stats(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let slot = lid.y * TC + lid.x;
  // Grid-stride over column tiles: the loop bound is workgroup-uniform, so barriers are legal.
  for (var tile = wid.x; tile * TC < d.cols; tile += nw.x) {
    let c = tile * TC + lid.x;
    var n = 0.0; var sum = 0.0; var mean = 0.0; var m2 = 0.0; var mn = 0.0; var mx = 0.0;
    // Welford runs on v − shift, shift = the column's first value: with a large common offset
    // the f32 running mean would otherwise carry offset·ε of error into every deviation.
    var shift = 0.0;
    if (c < d.cols && d.rows > 0u) {
      let first = x[c];
      if (!isNan(first)) { shift = bitcast<f32>(first); }
      for (var r = lid.y; r < d.rows; r += RS) {
        let bits = x[r * d.cols + c];
        if (isNan(bits)) { continue; }
        let v = bitcast<f32>(bits);
        if (n == 0.0) { mn = v; mx = v; } else { mn = min(mn, v); mx = max(mx, v); }
        n += 1.0;
        sum += v;
        let dv = v - shift;
        let delta = dv - mean;
        mean += delta / n;
        m2 += delta * (dv - mean);
      }
    }
    wCount[slot] = n; wSum[slot] = sum; wMean[slot] = mean; wM2[slot] = m2; wMin[slot] = mn; wMax[slot] = mx;
    workgroupBarrier();
    for (var half = RS / 2u; half > 0u; half /= 2u) {
      if (lid.y < half) {
        let o = slot + half * TC;
        let nb = wCount[o];
        if (nb > 0.0) {
          let na = wCount[slot];
          if (na == 0.0) {
            wCount[slot] = nb; wSum[slot] = wSum[o]; wMean[slot] = wMean[o]; wM2[slot] = wM2[o]; wMin[slot] = wMin[o]; wMax[slot] = wMax[o];
          } else {
            let nt = na + nb;
            let delta = wMean[o] - wMean[slot];
            wMean[slot] = wMean[slot] + delta * (nb / nt);
            wM2[slot] = wM2[slot] + wM2[o] + delta * delta * (na * nb / nt);
            wSum[slot] = wSum[slot] + wSum[o];
            wCount[slot] = nt;
            wMin[slot] = min(wMin[slot], wMin[o]);
            wMax[slot] = max(wMax[slot], wMax[o]);
          }
        }
      }
      workgroupBarrier();
    }
    if (lid.y == 0u && c < d.cols) {
      let cnt = wCount[slot];
      let has = cnt > 0.0;
      outBits[c] = bitcast<u32>(cnt);
      outBits[d.cols + c] = bitcast<u32>(wSum[slot]);
      outBits[2u * d.cols + c] = select(QNAN, bitcast<u32>(shift + wMean[slot]), has);
      outBits[3u * d.cols + c] = bitcast<u32>(wM2[slot]);
      outBits[4u * d.cols + c] = select(QNAN, bitcast<u32>(wMin[slot]), has);
      outBits[5u * d.cols + c] = select(QNAN, bitcast<u32>(wMax[slot]), has);
    }
    workgroupBarrier();
  }
}
