// Fused loss value and gradient with respect to the raw outputs z (rows×cols), one thread per
// row (row = (wid.y·nwg.x + wid.x)·WG + lid.x). Semantics: Backend.lossGrad / lossGradCpu.
// KIND: 0 logistic, 1 softmax cross-entropy, 2 squared, 3 hinge. Targets are bound as raw
// words and read as i32 or f32 (T_INT), so one pipeline serves both label encodings.

override WG: u32 = 64;
override KIND: u32 = 0;
override T_INT: bool = false;
override HAS_W: bool = false;

struct Dims { rows: u32, cols: u32, scale: f32 }

@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> z: array<f32>;
@group(0) @binding(2) var<storage, read> t: array<u32>;
@group(0) @binding(3) var<storage, read> w: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad: array<f32>;
@group(0) @binding(5) var<storage, read_write> loss: array<f32>;

fn tgt(i: u32) -> f32 {
  if (T_INT) { return f32(bitcast<i32>(t[i])); }
  return bitcast<f32>(t[i]);
}

fn nan() -> f32 {
  // Built at run time: a constant NaN expression is a shader-creation error in WGSL.
  return bitcast<f32>(0x7fc00000u + d.rows * 0u);
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = (wid.y * nwg.x + wid.x) * WG + lid.x;
  if (r >= d.rows) { return; }
  var wr = 1.0;
  if (HAS_W) { wr = w[r]; }
  let g = d.scale * wr;
  switch KIND {
    case 0u: {
      let v = z[r];
      let tv = tgt(r);
      // softplus(v) = max(v, 0) + log(1 + exp(−|v|)) never overflows.
      loss[r] = wr * (max(v, 0.0) + log(1.0 + exp(-abs(v))) - tv * v);
      var s: f32;
      if (v >= 0.0) { s = 1.0 / (1.0 + exp(-v)); } else { let e = exp(v); s = e / (1.0 + e); }
      grad[r] = g * (s - tv);
    }
    case 1u: {
      let o = r * d.cols;
      let tv = tgt(r);
      let ti = i32(tv);
      if (!(tv >= 0.0 && f32(ti) == tv && u32(ti) < d.cols)) {
        // Not a class index: NaN makes the bad label visible, as in the CPU reference.
        loss[r] = nan();
        for (var c = 0u; c < d.cols; c++) { grad[o + c] = nan(); }
        return;
      }
      var mx = z[o];
      for (var c = 0u; c < d.cols; c++) { mx = max(mx, z[o + c]); }
      var s = 0.0;
      for (var c = 0u; c < d.cols; c++) { s += exp(z[o + c] - mx); }
      let lse = mx + log(s);
      loss[r] = wr * (lse - z[o + u32(ti)]);
      for (var c = 0u; c < d.cols; c++) {
        grad[o + c] = g * (exp(z[o + c] - lse) - select(0.0, 1.0, c == u32(ti)));
      }
    }
    case 2u: {
      let o = r * d.cols;
      var l = 0.0;
      for (var c = 0u; c < d.cols; c++) {
        let df = z[o + c] - tgt(o + c);
        l += 0.5 * df * df;
        grad[o + c] = g * df;
      }
      loss[r] = wr * l;
    }
    default: {
      let v = z[r];
      let y = 2.0 * tgt(r) - 1.0;
      let m = y * v;
      loss[r] = wr * max(0.0, 1.0 - m);
      grad[r] = select(0.0, -g * y, m < 1.0);
    }
  }
}
