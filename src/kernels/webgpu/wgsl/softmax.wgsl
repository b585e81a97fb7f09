// Row-wise softmax, max-subtracted: one workgroup per row (row = wid.y·nwg.x + wid.x), WG threads
// stride over the columns and reduce max and sum in workgroup memory. Any column count.

// A power of two, for the tree reductions.
override WG: u32 = 64;

struct Dims { rows: u32, cols: u32 }

@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

var<workgroup> red: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = wid.y * nwg.x + wid.x;
  // row is uniform across the workgroup, so the early return keeps barriers in uniform control flow.
  if (row >= d.rows) { return; }
  let o = row * d.cols;
  var m = x[o];
  for (var c = lid.x; c < d.cols; c += WG) { m = max(m, x[o + c]); }
  red[lid.x] = m;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s /= 2u) {
    if (lid.x < s) { red[lid.x] = max(red[lid.x], red[lid.x + s]); }
    workgroupBarrier();
  }
  let mx = red[0];
  workgroupBarrier();
  var sum = 0.0;
  for (var c = lid.x; c < d.cols; c += WG) { let e = exp(x[o + c] - mx); y[o + c] = e; sum += e; }
  red[lid.x] = sum;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s /= 2u) {
    if (lid.x < s) { red[lid.x] = red[lid.x] + red[lid.x + s]; }
    workgroupBarrier();
  }
  let inv = 1.0 / red[0];
  for (var c = lid.x; c < d.cols; c += WG) { y[o + c] = y[o + c] * inv; }
}
