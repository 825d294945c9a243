//! Special functions (gamma, erf, the beta distribution), bit counts, the
//! Jaccard index and unit conversions.

use super::sig::sig;
use super::unaliased as f;
use super::{ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "Special functions and units",
    intro: "Gamma, the error function and the beta distribution; bit counts; set similarity; and Kusto's `convert_*`, which take a value and two unit names (as Kusto spells them, compared case-insensitively) and give null for a unit they do not know.",
    functions: FUNCTIONS,
};

sig!(real1_rt, "this function", [Num] => Real);
sig!(beta_rt, "this beta function", [Num, Num, Num] => Real);
sig!(bits_rt, "bitset_count_ones", [Int] => Long);
sig!(jaccard_rt, "jaccard_index", [Dyn, Dyn] => Real);
sig!(convert_rt, "this convert function", [Num, Text, Text] => Real);

const THREE: Arity = Arity::exact(3);

pub(super) const FUNCTIONS: &[ScalarFunction] = &[
    f("gamma", Arity::exact(1), real1_rt, "The gamma function (gamma(n) = (n-1)! for whole n).", "gamma(5)"),
    f("loggamma", Arity::exact(1), real1_rt, "The natural logarithm of the absolute value of gamma.", "loggamma(100)"),
    f("erf", Arity::exact(1), real1_rt, "The error function.", "erf(1)"),
    f("erfc", Arity::exact(1), real1_rt, "The complementary error function, 1 - erf(x).", "erfc(1)"),
    f("beta_pdf", THREE, beta_rt, "`beta_pdf(x, alpha, beta)`: the beta distribution's density; NaN outside 0 ≤ x ≤ 1 or for shapes ≤ 0.", "beta_pdf(0.5, 10, 20)"),
    f("beta_cdf", THREE, beta_rt, "`beta_cdf(x, alpha, beta)`: the regularised incomplete beta function; NaN outside 0 ≤ x ≤ 1 or for shapes ≤ 0.", "beta_cdf(0.9, 10, 20)"),
    f("beta_inv", THREE, beta_rt, "`beta_inv(p, alpha, beta)`: the x whose beta_cdf is p; null outside 0 ≤ p ≤ 1, NaN for shapes ≤ 0.", "beta_inv(0.1, 10, 20)"),
    f("bitset_count_ones", Arity::exact(1), bits_rt, "The number of bits set in the integer (of 32 for an int, 64 for a long).", "bitset_count_ones(42)"),
    f("jaccard_index", Arity::exact(2), jaccard_rt, "`jaccard_index(a, b)`: |a ∩ b| / |a ∪ b| over the distinct elements of two arrays (0 for two empty ones).", "jaccard_index(make_set(cIP), dynamic([\"203.0.113.7\"]))"),
    f("convert_angle", THREE, convert_rt, "Angles: Radian, Degree, Arcminute, Arcsecond, Gradian, Revolution, NatoMil, and milli-, micro-, nano-, centi-, deci-radians and milli-, micro-, nano-degrees.", "convert_angle(1.2, \"Degree\", \"Arcminute\")"),
    f("convert_energy", THREE, convert_rt, "Energy: Joule (milli- to tera-), Calorie, Kilocalorie, BritishThermalUnit (and kilo-, mega-), ElectronVolt (and kilo-, mega-), Erg, FootPound, WattHour (kilo- to giga-), WattDay, KilowattDay, ThermEc, ThermUs.", "convert_energy(1.2, \"Joule\", \"BritishThermalUnit\")"),
    f("convert_force", THREE, convert_rt, "Force: Newton (nano- to mega-, Decanewton), Dyn, KilogramForce, KiloPond, TonneForce, PoundForce, KilopoundForce, OunceForce, ShortTonForce, Poundal.", "convert_force(1.2, \"Newton\", \"Decanewton\")"),
    f("convert_length", THREE, convert_rt, "Length: Meter (nano- to kilo-), Inch, Foot, Yard, Mile, NauticalMile, Mil, Microinch, Fathom, Chain, Hand, UsSurveyFoot, AstronomicalUnit, LightYear, Parsec.", "convert_length(1.2, \"Meter\", \"Foot\")"),
    f("convert_mass", THREE, convert_rt, "Mass: Gram (nano- to kilo-), Tonne (and kilo-, mega-), Pound (and kilo-, mega-), Ounce, Stone, ShortTon, LongTon, Grain, Slug, Short- and LongHundredweight.", "convert_mass(1.2, \"Kilogram\", \"Pound\")"),
    f("convert_speed", THREE, convert_rt, "Speed: {Meter, Kilometer, Centimeter, Millimeter, Foot, Inch, Yard}Per{Second, Minute, Hour}, MilePerHour, Knot.", "convert_speed(1.2, \"MeterPerSecond\", \"KilometerPerHour\")"),
    f("convert_temperature", THREE, convert_rt, "Temperature: Kelvin, DegreeCelsius, MillidegreeCelsius, DegreeFahrenheit, DegreeRankine, DegreeDelisle, DegreeNewton, DegreeReaumur, DegreeRoemer, SolarTemperature.", "convert_temperature(1.2, \"Kelvin\", \"DegreeCelsius\")"),
    f("convert_volume", THREE, convert_rt, "Volume: CubicMeter and cubic kilo-, deci-, centi-, millimeters, Liter (micro- to kilo-), CubicInch, CubicFoot, CubicYard, CubicMile, AcreFoot, Us- and Imperial- Gallon, Quart, Pint, Ounce, UsCustomaryCup, UsTablespoon, UsTeaspoon, MetricCup, MetricTeaspoon, OilBarrel.", "convert_volume(1.2, \"CubicMeter\", \"AcreFoot\")"),
];
