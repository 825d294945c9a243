//! Series: dynamic arrays of numbers, as `make-series` makes them.

use super::sig::sig;
use super::unaliased as f;
use super::{ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "Series",
    intro: "Functions over series, the dynamic arrays of numbers `make-series` makes (Kusto's series_* functions). Element-wise functions keep the array's length (a number as the second argument is used at every index); a null or non-numeric element gives null there. Reductions skip such elements. `series_stats(x)` and `series_fit_line(x)` in `extend`/`project` make their several columns as in Kusto (`series_stats_x_min`, …, or `(a, b) = series_stats(x)`), from the `_dynamic` forms below; so do `series_decompose(x, period)` (baseline, seasonal, trend, residual) and `series_decompose_anomalies(x, threshold, period)` (ad_flag, ad_score, baseline). The decomposition functions and `series_seasonal` need the period given (0 for none): Kusto's automatic detection (`series_periods_*`) is not here yet.",
    functions: FUNCTIONS,
};

sig!(unary_rt, "this series function", [Dyn] => Dynamic);
sig!(binary_rt, "this series function", [Any, Any] => Dynamic);
sig!(reduce_rt, "this series function", [Dyn] => Real);
sig!(pair_rt, "this series function", [Any, Any] => Real);
sig!(fill_rt, "series_fill_forward", [Dyn, Any] => Dynamic);
sig!(fill_const_rt, "series_fill_const", [Dyn, Any, Any] => Dynamic);
sig!(fill_linear_rt, "series_fill_linear", [Dyn, Any, Bool, Any] => Dynamic);
sig!(outliers_rt, "series_outliers", [Dyn, Text, Num, Num, Num] => Dynamic);
sig!(iir_rt, "series_iir", [Dyn, Dyn, Dyn] => Dynamic);
sig!(fir_rt, "series_fir", [Dyn, Dyn, Bool, Bool] => Dynamic);
sig!(seasonal_args_rt, "series_seasonal", [Dyn, Int] => Dynamic);

sig!(decompose_args_rt, "series_decompose", [Dyn, Int, Text, Int, Num] => Dynamic);
sig!(anomalies_args_rt, "series_decompose_anomalies", [Dyn, Num, Int, Text, Int, Text, Num] => Dynamic);
sig!(forecast_args_rt, "series_decompose_forecast", [Dyn, Int, Int, Text, Num] => Dynamic);

/// The period is required: Kusto's default (-1) detects it, iishunt cannot.
fn needs_period(name: &str, a: &[KType], at: usize, example: &str) -> Result<(), String> {
    if a.len() <= at {
        return Err(format!(
            "{name} needs the seasonality (the period in bins, 0 for none) as argument {}, e.g. `{example}`: iishunt does not detect periods",
            at + 1
        ));
    }
    Ok(())
}

fn decompose_rt(a: &[KType]) -> Result<KType, String> {
    needs_period("series_decompose", a, 1, "series_decompose(s, 24)")?;
    decompose_args_rt(a)
}

fn anomalies_rt(a: &[KType]) -> Result<KType, String> {
    needs_period(
        "series_decompose_anomalies",
        a,
        2,
        "series_decompose_anomalies(s, 1.5, 24)",
    )?;
    anomalies_args_rt(a)
}

fn forecast_rt(a: &[KType]) -> Result<KType, String> {
    needs_period(
        "series_decompose_forecast",
        a,
        2,
        "series_decompose_forecast(s, 24, 24)",
    )?;
    forecast_args_rt(a)
}

/// Kusto's one-argument form detects the period; iishunt asks for it.
fn seasonal_rt(a: &[KType]) -> Result<KType, String> {
    if a.len() < 2 {
        return Err("series_seasonal needs the period as its second argument, e.g. `series_seasonal(s, 24)`: iishunt does not detect periods".into());
    }
    seasonal_args_rt(a)
}

const ONE: Arity = Arity::exact(1);
const TWO: Arity = Arity::exact(2);

