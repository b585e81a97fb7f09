// out[c] = alpha·Σ_r x[r, c] + beta·out[c]. A workgroup owns WG_C columns; its WG_R row lanes
// each sum a stripe of rows (neighbouring threads read neighbouring columns), then reduce in
// workgroup memory. Column c = (wid.y·nwg.x + wid.x)·WG_C + lid.x.

override WG_C: u32 = 16;
// A power of two, for the tree reduction.
override WG_R: u32 = 16;

struct Dims { rows: u32, cols: u32, read_out: u32, alpha: f32, beta: f32 }

@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

var<workgroup> part: array<f32, WG_C * WG_R>;

@compute @workgroup_size(WG_C, WG_R)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let col = (wid.y * nwg.x + wid.x) * WG_C + lid.x;
  var s = 0.0;
  if (col < d.cols) {
    for (var r = lid.y; r < d.rows; r += WG_R) { s += x[r * d.cols + col]; }
  }
  part[lid.y * WG_C + lid.x] = s;
  workgroupBarrier();
  for (var stride = WG_R / 2u; stride > 0u; stride /= 2u) {
    if (lid.y < stride) { part[lid.y * WG_C + lid.x] += part[(lid.y + stride) * WG_C + lid.x]; }
    workgroupBarrier();
  }
  if (lid.y == 0u && col < d.cols) {
    let v = d.alpha * part[lid.x];
    if (d.read_out != 0u) { out[col] = v + d.beta * out[col]; } else { out[col] = v; }
  }
}
