//! Special functions and unit conversions: gamma and its logarithm, the
//! error function, the beta distribution (pdf, cdf by the continued
//! fraction of the regularised incomplete beta function, inverse by
//! bisection), bit counts, Jaccard similarity of two arrays, and Kusto's
//! `convert_*` between units of one quantity.

use std::sync::Arc;

use arrow::array::*;
use serde_json::Value;

use super::args;
use super::dynamic::json;
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("gamma", |a, c| real1(a, c, libm::tgamma)),
    ("loggamma", |a, c| real1(a, c, libm::lgamma)),
    ("erf", |a, c| real1(a, c, libm::erf)),
    ("erfc", |a, c| real1(a, c, libm::erfc)),
    ("beta_pdf", |a, c| real3(a, c, beta_pdf)),
    ("beta_cdf", |a, c| real3(a, c, beta_cdf)),
    ("beta_inv", |a, c| real3(a, c, beta_inv)),
    ("bitset_count_ones", bitset_count_ones),
    ("jaccard_index", jaccard_index),
    ("convert_angle", |a, c| convert(a, c, ANGLE)),
    ("convert_energy", |a, c| convert(a, c, ENERGY)),
    ("convert_force", |a, c| convert(a, c, FORCE)),
    ("convert_length", |a, c| convert(a, c, LENGTH)),
    ("convert_mass", |a, c| convert(a, c, MASS)),
    ("convert_speed", |a, c| convert(a, c, SPEED)),
    ("convert_temperature", convert_temperature),
    ("convert_volume", |a, c| convert(a, c, VOLUME)),
];

fn real1(args: &[Datum], ctx: &KernelContext, f: fn(f64) -> f64) -> Result<ArrayRef> {
    let x = args::real(args, ctx, 0)?;
    let out: Float64Array = (0..ctx.rows).map(|i| x.get(i).map(f)).collect();
    Ok(Arc::new(out))
}

fn real3(
    args: &[Datum],
    ctx: &KernelContext,
    f: fn(f64, f64, f64) -> Option<f64>,
) -> Result<ArrayRef> {
    let (x, a, b) = (
        args::real(args, ctx, 0)?,
        args::real(args, ctx, 1)?,
        args::real(args, ctx, 2)?,
    );
    let out: Float64Array = (0..ctx.rows)
        .map(|i| f(x.get(i)?, a.get(i)?, b.get(i)?))
        .collect();
    Ok(Arc::new(out))
}

fn ln_beta(a: f64, b: f64) -> f64 {
    libm::lgamma(a) + libm::lgamma(b) - libm::lgamma(a + b)
}

fn bad_shape(a: f64, b: f64) -> bool {
    !(a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite())
}

/// The beta density; NaN outside 0 ≤ x ≤ 1 or for shapes ≤ 0.
fn beta_pdf(x: f64, a: f64, b: f64) -> Option<f64> {
    if bad_shape(a, b) || !(0.0..=1.0).contains(&x) {
        return Some(f64::NAN);
    }
    Some(((a - 1.0) * x.ln() + (b - 1.0) * (1.0 - x).ln() - ln_beta(a, b)).exp())
}

/// The regularised incomplete beta function I_x(a, b); NaN as `beta_pdf`.
fn beta_cdf(x: f64, a: f64, b: f64) -> Option<f64> {
    if bad_shape(a, b) || !(0.0..=1.0).contains(&x) {
        return Some(f64::NAN);
    }
    if x == 0.0 || x == 1.0 {
        return Some(x);
    }
    let front = (a * x.ln() + b * (1.0 - x).ln() - ln_beta(a, b)).exp();
    // The continued fraction converges fast for x < (a + 1) / (a + b + 2);
    // beyond, use the symmetry I_x(a, b) = 1 - I_(1-x)(b, a).
    Some(if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(x, a, b) / a
    } else {
        1.0 - front * beta_fraction(1.0 - x, b, a) / b
    })
}