pub(super) const FUNCTIONS: &[ScalarFunction] = &[
    f("series_abs", ONE, unary_rt, "Absolute value of each element (whole numbers stay whole).", "series_abs(s)"),
    f("series_sign", ONE, unary_rt, "-1, 0 or 1 for each element.", "series_sign(s)"),
    f("series_ceiling", ONE, unary_rt, "Each element rounded up.", "series_ceiling(s)"),
    f("series_floor", ONE, unary_rt, "Each element rounded down.", "series_floor(s)"),
    f("series_exp", ONE, unary_rt, "e to the power of each element (real).", "series_exp(s)"),
    f("series_log", ONE, unary_rt, "Natural logarithm of each element (real).", "series_log(s)"),
    f("series_sin", ONE, unary_rt, "Sine of each element (radians).", "series_sin(s)"),
    f("series_cos", ONE, unary_rt, "Cosine of each element (radians).", "series_cos(s)"),
    f("series_tan", ONE, unary_rt, "Tangent of each element (radians).", "series_tan(s)"),
    f("series_asin", ONE, unary_rt, "Arcsine of each element.", "series_asin(s)"),
    f("series_acos", ONE, unary_rt, "Arccosine of each element.", "series_acos(s)"),
    f("series_atan", ONE, unary_rt, "Arctangent of each element.", "series_atan(s)"),
    f("series_add", TWO, binary_rt, "Element-wise sum; whole numbers stay whole.", "series_add(requests, retries)"),
    f("series_subtract", TWO, binary_rt, "Element-wise difference; whole numbers stay whole.", "series_subtract(s1, s2)"),
    f("series_multiply", TWO, binary_rt, "Element-wise product; whole numbers stay whole.", "series_multiply(s, 100)"),
    f("series_divide", TWO, binary_rt, "Element-wise quotient (real).", "series_divide(errors, requests)"),
    f("series_pow", TWO, binary_rt, "Each element of the first to the power of the second (real).", "series_pow(s, 2)"),
    f("series_equals", TWO, binary_rt, "Element-wise `==`, as bools.", "series_equals(s1, s2)"),
    f("series_not_equals", TWO, binary_rt, "Element-wise `!=`, as bools.", "series_not_equals(s1, s2)"),
    f("series_greater", TWO, binary_rt, "Element-wise `>`, as bools.", "series_greater(s, 100)"),
    f("series_greater_equals", TWO, binary_rt, "Element-wise `>=`, as bools.", "series_greater_equals(s, 100)"),
    f("series_less", TWO, binary_rt, "Element-wise `<`, as bools.", "series_less(s, 100)"),
    f("series_less_equals", TWO, binary_rt, "Element-wise `<=`, as bools.", "series_less_equals(s, 100)"),
    f("series_sum", ONE, reduce_rt, "Sum of the numeric elements.", "series_sum(s)"),
    f("series_product", ONE, reduce_rt, "Product of the numeric elements.", "series_product(s)"),
    f("series_dot_product", TWO, pair_rt, "Sum of the products of elements at the same index.", "series_dot_product(s1, s2)"),
    f("series_cosine_similarity", TWO, pair_rt, "Cosine of the angle between two series as vectors.", "series_cosine_similarity(s1, s2)"),
    f("series_pearson_correlation", TWO, pair_rt, "Pearson correlation coefficient of two series.", "series_pearson_correlation(s1, s2)"),
    f("series_stats_dynamic", Arity::range(1, 2), unary_rt, "A bag of min, min_idx, max, max_idx, avg, stdev and variance (sample), sum and len of the finite elements.", "series_stats_dynamic(s).max"),
    f("series_fit_line_dynamic", ONE, unary_rt, "The least-squares line over x = 1..n as a bag: rsquare, slope, variance, rvariance, interception, line_fit.", "series_fit_line_dynamic(s).slope"),
    f("series_outliers", Arity::range(1, 5), outliers_rt, "Tukey's fences: with the low and high percentiles L and H (10/90 for kind \"ctukey\", the default, or as given; 25/75 for \"tukey\"), a value above H scores (x - H) / (H - L), below L (x - L) / (H - L), else 0; beyond ±1.5 is an outlier. Kusto documents the fences but not its percentile method: here linear interpolation between ranks.", "series_outliers(requests)"),
    f("series_fill_forward", Arity::range(1, 2), fill_rt, "Missing elements (null, or equal to the placeholder) take the last known value before them.", "series_fill_forward(s, 0)"),
    f("series_fill_backward", Arity::range(1, 2), fill_rt, "Missing elements take the next known value after them.", "series_fill_backward(s)"),
    f("series_fill_const", Arity::range(2, 3), fill_const_rt, "Missing elements take the constant.", "series_fill_const(s, 0, -1)"),
    f("series_fill_linear", Arity::range(1, 4), fill_linear_rt, "Missing elements are interpolated linearly; the edges take the nearest value unless fill_edges is false; an array of whole numbers stays whole (rounded); an all-missing array takes constant_value (0).", "series_fill_linear(s, double(null), true)"),
    f("series_decompose_dynamic", Arity::range(1, 5), decompose_rt, "`series_decompose_dynamic(x, seasonality[, trend[, test_points[, threshold]]])` (what `series_decompose` columns are made of): a bag of baseline, seasonal, trend and residual. Seasonal: at each index the median of the values at the same phase of the period (0: none); trend fitted to the series less its seasonal part: \"avg\" (the default) its mean, \"linefit\" a least-squares line, \"none\"; baseline = seasonal + trend; residual = x - baseline. The last test_points are left out of the fit. The seasonality threshold is accepted and unused (it tunes period detection).", "series_decompose_dynamic(requests, 24).residual"),
    f("series_decompose_anomalies_dynamic", Arity::range(1, 7), anomalies_rt, "`series_decompose_anomalies_dynamic(x, threshold, seasonality[, trend[, test_points[, ad_method[, threshold]]]])` (what `series_decompose_anomalies` columns are made of): a bag of ad_flag (1 above +threshold, -1 below -threshold, else 0), ad_score and baseline: the decomposition above (trend \"linefit\" by default) and Tukey's fences on its residual as `series_outliers` scores them (\"ctukey\", the default: 10th/90th percentiles; \"tukey\": 25th/75th).", "series_decompose_anomalies_dynamic(requests, 1.5, 24).ad_flag"),
    f("series_decompose_forecast", Arity::range(1, 5), forecast_rt, "`series_decompose_forecast(x, points, seasonality[, trend[, threshold]])`: the decomposition's baseline fitted to all but the last `points` elements (trend \"linefit\" by default) and extended over them: append empty bins with make-series to forecast.", "series_decompose_forecast(requests, 24, 24)"),
    f("series_iir", Arity::exact(3), iir_rt, "`series_iir(x, numerators, denominators)`: the infinite impulse response filter y[n] = (Σ b[k]·x[n-k] - Σ_{k≥1} a[k]·y[n-k]) / a[0] (a null element read as 0); `series_iir(x, dynamic([1]), dynamic([1, -1]))` is the running sum.", "series_iir(requests, dynamic([1]), dynamic([1, -1]))"),
    f("series_fir", Arity::range(2, 4), fir_rt, "`series_fir(x, filter[, normalize[, center]])`: the finite impulse response filter y[n] = Σ f[k]·x[n-k] (values outside the series and null elements read as 0), divided by Σ f when normalize (true) and Σ f ≠ 0; center (false) puts the filter's middle coefficient on n.", "series_fir(requests, dynamic([1, 1, 1, 1, 1]))"),
    f("series_seasonal", Arity::range(1, 2), seasonal_rt, "`series_seasonal(series, period)`: the seasonal component, at each index the median of the values at the same phase (index mod period); 0 everywhere for period 0. The period must be given: Kusto's automatic detection (-1, its default) is refused.", "series_seasonal(requests, 24)"),
];
