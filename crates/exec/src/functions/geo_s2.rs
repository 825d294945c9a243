//! S2 cells (the `s2` crate, a port of Google's S2 geometry): the sphere
//! projected onto a cube, each face cut into quadtree cells along a Hilbert
//! curve; a cell is a 64-bit id, written as a hex token without its trailing
//! zeros (`89c259`). Kusto's default level is 11 (cells of about 5 km).
//! Invalid input gives null (the empty string for a token), never an error.

use arrow::array::ArrayRef;
use s2::cell::Cell;
use s2::cellid::CellID;
use s2::latlng::LatLng;
use s2::s1::Deg;
use serde_json::{json, Value};

use super::args::{self, strings};
use super::geo::{cell_json, optional_long, point, valid};
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("geo_point_to_s2cell", point_to_s2cell),
    ("geo_s2cell_to_central_point", |a, c| {
        cell_json(a, c, |t| {
            let ll = LatLng::from(cell(t)?);
            Some(point((ll.lng.deg(), ll.lat.deg())))
        })
    }),
    ("geo_s2cell_to_polygon", |a, c| cell_json(a, c, s2_polygon)),
    ("geo_s2cell_neighbors", |a, c| cell_json(a, c, s2_neighbors)),
];

/// Kusto's level when none is given.
const DEFAULT_LEVEL: i64 = 11;
/// S2's finest level (leaf cells of about 1 cm).
const MAX_LEVEL: i64 = 30;

/// The cell of a token, if it is one: 1 to 16 hex digits naming a valid id.
fn cell(token: &str) -> Option<CellID> {
    let t = token.trim();
    if t.is_empty() || t.len() > 16 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let id = CellID::from_token(t);
    id.is_valid().then_some(id)
}

fn point_to_s2cell(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let (lon, lat) = (args::real(args, ctx, 0)?, args::real(args, ctx, 1)?);
    let level = optional_long(args, ctx, 2)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let level = match &level {
            Some(l) => l.get(i),
            None => Some(DEFAULT_LEVEL),
        };
        let (Some(lon), Some(lat), Some(level)) = (lon.get(i), lat.get(i), level) else {
            return true;
        };
        if valid(lon, lat) && (0..=MAX_LEVEL).contains(&level) {
            let ll = LatLng::new(Deg(lat).into(), Deg(lon).into());
            out.push_str(&CellID::from(ll).parent(level as u64).to_token());
        }
        true
    }))
}

/// A cell's four corners as a closed GeoJSON polygon, in S2's vertex order
/// (counter-clockwise), as Kusto prints them.
fn s2_polygon(token: &str) -> Option<Value> {
    let c = Cell::from(cell(token)?);
    let mut ring: Vec<Value> = (0..4)
        .map(|k| {
            let ll = LatLng::from(c.vertex(k));
            json!([ll.lng.deg(), ll.lat.deg()])
        })
        .collect();
    ring.push(ring[0].clone());
    Some(json!({"type": "Polygon", "coordinates": [ring]}))
}

/// The eight cells around a cell, of its level, in S2's order (below, then
/// the sides, then above, each left to right in the face's frame). Kusto
/// lists the same eight in an order of its own.
fn s2_neighbors(token: &str) -> Option<Value> {
    let id = cell(token)?;
    let cells: Vec<Value> = id
        .all_neighbors(id.level())
        .iter()
        .map(|n| Value::String(n.to_token()))
        .collect();
    Some(Value::Array(cells))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kusto's documented values (geo-point-to-s2cell, geo-s2cell-to-polygon
    /// and geo-s2cell-neighbors pages).
    #[test]
    fn cells_tokens_corners_and_neighbors_match_kusto() {
        let ll = LatLng::new(Deg(25.802215).into(), Deg(-80.195829).into());
        assert_eq!(CellID::from(ll).parent(8).to_token(), "88d9b");
        let polygon = s2_polygon("89c259").expect("a cell");
        let first = &polygon["coordinates"][0][0];
        assert!((first[0].as_f64().unwrap() - -74.03001224983848).abs() < 1e-12);
        assert!((first[1].as_f64().unwrap() - 40.8012684339439).abs() < 1e-12);
        let mut neighbors: Vec<String> = s2_neighbors("89c259")
            .expect("a cell")
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        neighbors.sort();
        let mut kusto = vec![
            "89c25d", "89c2f9", "89c251", "89c257", "89c25f", "89c25b", "89c2f7", "89c2f5",
        ];
        kusto.sort();
        assert_eq!(neighbors, kusto);
        // Kusto prints null for geo_s2cell_to_central_point("a").
        assert!(cell("a").is_none());
        assert!(cell("xyz").is_none());
        assert!(cell("").is_none());
    }
}
