//! Geospatial kernels: haversine distance and circles on Kusto's sphere,
//! geohash cells (encoded here: a geohash is 5 bits a character of
//! alternating longitude/latitude halvings) and H3 cells (the h3o crate, a
//! port of Uber's H3). Points and polygons are GeoJSON; bad input gives null
//! (the empty string for a cell token), never an error.

use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, Float64Array, Int32Array, StringArray};
use h3o::{CellIndex, LatLng, Resolution};
use serde_json::{json, Value};

use super::args::{self, strings};
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("geo_distance_2points", distance_2points),
    ("geo_point_in_circle", point_in_circle),
    ("geo_point_to_geohash", point_to_geohash),
    ("geo_geohash_to_central_point", |a, c| {
        cell_json(a, c, |h| geohash_box(h).map(|b| point(b.center())))
    }),
    ("geo_geohash_to_polygon", |a, c| {
        cell_json(a, c, |h| geohash_box(h).map(|b| b.polygon()))
    }),
    ("geo_geohash_neighbors", |a, c| {
        cell_json(a, c, geohash_neighbors)
    }),
    ("geo_point_to_h3cell", point_to_h3cell),
    ("geo_h3cell_to_central_point", |a, c| {
        cell_json(a, c, |t| {
            h3(t).map(|cell| point(lat_lng(LatLng::from(cell))))
        })
    }),
    ("geo_h3cell_to_polygon", |a, c| cell_json(a, c, h3_polygon)),
    ("geo_h3cell_parent", h3_parent),
    ("geo_h3cell_children", h3_children),
    ("geo_h3cell_neighbors", |a, c| {
        cell_json(a, c, |t| {
            let rings = h3_rings(h3(t)?, 1);
            rings.into_iter().nth(1).map(Value::Array)
        })
    }),
    ("geo_h3cell_level", h3_level),
    ("geo_h3cell_rings", h3_rings_kernel),
];

/// Kusto's Earth radius for distances, in meters.
const EARTH_RADIUS_M: f64 = 6_371_010.0;
const GEOHASH_ALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";
const MAX_GEOHASH: usize = 18;
/// The largest ring distance `geo_h3cell_rings` takes.
const MAX_RING: i64 = 142;
/// The most levels `geo_h3cell_children` goes down (16,807 cells).
const MAX_CHILD_LEVELS: u8 = 5;

