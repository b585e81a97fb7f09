// K linear models of one shape, one dispatch per phase for all K (BatchedLinearGpu; reference:
// BatchedLinear.ts). Weights K×d×out model-major, biases K×out, per-model hyper K×4
// (lr, l2, l1, 0) in a storage buffer so K has no uniform-size cap.
//   forward: one invocation per (row, model): z, per-row loss, dz = ∂ℓ/∂z / rows.
//   update:  one invocation per parameter (model, j ≤ d, o), j = d being the bias: reduces
//            xᵀ·dz over the batch, applies L2 / SGD / proximal L1; the (model, bias, o = 0)
//            invocation also writes the model's mean loss.

override WG: u32 = 64;
override LOSS: u32 = 0;   // 0 squared, 1 logistic, 2 softmax, 3 hinge

struct Dims { rows: u32, d: u32, outs: u32, models: u32, invRows: f32, _a: u32, _b: u32, _c: u32 }

@group(0) @binding(0) var<uniform> dm: Dims;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read> w: array<f32>;
@group(0) @binding(4) var<storage, read> b: array<f32>;
@group(0) @binding(5) var<storage, read_write> dz: array<f32>;
@group(0) @binding(6) var<storage, read_write> rowLoss: array<f32>;

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let m = gid.y;
  if (m >= dm.models) { return; }
  for (var r = gid.x; r < dm.rows; r += nw.x * WG) {
    let zo = (m * dm.rows + r) * dm.outs;
    for (var o = 0u; o < dm.outs; o++) {
      var s = b[m * dm.outs + o];
      for (var j = 0u; j < dm.d; j++) { s += x[r * dm.d + j] * w[(m * dm.d + j) * dm.outs + o]; }
      dz[zo + o] = s;
    }
    let t = y[r];
    var l = 0.0;
    if (LOSS == 0u) {
      let e = dz[zo] - t;
      l = 0.5 * e * e;
      dz[zo] = e * dm.invRows;
    } else if (LOSS == 1u) {
      let v = dz[zo];
      l = max(v, 0.0) + log(1.0 + exp(-abs(v))) - t * v;
      dz[zo] = (1.0 / (1.0 + exp(-v)) - t) * dm.invRows;
    } else if (LOSS == 3u) {
      let sg = 2.0 * t - 1.0;
      let v = dz[zo];
      l = max(0.0, 1.0 - sg * v);
      dz[zo] = select(0.0, -sg * dm.invRows, sg * v < 1.0);
    } else {
      var mx = dz[zo];
      for (var o = 1u; o < dm.outs; o++) { mx = max(mx, dz[zo + o]); }
      var sum = 0.0;
      for (var o = 0u; o < dm.outs; o++) { sum += exp(dz[zo + o] - mx); }
      let cls = u32(t);
      l = log(sum) + mx - dz[zo + cls];
      for (var o = 0u; o < dm.outs; o++) {
        dz[zo + o] = (exp(dz[zo + o] - mx) / sum - select(0.0, 1.0, o == cls)) * dm.invRows;
      }
    }
    rowLoss[m * dm.rows + r] = l;
  }
}

@group(0) @binding(1) var<storage, read> ux: array<f32>;
@group(0) @binding(2) var<storage, read> udz: array<f32>;
@group(0) @binding(3) var<storage, read> uRowLoss: array<f32>;
@group(0) @binding(4) var<storage, read> hyper: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> uw: array<f32>;
@group(0) @binding(6) var<storage, read_write> ub: array<f32>;
@group(0) @binding(7) var<storage, read_write> meanLoss: array<f32>;

@compute @workgroup_size(WG)
fn update(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let per = (dm.d + 1u) * dm.outs;
  let total = dm.models * per;
  for (var p = gid.x; p < total; p += nw.x * WG) {
    let m = p / per;
    let q = p % per;
    let j = q / dm.outs;
    let o = q % dm.outs;
    let h = hyper[m];
    let dzo = m * dm.rows * dm.outs + o;
    var g = 0.0;
    if (j < dm.d) {
      for (var r = 0u; r < dm.rows; r++) { g += ux[r * dm.d + j] * udz[dzo + r * dm.outs]; }
      let i = (m * dm.d + j) * dm.outs + o;
      var nw2 = uw[i] - h.x * (g + h.y * uw[i]);
      let shrink = h.x * h.z;
      if (shrink > 0.0) { nw2 = sign(nw2) * max(abs(nw2) - shrink, 0.0); }
      uw[i] = nw2;
    } else {
      for (var r = 0u; r < dm.rows; r++) { g += udz[dzo + r * dm.outs]; }
      ub[m * dm.outs + o] = ub[m * dm.outs + o] - h.x * g;
      if (o == 0u) {
        var l = 0.0;
        for (var r = 0u; r < dm.rows; r++) { l += uRowLoss[m * dm.rows + r]; }
        meanLoss[m] = l * dm.invRows;
      }
    }
  }
}