/// Lentz's evaluation of the continued fraction for I_x(a, b).
fn beta_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut c = 1.0;
    let mut d = 1.0 - (a + b) * x / (a + 1.0);
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..500 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        for num in [
            m * (b - m) * x / ((a + m2 - 1.0) * (a + m2)),
            -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0)),
        ] {
            d = 1.0 + num * d;
            if d.abs() < TINY {
                d = TINY;
            }
            c = 1.0 + num / c;
            if c.abs() < TINY {
                c = TINY;
            }
            d = 1.0 / d;
            h *= d * c;
        }
        if (d * c - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// The x with I_x(a, b) = p; null outside 0 ≤ p ≤ 1, NaN for shapes ≤ 0.
fn beta_inv(p: f64, a: f64, b: f64) -> Option<f64> {
    if !(0.0..=1.0).contains(&p) {
        return None;
    }
    if bad_shape(a, b) {
        return Some(f64::NAN);
    }
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if beta_cdf(mid, a, b)? < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}

/// Set bits of the integer (of its 32 bits for an int, else 64).
fn bitset_count_ones(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let v = args::long(args, ctx, 0)?;
    let int = args::arg_type(ctx, 0) == iishunt_plan::types::KType::Int;
    let out: Int64Array = (0..ctx.rows)
        .map(|i| {
            v.get(i).map(|n| {
                i64::from(if int {
                    (n as i32).count_ones()
                } else {
                    n.count_ones()
                })
            })
        })
        .collect();
    Ok(Arc::new(out))
}

/// |A ∩ B| / |A ∪ B| over the distinct elements of two arrays; null when
/// either is not an array, 0 for two empty arrays.
fn jaccard_index(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let (a, b) = (json(args, ctx, 0, true)?, json(args, ctx, 1, true)?);
    let out: Float64Array = (0..ctx.rows)
        .map(|i| {
            let (Value::Array(x), Value::Array(y)) = (a.get(i), b.get(i)) else {
                return None;
            };
            let key = |v: &Value| v.to_string();
            let x: std::collections::HashSet<String> = x.iter().map(key).collect();
            let y: std::collections::HashSet<String> = y.iter().map(key).collect();
            let union = x.union(&y).count();
            let both = x.intersection(&y).count();
            Some(if union == 0 {
                0.0
            } else {
                both as f64 / union as f64
            })
        })
        .collect();
    Ok(Arc::new(out))
}

/// A unit of a quantity: its names and how many base units one of it is.
type Units = &'static [(&'static [&'static str], f64)];

/// `convert_X(value, from, to)`: the value in `to` units; null when either
/// unit is not one of the quantity's (names compare case-insensitively).
fn convert(args: &[Datum], ctx: &KernelContext, units: Units) -> Result<ArrayRef> {
    let v = args::real(args, ctx, 0)?;
    let (from, to) = (args::text(args, ctx, 1)?, args::text(args, ctx, 2)?);
    let factor = |name: &str| {
        units
            .iter()
            .find(|(names, _)| names.iter().any(|n| n.eq_ignore_ascii_case(name.trim())))
            .map(|(_, f)| *f)
    };
    let out: Float64Array = (0..ctx.rows)
        .map(|i| {
            let (f, t) = (factor(from.get(i))?, factor(to.get(i))?);
            Some(v.get(i)? * f / t)
        })
        .collect();
    Ok(Arc::new(out))
}

/// Temperatures: to kelvin and back, each scale an offset and a factor.
fn convert_temperature(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    // (names, kelvin per degree, kelvin at the scale's zero, sign)
    const SCALES: &[(&[&str], f64, f64, f64)] = &[
        (&["Kelvin"], 1.0, 0.0, 1.0),
        (&["DegreeCelsius"], 1.0, 273.15, 1.0),
        (&["MillidegreeCelsius"], 0.001, 273.15, 1.0),
        (&["DegreeFahrenheit"], 5.0 / 9.0, 459.67 * 5.0 / 9.0, 1.0),
        (&["DegreeRankine"], 5.0 / 9.0, 0.0, 1.0),
        (&["DegreeDelisle"], 2.0 / 3.0, 373.15, -1.0),
        (&["DegreeNewton"], 100.0 / 33.0, 273.15, 1.0),
        (&["DegreeReaumur"], 1.25, 273.15, 1.0),
        (
            &["DegreeRoemer"],
            40.0 / 21.0,
            273.15 - 7.5 * 40.0 / 21.0,
            1.0,
        ),
        (&["SolarTemperature"], 5778.0, 0.0, 1.0),
    ];
    let v = args::real(args, ctx, 0)?;
    let (from, to) = (args::text(args, ctx, 1)?, args::text(args, ctx, 2)?);
    let scale = |name: &str| {
        SCALES
            .iter()
            .find(|(names, ..)| names.iter().any(|n| n.eq_ignore_ascii_case(name.trim())))
            .map(|&(_, k, z, s)| (k, z, s))
    };
    let out: Float64Array = (0..ctx.rows)
        .map(|i| {
            let (fk, fz, fs) = scale(from.get(i))?;
            let (tk, tz, ts) = scale(to.get(i))?;
            let kelvin = fz + fs * v.get(i)? * fk;
            Some((kelvin - tz) * ts / tk)
        })
        .collect();
    Ok(Arc::new(out))
}

const ANGLE: Units = &[
    (&["Radian"], 1.0),
    (&["Degree"], std::f64::consts::PI / 180.0),
    (&["Arcminute"], std::f64::consts::PI / 10_800.0),
    (&["Arcsecond"], std::f64::consts::PI / 648_000.0),
    (&["Gradian"], std::f64::consts::PI / 200.0),
    (&["Revolution"], 2.0 * std::f64::consts::PI),
    (&["Milliradian"], 1e-3),
    (&["Microradian"], 1e-6),
    (&["Nanoradian"], 1e-9),
    (&["Centiradian"], 1e-2),
    (&["Deciradian"], 1e-1),
    (&["Millidegree"], std::f64::consts::PI / 180.0 * 1e-3),
    (&["Microdegree"], std::f64::consts::PI / 180.0 * 1e-6),
    (&["Nanodegree"], std::f64::consts::PI / 180.0 * 1e-9),
    (&["NatoMil"], std::f64::consts::PI / 3200.0),
];

const ENERGY: Units = &[
    (&["Joule"], 1.0),
    (&["Millijoule"], 1e-3),
    (&["Kilojoule"], 1e3),
    (&["Megajoule"], 1e6),
    (&["Gigajoule"], 1e9),
    (&["Terajoule"], 1e12),
    (&["Calorie"], 4.184),
    (&["Kilocalorie"], 4184.0),
    (&["BritishThermalUnit"], 1055.05585262),
    (&["KilobritishThermalUnit"], 1055.05585262e3),
    (&["MegabritishThermalUnit"], 1055.05585262e6),
    (&["ElectronVolt"], 1.602176634e-19),
    (&["KiloelectronVolt"], 1.602176634e-16),
    (&["MegaelectronVolt"], 1.602176634e-13),
    (&["Erg"], 1e-7),
    (&["FootPound"], 1.355817948),
    (&["WattHour"], 3600.0),
    (&["KilowattHour"], 3.6e6),
    (&["MegawattHour"], 3.6e9),
    (&["GigawattHour"], 3.6e12),
    (&["WattDay"], 86_400.0),
    (&["KilowattDay"], 86_400e3),
    (&["ThermEc"], 1.05505585262e8),
    (&["ThermUs"], 1.054804e8),
];

const FORCE: Units = &[
    (&["Newton"], 1.0),
    (&["Decanewton"], 10.0),
    (&["Kilonewton"], 1e3),
    (&["Meganewton"], 1e6),
    (&["Millinewton"], 1e-3),
    (&["Micronewton"], 1e-6),
    (&["Nanonewton"], 1e-9),
    (&["Dyn", "Dyne"], 1e-5),
    (&["KilogramForce"], 9.80665),
    (&["TonneForce"], 9806.65),
    (&["KiloPond", "Kilopond"], 9.80665),
    (&["PoundForce"], 4.4482216152605),
    (&["KilopoundForce"], 4448.2216152605),
    (&["OunceForce"], 0.278_013_850_953_781_2),
    (&["ShortTonForce"], 8896.443230521),
    (&["Poundal"], 0.138254954376),
];

const LENGTH: Units = &[
    (&["Meter"], 1.0),
    (&["Kilometer"], 1e3),
    (&["Hectometer"], 1e2),
    (&["Decameter"], 10.0),
    (&["Decimeter"], 0.1),
    (&["Centimeter"], 1e-2),
    (&["Millimeter"], 1e-3),
    (&["Micrometer"], 1e-6),
    (&["Nanometer"], 1e-9),
    (&["Inch"], 0.0254),
    (&["Foot"], 0.3048),
    (&["Yard"], 0.9144),
    (&["Mile"], 1609.344),
    (&["NauticalMile"], 1852.0),
    (&["Mil"], 2.54e-5),
    (&["Microinch"], 2.54e-8),
    (&["Fathom"], 1.8288),
    (&["Chain"], 20.1168),
    (&["Hand"], 0.1016),
    (&["UsSurveyFoot"], 1200.0 / 3937.0),
    (&["AstronomicalUnit"], 1.495978707e11),
    (&["LightYear"], 9.46073047258e15),
    (&["Parsec"], 3.08567758128e16),
];

const MASS: Units = &[
    (&["Kilogram"], 1.0),
    (&["Gram"], 1e-3),
    (&["Hectogram"], 0.1),
    (&["Decagram"], 1e-2),
    (&["Decigram"], 1e-4),
    (&["Centigram"], 1e-5),
    (&["Milligram"], 1e-6),
    (&["Microgram"], 1e-9),
    (&["Nanogram"], 1e-12),
    (&["Tonne"], 1e3),
    (&["Kilotonne"], 1e6),
    (&["Megatonne"], 1e9),
    (&["Pound"], 0.45359237),
    (&["Kilopound"], 453.59237),
    (&["Megapound"], 453_592.37),
    (&["Ounce"], 0.028349523125),
    (&["Stone"], 6.35029318),
    (&["ShortTon"], 907.18474),
    (&["LongTon"], 1016.0469088),
    (&["Grain"], 6.479891e-5),
    (&["Slug"], 14.593902937206364),
    (&["ShortHundredweight"], 45.359237),
    (&["LongHundredweight"], 50.80234544),
];

const SPEED: Units = &[
    (&["MeterPerSecond"], 1.0),
    (&["MeterPerMinute"], 1.0 / 60.0),
    (&["MeterPerHour"], 1.0 / 3600.0),
    (&["KilometerPerSecond"], 1e3),
    (&["KilometerPerMinute"], 1e3 / 60.0),
    (&["KilometerPerHour"], 1e3 / 3600.0),
    (&["CentimeterPerSecond"], 1e-2),
    (&["CentimeterPerMinute"], 1e-2 / 60.0),
    (&["CentimeterPerHour"], 1e-2 / 3600.0),
    (&["MillimeterPerSecond"], 1e-3),
    (&["MillimeterPerMinute"], 1e-3 / 60.0),
    (&["MillimeterPerHour"], 1e-3 / 3600.0),
    (&["FootPerSecond"], 0.3048),
    (&["FootPerMinute"], 0.3048 / 60.0),
    (&["FootPerHour"], 0.3048 / 3600.0),
    (&["InchPerSecond"], 0.0254),
    (&["InchPerMinute"], 0.0254 / 60.0),
    (&["InchPerHour"], 0.0254 / 3600.0),
    (&["YardPerSecond"], 0.9144),
    (&["YardPerMinute"], 0.9144 / 60.0),
    (&["YardPerHour"], 0.9144 / 3600.0),
    (&["MilePerHour"], 0.44704),
    (&["Knot"], 1852.0 / 3600.0),
];

const VOLUME: Units = &[
    (&["CubicMeter"], 1.0),
    (&["CubicKilometer"], 1e9),
    (&["CubicDecimeter"], 1e-3),
    (&["CubicCentimeter"], 1e-6),
    (&["CubicMillimeter"], 1e-9),
    (&["Liter"], 1e-3),
    (&["Hectoliter"], 0.1),
    (&["Kiloliter"], 1.0),
    (&["Deciliter"], 1e-4),
    (&["Centiliter"], 1e-5),
    (&["Milliliter"], 1e-6),
    (&["Microliter"], 1e-9),
    (&["CubicInch"], 1.6387064e-5),
    (&["CubicFoot"], 0.028316846592),
    (&["CubicYard"], 0.764554857984),
    (&["CubicMile"], 4.168181825440579e9),
    (&["AcreFoot"], 1233.48183754752),
    (&["UsGallon"], 0.003785411784),
    (&["UsQuart"], 0.000946352946),
    (&["UsPint"], 0.000473176473),
    (&["UsOunce"], 2.95735295625e-5),
    (&["UsCustomaryCup"], 0.0002365882365),
    (&["UsTablespoon"], 1.478676478125e-5),
    (&["UsTeaspoon"], 4.92892159375e-6),
    (&["ImperialGallon"], 0.00454609),
    (&["ImperialQuart"], 0.0011365225),
    (&["ImperialPint"], 0.00056826125),
    (&["ImperialOunce"], 2.84130625e-5),
    (&["MetricCup"], 0.00025),
    (&["MetricTeaspoon"], 5e-6),
    (&["OilBarrel"], 0.158987294928),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beta_functions_agree_with_known_values() {
        // I_0.5(a, a) = 0.5 by symmetry; I_x(1, 1) = x; I_x(2, 1) = x².
        assert!((beta_cdf(0.5, 3.0, 3.0).unwrap() - 0.5).abs() < 1e-14);
        assert!((beta_cdf(0.3, 1.0, 1.0).unwrap() - 0.3).abs() < 1e-14);
        assert!((beta_cdf(0.3, 2.0, 1.0).unwrap() - 0.09).abs() < 1e-14);
        assert!((beta_inv(0.09, 2.0, 1.0).unwrap() - 0.3).abs() < 1e-12);
        // pdf of Beta(2, 2) is 6x(1-x).
        assert!((beta_pdf(0.25, 2.0, 2.0).unwrap() - 1.125).abs() < 1e-12);
        assert!(beta_cdf(1.5, 2.0, 2.0).unwrap().is_nan());
        assert_eq!(beta_inv(1.5, 2.0, 2.0), None);
    }
}