/// A valid (lon, lat): finite, in [-180, 180] × [-90, 90].
pub(super) fn valid(lon: f64, lat: f64) -> bool {
    (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
}

fn haversine(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = (p2 - p1, (lon2 - lon1).to_radians());
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

pub(super) fn point((lon, lat): (f64, f64)) -> Value {
    json!({"type": "Point", "coordinates": [lon, lat]})
}

fn lat_lng(ll: LatLng) -> (f64, f64) {
    (ll.lng(), ll.lat())
}

fn distance_2points(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let r: Vec<args::Real> = (0..4)
        .map(|i| args::real(args, ctx, i))
        .collect::<Result<_>>()?;
    let out: Float64Array = (0..ctx.rows)
        .map(|i| {
            let (lon1, lat1, lon2, lat2) = (r[0].get(i)?, r[1].get(i)?, r[2].get(i)?, r[3].get(i)?);
            (valid(lon1, lat1) && valid(lon2, lat2)).then(|| haversine(lon1, lat1, lon2, lat2))
        })
        .collect();
    Ok(Arc::new(out))
}

fn point_in_circle(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let r: Vec<args::Real> = (0..5)
        .map(|i| args::real(args, ctx, i))
        .collect::<Result<_>>()?;
    let out: BooleanArray = (0..ctx.rows)
        .map(|i| {
            let (lon, lat, clon, clat) = (r[0].get(i)?, r[1].get(i)?, r[2].get(i)?, r[3].get(i)?);
            let radius = r[4].get(i)?;
            if !valid(lon, lat) || !valid(clon, clat) || radius.is_nan() || radius < 0.0 {
                return None;
            }
            Some(haversine(lon, lat, clon, clat) <= radius)
        })
        .collect();
    Ok(Arc::new(out))
}

/// A cell token argument mapped to JSON (null where `f` gives none).
pub(super) fn cell_json(
    args: &[Datum],
    ctx: &KernelContext,
    f: impl Fn(&str) -> Option<Value>,
) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    Ok(strings(ctx.rows, 0, |i, out| match f(t.get(i)) {
        Some(v) => {
            out.push_str(&v.to_string());
            true
        }
        None => false,
    }))
}

/// The optional integer argument `i` (`default` when absent); `None` when
/// given but null.
pub(super) fn optional_long(
    args: &[Datum],
    ctx: &KernelContext,
    i: usize,
) -> Result<Option<args::Long>> {
    if args.len() > i {
        Ok(Some(args::long(args, ctx, i)?))
    } else {
        Ok(None)
    }
}

// ---------------------------------------------------------------- geohash

/// A geohash cell's bounds.
struct GeoBox {
    lon: (f64, f64),
    lat: (f64, f64),
}

impl GeoBox {
    fn center(&self) -> (f64, f64) {
        (
            (self.lon.0 + self.lon.1) / 2.0,
            (self.lat.0 + self.lat.1) / 2.0,
        )
    }

    fn polygon(&self) -> Value {
        let ((w, e), (s, n)) = (self.lon, self.lat);
        json!({"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]})
    }
}

fn geohash_encode(lon: f64, lat: f64, len: usize) -> String {
    let (mut lo, mut la) = ((-180.0, 180.0), (-90.0, 90.0));
    let mut out = String::with_capacity(len);
    let mut even = true;
    for _ in 0..len {
        let mut v = 0usize;
        for _ in 0..5 {
            let (range, x) = if even { (&mut lo, lon) } else { (&mut la, lat) };
            let mid = (range.0 + range.1) / 2.0;
            v <<= 1;
            if x >= mid {
                v |= 1;
                range.0 = mid;
            } else {
                range.1 = mid;
            }
            even = !even;
        }
        out.push(GEOHASH_ALPHABET[v] as char);
    }
    out
}

fn geohash_box(hash: &str) -> Option<GeoBox> {
    if hash.is_empty() || hash.len() > MAX_GEOHASH {
        return None;
    }
    let (mut lo, mut la) = ((-180.0, 180.0), (-90.0, 90.0));
    let mut even = true;
    for c in hash.bytes() {
        let v = GEOHASH_ALPHABET.iter().position(|&a| a == c)?;
        for bit in (0..5).rev() {
            let range: &mut (f64, f64) = if even { &mut lo } else { &mut la };
            let mid = (range.0 + range.1) / 2.0;
            if (v >> bit) & 1 == 1 {
                range.0 = mid;
            } else {
                range.1 = mid;
            }
            even = !even;
        }
    }
    Some(GeoBox { lon: lo, lat: la })
}

fn point_to_geohash(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let (lon, lat) = (args::real(args, ctx, 0)?, args::real(args, ctx, 1)?);
    let accuracy = optional_long(args, ctx, 2)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let len = match &accuracy {
            Some(a) => a.get(i),
            None => Some(5),
        };
        let (Some(lon), Some(lat), Some(len)) = (lon.get(i), lat.get(i), len) else {
            return true;
        };
        if valid(lon, lat) && (1..=MAX_GEOHASH as i64).contains(&len) {
            out.push_str(&geohash_encode(lon, lat, len as usize));
        }
        true
    }))
}

/// The neighbor offsets (columns, rows) in the order Kusto lists them.
const NEIGHBORS: [(f64, f64); 8] = [
    (-1.0, -1.0),
    (-1.0, 1.0),
    (1.0, -1.0),
    (0.0, 1.0),
    (-1.0, 0.0),
    (1.0, 1.0),
    (1.0, 0.0),
    (0.0, -1.0),
];

