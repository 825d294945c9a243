//! Geospatial functions on longitude/latitude points (WGS-84 degrees): the
//! spherical distance, circles, geohash, S2 and H3 cells. Points, polygons
//! and cell lists are GeoJSON `dynamic` values, as Kusto returns them.

use super::sig::sig;
use super::unaliased as f;
use super::{ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "Geospatial",
    intro: "Longitude first, then latitude, in degrees (longitude in [-180, 180], latitude in [-90, 90]): a coordinate outside that range gives null (the empty string for a cell token). Distances are meters on a sphere of radius 6,371,010 m, as Kusto's. Geohash, S2 and H3 cells are tokens (strings); points and polygons are GeoJSON.",
    functions: FUNCTIONS,
};

sig!(distance_rt, "geo_distance_2points", [Num, Num, Num, Num] => Real);
sig!(in_circle_rt, "geo_point_in_circle", [Num, Num, Num, Num, Num] => Bool);
sig!(point_to_cell_rt, "this function", [Num, Num, Int] => String);
sig!(cell_to_dyn_rt, "this function", [Text] => Dynamic);
sig!(cell_to_cell_rt, "geo_h3cell_parent", [Text, Int] => String);
sig!(cell_int_to_dyn_rt, "this function", [Text, Int] => Dynamic);
sig!(cell_level_rt, "geo_h3cell_level", [Text] => Int);

pub(super) const FUNCTIONS: &[ScalarFunction] = &[
    f("geo_distance_2points", Arity::exact(4), distance_rt, "`geo_distance_2points(lon1, lat1, lon2, lat2)`: the great-circle distance in meters (haversine on a sphere of radius 6,371,010 m); null for an invalid coordinate.", "geo_distance_2points(-122.4, 47.6, -118.3, 34.0)"),
    f("geo_point_in_circle", Arity::exact(5), in_circle_rt, "`geo_point_in_circle(lon, lat, center_lon, center_lat, radius_m)`: whether the point is within the radius (meters, boundary included) of the center; null for an invalid coordinate or a negative radius.", "geo_point_in_circle(lon, lat, -122.3, 47.6, 18000)"),
    f("geo_point_to_geohash", Arity::range(2, 3), point_to_cell_rt, "`geo_point_to_geohash(lon, lat[, accuracy])`: the geohash of the point, accuracy 1 to 18 characters (default 5); the empty string for an invalid coordinate or accuracy.", "geo_point_to_geohash(lon, lat, 6)"),
    f("geo_geohash_to_central_point", Arity::exact(1), cell_to_dyn_rt, "The center of a geohash cell as a GeoJSON point; null for an invalid geohash.", "geo_geohash_to_central_point(\"sunny\")"),
    f("geo_geohash_to_polygon", Arity::exact(1), cell_to_dyn_rt, "A geohash cell as a GeoJSON polygon (its corners, counter-clockwise from south-west, closed); null for an invalid geohash.", "geo_geohash_to_polygon(\"dr5ru\")"),
    f("geo_geohash_neighbors", Arity::exact(1), cell_to_dyn_rt, "The (up to) eight geohash cells around a cell, of its accuracy, in Kusto's order (south-west, north-west, south-east, north, west, north-east, east, south; none past a pole); null for an invalid geohash.", "geo_geohash_neighbors(\"sunny\")"),
    f("geo_point_to_h3cell", Arity::range(2, 3), point_to_cell_rt, "`geo_point_to_h3cell(lon, lat[, resolution])`: the H3 cell token holding the point, resolution 0 to 15 (default 6); the empty string for an invalid coordinate or resolution.", "geo_point_to_h3cell(lon, lat, 8)"),
    f("geo_h3cell_to_central_point", Arity::exact(1), cell_to_dyn_rt, "The center of an H3 cell as a GeoJSON point; null for an invalid token.", "geo_h3cell_to_central_point(\"862a1072fffffff\")"),
    f("geo_h3cell_to_polygon", Arity::exact(1), cell_to_dyn_rt, "An H3 cell's boundary as a GeoJSON polygon (closed); null for an invalid token.", "geo_h3cell_to_polygon(\"862a1072fffffff\")"),
    f("geo_h3cell_parent", Arity::range(1, 2), cell_to_cell_rt, "`geo_h3cell_parent(cell[, resolution])`: the parent cell at that resolution (default: one coarser); the empty string for an invalid token or a resolution finer than the cell's.", "geo_h3cell_parent(\"862a1072fffffff\", 3)"),
    f("geo_h3cell_children", Arity::range(1, 2), cell_int_to_dyn_rt, "`geo_h3cell_children(cell[, resolution])`: the cells at that resolution (default: one finer) within the cell, at most five levels finer; null otherwise or for an invalid token.", "geo_h3cell_children(\"862a1072fffffff\")"),
    f("geo_h3cell_neighbors", Arity::exact(1), cell_to_dyn_rt, "The H3 cells around a cell (six, five for a pentagon), in H3's ring order; null for an invalid token.", "geo_h3cell_neighbors(\"862a1072fffffff\")"),
    f("geo_h3cell_level", Arity::exact(1), cell_level_rt, "The resolution (0 to 15) of an H3 cell token; null for an invalid token.", "geo_h3cell_level(\"862a1072fffffff\")"),
    f("geo_point_to_s2cell", Arity::range(2, 3), point_to_cell_rt, "`geo_point_to_s2cell(lon, lat[, level])`: the S2 cell token holding the point, level 0 to 30 (default 11, cells of about 5 km); the empty string for an invalid coordinate or level.", "geo_point_to_s2cell(lon, lat, 8)"),
    f("geo_s2cell_to_central_point", Arity::exact(1), cell_to_dyn_rt, "The center of an S2 cell as a GeoJSON point; null for an invalid token.", "geo_s2cell_to_central_point(\"89c259\")"),
    f("geo_s2cell_to_polygon", Arity::exact(1), cell_to_dyn_rt, "An S2 cell's four corners as a GeoJSON polygon (counter-clockwise, closed); null for an invalid token.", "geo_s2cell_to_polygon(\"89c259\")"),
    f("geo_s2cell_neighbors", Arity::exact(1), cell_to_dyn_rt, "The eight S2 cells around a cell, of its level, in S2's order (Kusto lists the same eight in another order); null for an invalid token.", "geo_s2cell_neighbors(\"89c259\")"),
    f("geo_h3cell_rings", Arity::exact(2), cell_int_to_dyn_rt, "`geo_h3cell_rings(cell, distance)`: an array of rings, the i-th the cells i steps from the cell (the 0th the cell itself), distance 0 to 142; null otherwise or for an invalid token.", "geo_h3cell_rings(\"861f8894fffffff\", 2)"),
];