fn geohash_neighbors(hash: &str) -> Option<Value> {
    let cell = geohash_box(hash)?;
    let (lon, lat) = cell.center();
    let (w, h) = (cell.lon.1 - cell.lon.0, cell.lat.1 - cell.lat.0);
    let cells = NEIGHBORS
        .iter()
        .filter_map(|(dx, dy)| {
            let lat = lat + dy * h;
            if !(-90.0..=90.0).contains(&lat) {
                return None;
            }
            let mut lon = lon + dx * w;
            if lon > 180.0 {
                lon -= 360.0;
            } else if lon < -180.0 {
                lon += 360.0;
            }
            Some(Value::String(geohash_encode(lon, lat, hash.len())))
        })
        .collect();
    Some(Value::Array(cells))
}

// ---------------------------------------------------------------- H3

fn h3(token: &str) -> Option<CellIndex> {
    token.trim().parse().ok()
}

fn resolution(n: i64) -> Option<Resolution> {
    Resolution::try_from(u8::try_from(n).ok()?).ok()
}

fn point_to_h3cell(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let (lon, lat) = (args::real(args, ctx, 0)?, args::real(args, ctx, 1)?);
    let res = optional_long(args, ctx, 2)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let r = match &res {
            Some(r) => r.get(i),
            None => Some(6),
        };
        let (Some(lon), Some(lat), Some(r)) = (lon.get(i), lat.get(i), r.and_then(resolution))
        else {
            return true;
        };
        if valid(lon, lat) {
            if let Ok(ll) = LatLng::new(lat, lon) {
                out.push_str(&ll.to_cell(r).to_string());
            }
        }
        true
    }))
}

fn h3_polygon(token: &str) -> Option<Value> {
    let cell = h3(token)?;
    let boundary = cell.boundary();
    let mut ring: Vec<Value> = boundary
        .iter()
        .map(|ll| json!([ll.lng(), ll.lat()]))
        .collect();
    ring.push(ring.first()?.clone());
    Some(json!({"type": "Polygon", "coordinates": [ring]}))
}

fn h3_parent(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let res = optional_long(args, ctx, 1)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let Some(cell) = h3(t.get(i)) else {
            return true;
        };
        let target = match &res {
            Some(r) => r.get(i).and_then(resolution),
            None => cell.resolution().pred(),
        };
        if let Some(parent) = target.and_then(|r| cell.parent(r)) {
            out.push_str(&parent.to_string());
        }
        true
    }))
}

fn h3_children(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let res = optional_long(args, ctx, 1)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let Some(cell) = h3(t.get(i)) else {
            return false;
        };
        let target = match &res {
            Some(r) => r.get(i).and_then(resolution),
            None => cell.resolution().succ(),
        };
        let Some(target) = target else { return false };
        let (from, to) = (u8::from(cell.resolution()), u8::from(target));
        if to < from || to - from > MAX_CHILD_LEVELS {
            return false;
        }
        let children: Vec<Value> = cell
            .children(target)
            .map(|c| Value::String(c.to_string()))
            .collect();
        out.push_str(&Value::Array(children).to_string());
        true
    }))
}

fn h3_level(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let out: Int32Array = (0..ctx.rows)
        .map(|i| h3(t.get(i)).map(|c| i32::from(u8::from(c.resolution()))))
        .collect();
    Ok(Arc::new(out))
}

/// The cells 0..=k steps from `cell`, one array per distance, in H3's order.
fn h3_rings(cell: CellIndex, k: u32) -> Vec<Vec<Value>> {
    let mut rings = vec![Vec::new(); k as usize + 1];
    for (c, d) in cell.grid_disk_distances::<Vec<_>>(k) {
        if let Some(ring) = rings.get_mut(d as usize) {
            ring.push(Value::String(c.to_string()));
        }
    }
    rings
}

fn h3_rings_kernel(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let k = args::long(args, ctx, 1)?;
    let out: StringArray = (0..ctx.rows)
        .map(|i| {
            let cell = h3(t.get(i))?;
            let k = k.get(i).filter(|k| (0..=MAX_RING).contains(k))?;
            let rings = h3_rings(cell, k as u32)
                .into_iter()
                .map(Value::Array)
                .collect();
            Some(Value::Array(rings).to_string())
        })
        .collect();
    Ok(Arc::new(out))
}
