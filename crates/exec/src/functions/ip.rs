//! IPv4 functions over text addresses: parsing with an optional `/prefix`,
//! range tests, comparison, the RFC 1918 private ranges. Invalid text gives
//! null. The ES|QL `cidr_match`/`ip_prefix` (IPv4 and IPv6) live in esql.rs
//! and reuse `parse_ip_net`.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use arrow::array::*;
use iishunt_plan::types::ScalarValue;
use serde_json::Value;

use super::args::{self, strings};
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("ipv4_is_private", is_private),
    ("ipv4_is_in_range", in_range),
    ("ipv4_is_in_any_range", in_any_range),
    ("ipv4_is_match", |a, c| compare(a, c, true)),
    ("ipv4_compare", |a, c| compare(a, c, false)),
    ("parse_ipv4", parse_ipv4),
    ("parse_ipv4_mask", parse_ipv4_mask),
    ("format_ipv4", |a, c| format_ipv4(a, c, false)),
    ("format_ipv4_mask", |a, c| format_ipv4(a, c, true)),
    ("ipv6_compare", |a, c| compare_v6(a, c, false)),
    ("ipv6_is_match", |a, c| compare_v6(a, c, true)),
    ("ipv6_is_in_range", |a, c| compare_v6(a, c, true)),
    ("ipv6_is_in_any_range", ipv6_in_any_range),
    ("parse_ipv6", |a, c| parse_ipv6(a, c, false)),
    ("parse_ipv6_mask", |a, c| parse_ipv6(a, c, true)),
    ("ipv4_netmask_suffix", netmask_suffix),
    ("ipv4_range_to_cidr_list", range_to_cidr_list),
];

/// An IPv4 address with its prefix (32 when absent).
pub(crate) fn parse_v4(s: &str) -> Option<(u32, u32)> {
    let t = s.trim();
    let (addr, prefix) = match t.split_once('/') {
        Some((a, p)) => (a, p.trim().parse::<u32>().ok().filter(|p| *p <= 32)?),
        None => (t, 32),
    };
    let ip: Ipv4Addr = addr.trim().parse().ok()?;
    Some((u32::from(ip), prefix))
}

pub(crate) fn mask(prefix: u32) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix.min(32))
    }
}

/// An address (v4 or v6, zone id dropped) and prefix from `a.b.c.d/n` or `x::y/n` text.
pub(crate) fn parse_ip_net(s: &str) -> Option<(IpAddr, u32)> {
    let t = s.trim();
    let (addr, prefix) = match t.split_once('/') {
        Some((a, p)) => (a, Some(p.trim().parse::<u32>().ok()?)),
        None => (t, None),
    };
    let addr = addr.split('%').next().unwrap_or(addr);
    let ip: IpAddr = addr.trim_matches(|c| c == '[' || c == ']').parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let p = prefix.unwrap_or(max);
    (p <= max).then_some((ip, p))
}

/// Whether `ip` lies in `net/prefix` (same family).
pub(crate) fn in_net(ip: IpAddr, net: IpAddr, prefix: u32) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let m = mask(prefix);
            u32::from(a) & m == u32::from(b) & m
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let m = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - prefix.min(128))
            };
            u128::from(a) & m == u128::from(b) & m
        }
        // An IPv4-mapped IPv6 address against an IPv4 range.
        (IpAddr::V6(a), IpAddr::V4(_)) => a
            .to_ipv4_mapped()
            .is_some_and(|v4| in_net(IpAddr::V4(v4), net, prefix)),
        _ => false,
    }
}

fn is_private(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let out: BooleanArray = (0..ctx.rows)
        .map(|i| {
            let (ip, _) = parse_v4(t.get(i))?;
            Some(ip >> 24 == 10 || ip >> 20 == (172 << 4 | 1) || ip >> 16 == (192 << 8 | 168))
        })
        .collect();
    Ok(Arc::new(out))
}

fn in_range(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let ip = args::text(args, ctx, 0)?;
    let range = args::text(args, ctx, 1)?;
    let fixed = range.scalar().and_then(parse_v4);
    let out: BooleanArray = (0..ctx.rows)
        .map(|i| {
            let (a, _) = parse_v4(ip.get(i))?;
            let (net, p) = match fixed {
                Some(r) => r,
                None => parse_v4(range.get(i))?,
            };
            Some(a & mask(p) == net & mask(p))
        })
        .collect();
    Ok(Arc::new(out))
}

fn in_any_range(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let ip = args::text(args, ctx, 0)?;
    let mut ranges = Vec::new();
    for d in &args[1..] {
        match d {
            Datum::Scalar(ScalarValue::Dynamic(Value::Array(items))) => {
                ranges.extend(items.iter().filter_map(Value::as_str).filter_map(parse_v4))
            }
            Datum::Scalar(v) => ranges.extend(
                super::conversion::scalar_text(v)
                    .as_deref()
                    .and_then(parse_v4),
            ),
            Datum::Array(_) => {}
        }
    }
    let out: BooleanArray = (0..ctx.rows)
        .map(|i| {
            let (a, _) = parse_v4(ip.get(i))?;
            Some(ranges.iter().any(|(net, p)| a & mask(*p) == net & mask(*p)))
        })
        .collect();
    Ok(Arc::new(out))
}

fn compare(args: &[Datum], ctx: &KernelContext, is_match: bool) -> Result<ArrayRef> {
    let a = args::text(args, ctx, 0)?;
    let b = args::text(args, ctx, 1)?;
    let p = if args.len() > 2 {
        Some(args::long(args, ctx, 2)?)
    } else {
        None
    };
    let cmp = |i: usize| -> Option<std::cmp::Ordering> {
        let (x, px) = parse_v4(a.get(i))?;
        let (y, py) = parse_v4(b.get(i))?;
        let prefix = match &p {
            // The CIDR prefixes count too: ipv4_compare("192.168.1.1/24",
            // "192.168.1.255", 31) compares 24 bits (ipv4-compare-function.md).
            Some(p) => u32::try_from(p.get(i)?).ok()?.min(32).min(px).min(py),
            None => px.min(py),
        };
        let m = mask(prefix);
        Some((x & m).cmp(&(y & m)))
    };
    if is_match {
        let out: BooleanArray = (0..ctx.rows).map(|i| cmp(i).map(|o| o.is_eq())).collect();
        Ok(Arc::new(out))
    } else {
        let out: Int64Array = (0..ctx.rows).map(|i| cmp(i).map(|o| o as i64)).collect();
        Ok(Arc::new(out))
    }
}

/// An address as 128 bits (IPv4 as an IPv4-mapped IPv6 address) and its prefix.
pub(crate) fn parse_v6(s: &str) -> Option<(u128, u32)> {
    let (ip, p) = parse_ip_net(s)?;
    Some(match ip {
        IpAddr::V4(v4) => (u128::from(v4.to_ipv6_mapped()), p + 96),
        IpAddr::V6(v6) => (u128::from(v6), p),
    })
}

fn compare_v6(args: &[Datum], ctx: &KernelContext, is_match: bool) -> Result<ArrayRef> {
    let a = args::text(args, ctx, 0)?;
    let b = args::text(args, ctx, 1)?;
    let p = if args.len() > 2 {
        Some(args::long(args, ctx, 2)?)
    } else {
        None
    };
    let cmp = |i: usize| -> Option<std::cmp::Ordering> {
        let (x, px) = parse_v6(a.get(i))?;
        let (y, py) = parse_v6(b.get(i))?;
        let prefix = match &p {
            Some(p) => u32::try_from(p.get(i)?).ok()?.min(128).min(px).min(py),
            None => px.min(py),
        };
        let m = if prefix == 0 {
            0
        } else {
            u128::MAX << (128 - prefix)
        };
        Some((x & m).cmp(&(y & m)))
    };
    if is_match {
        let out: BooleanArray = (0..ctx.rows).map(|i| cmp(i).map(|o| o.is_eq())).collect();
        Ok(Arc::new(out))
    } else {
        let out: Int64Array = (0..ctx.rows).map(|i| cmp(i).map(|o| o as i64)).collect();
        Ok(Arc::new(out))
    }
}

/// An address as Kusto's IPv6 functions read it: IPv4 text (or IPv4-compatible
/// or -mapped IPv6 text in dotted form, `::1.2.3.4`) is the IPv4-mapped address
/// and its `/n` counts IPv4 bits (n + 96).
fn parse_v6_text(s: &str) -> Option<(u128, u32)> {
    let (ip, p) = parse_ip_net(s)?;
    let dotted = s.split('/').next().is_some_and(|a| a.contains('.'));
    Some(match ip {
        IpAddr::V4(v4) => (u128::from(v4.to_ipv6_mapped()), p + 96),
        IpAddr::V6(v6) if dotted && matches!(u128::from(v6) >> 32, 0 | 0xffff) => {
            let low = u128::from(v6) & 0xffff_ffff;
            let p = if s.contains('/') {
                (p + 96).min(128)
            } else {
                128
            };
            (0xffff_0000_0000 | low, p)
        }
        IpAddr::V6(v6) => (u128::from(v6), p),
    })
}

fn mask128(prefix: u32) -> u128 {
    if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - prefix.min(128))
    }
}

/// `parse_ipv6(ip)` and `parse_ipv6_mask(ip, prefix)`: the canonical form,
/// eight groups of four hex digits, masked to the smaller prefix.
fn parse_ipv6(args: &[Datum], ctx: &KernelContext, with_mask: bool) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let p = with_mask.then(|| args::long(args, ctx, 1)).transpose()?;
    Ok(strings(ctx.rows, ctx.rows * 39, |i, out| {
        let Some((ip, own)) = parse_v6_text(t.get(i)) else {
            return false;
        };
        let prefix = match &p {
            Some(p) => match p.get(i).and_then(|v| u32::try_from(v).ok()) {
                Some(v) if v <= 128 => v.min(own),
                _ => return false,
            },
            None => own,
        };
        let v = ip & mask128(prefix);
        for g in 0..8 {
            if g > 0 {
                out.push(':');
            }
            out.push_str(&format!("{:04x}", (v >> (112 - 16 * g)) & 0xffff));
        }
        true
    }))
}

/// `ipv6_is_in_any_range(ip, range, …)`, ranges constants or dynamic arrays.
fn ipv6_in_any_range(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let ip = args::text(args, ctx, 0)?;
    let mut ranges = Vec::new();
    for d in &args[1..] {
        match d {
            Datum::Scalar(ScalarValue::Dynamic(Value::Array(items))) => ranges.extend(
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .filter_map(parse_v6_text),
            ),
            Datum::Scalar(v) => ranges.extend(
                super::conversion::scalar_text(v)
                    .as_deref()
                    .and_then(parse_v6_text),
            ),
            Datum::Array(_) => {
                return Err(crate::error::ExecError::Unsupported(
                    "ipv6_is_in_any_range needs its ranges as constants (a literal, a `let` or a dynamic array)".into(),
                ))
            }
        }
    }
    let out: BooleanArray = (0..ctx.rows)
        .map(|i| {
            let (a, _) = parse_v6_text(ip.get(i))?;
            Some(
                ranges
                    .iter()
                    .any(|(net, p)| a & mask128(*p) == net & mask128(*p)),
            )
        })
        .collect();
    Ok(Arc::new(out))
}

/// `ipv4_netmask_suffix(ip)`: the `/n` of IPv4 text, 32 when absent.
fn netmask_suffix(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let out: Int32Array = (0..ctx.rows)
        .map(|i| parse_v4(t.get(i)).map(|(_, p)| p as i32))
        .collect();
    Ok(Arc::new(out))
}

/// `ipv4_range_to_cidr_list(start, end)`: the fewest CIDR blocks covering
/// start..=end exactly, as a dynamic array of strings; null when either is
/// not an address or start > end.
fn range_to_cidr_list(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let (a, b) = (args::text(args, ctx, 0)?, args::text(args, ctx, 1)?);
    Ok(strings(ctx.rows, 0, |i, out| {
        let (Some((lo, _)), Some((hi, _))) = (parse_v4(a.get(i)), parse_v4(b.get(i))) else {
            return false;
        };
        if lo > hi {
            return false;
        }
        let list = cidr_blocks(lo, hi)
            .into_iter()
            .map(|(ip, p)| Value::String(format!("{}/{p}", Ipv4Addr::from(ip))))
            .collect();
        out.push_str(&Value::Array(list).to_string());
        true
    }))
}

pub(crate) fn cidr_blocks(lo: u32, hi: u32) -> Vec<(u32, u32)> {
    let (mut cur, hi) = (u64::from(lo), u64::from(hi));
    let mut blocks = Vec::new();
    while cur <= hi {
        // The largest block aligned at `cur` that does not pass `hi`.
        let mut size = if cur == 0 {
            1u64 << 32
        } else {
            cur & cur.wrapping_neg()
        };
        while cur + size - 1 > hi {
            size >>= 1;
        }
        blocks.push((cur as u32, 32 - size.trailing_zeros()));
        cur += size;
    }
    blocks
}

fn parse_ipv4(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let out: Int64Array = (0..ctx.rows)
        .map(|i| parse_v4(t.get(i)).map(|(ip, p)| i64::from(ip & mask(p))))
        .collect();
    Ok(Arc::new(out))
}

fn parse_ipv4_mask(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let p = args::long(args, ctx, 1)?;
    let out: Int64Array = (0..ctx.rows)
        .map(|i| {
            let (ip, own) = parse_v4(t.get(i))?;
            let prefix = u32::try_from(p.get(i)?).ok().filter(|p| *p <= 32)?;
            Some(i64::from(ip & mask(own.min(prefix))))
        })
        .collect();
    Ok(Arc::new(out))
}

/// `format_ipv4(ip[, prefix])`, and with `with_mask` `format_ipv4_mask`,
/// which appends `/prefix` (the smaller of the given and the address's own).
fn format_ipv4(args: &[Datum], ctx: &KernelContext, with_mask: bool) -> Result<ArrayRef> {
    let numeric = args::arg_type(ctx, 0).is_numeric();
    let t = args::text(args, ctx, 0)?;
    let n = args::long(args, ctx, 0)?;
    let p = if args.len() > 1 {
        Some(args::long(args, ctx, 1)?)
    } else {
        None
    };
    Ok(strings(ctx.rows, ctx.rows * 15, |i, out| {
        let ip = if numeric {
            match n.get(i).and_then(|v| u32::try_from(v).ok()) {
                Some(v) => (v, 32),
                None => return false,
            }
        } else {
            match parse_v4(t.get(i)) {
                Some(v) => v,
                None => return false,
            }
        };
        let prefix = match &p {
            Some(p) => match p.get(i).and_then(|v| u32::try_from(v).ok()) {
                Some(v) if v <= 32 => v.min(ip.1),
                _ => return false,
            },
            None => ip.1,
        };
        out.push_str(&Ipv4Addr::from(ip.0 & mask(prefix)).to_string());
        if with_mask {
            out.push_str(&format!("/{prefix}"));
        }
        true
    }))
}

#[cfg(test)]
mod tests {
    use crate::functions::testing::*;
    use iishunt_plan::types::KType::*;

    #[test]
    fn ipv4() {
        let ips = strs(&[
            Some("10.1.2.3"),
            Some("172.20.0.1"),
            Some("8.8.8.8"),
            Some("fe80::1%3"),
            None,
        ]);
        assert_eq!(
            bools_of(&call("ipv4_is_private", &[ips.clone()], &[String])),
            vec![Some(true), Some(true), Some(false), None, None]
        );
        let out = call(
            "ipv4_is_in_range",
            &[ips.clone(), lit_str("10.0.0.0/8")],
            &[String, String],
        );
        assert_eq!(
            bools_of(&out),
            vec![Some(true), Some(false), Some(false), None, None]
        );
        let out = call(
            "ipv4_is_in_any_range",
            &[ips.clone(), lit_dyn(r#"["8.8.8.0/24","172.16.0.0/12"]"#)],
            &[String, Dynamic],
        );
        assert_eq!(
            bools_of(&out),
            vec![Some(false), Some(true), Some(true), None, None]
        );
        assert_eq!(
            longs(&call(
                "parse_ipv4",
                &[strs(&[Some("127.0.0.1"), Some("10.1.2.3/8"), Some("x")])],
                &[String]
            )),
            vec![Some(2_130_706_433), Some(167_772_160), None]
        );
        let out = call(
            "ipv4_is_match",
            &[
                lit_str("192.168.1.1"),
                lit_str("192.168.1.255"),
                lit_long(24),
            ],
            &[String, String, Long],
        );
        assert_eq!(bools_of(&out), vec![Some(true)]);
        let out = call(
            "ipv4_compare",
            &[lit_str("10.0.0.2"), lit_str("10.0.0.1")],
            &[String, String],
        );
        assert_eq!(longs(&out), vec![Some(1)]);
        let out = call(
            "format_ipv4",
            &[lit_long(3_232_235_777), lit_long(24)],
            &[Long, Long],
        );
        assert_eq!(texts(&out), vec![Some("192.168.1.0".into())]);
    }

    #[test]
    fn ipv6() {
        let ips = strs(&[
            Some("2001:db8::1"),
            Some("fe80::1%3"),
            Some("10.1.2.3"),
            Some("bad"),
        ]);
        let out = call(
            "ipv6_is_in_range",
            &[ips.clone(), lit_str("2001:db8::/32")],
            &[String, String],
        );
        assert_eq!(
            bools_of(&out),
            vec![Some(true), Some(false), Some(false), None]
        );
        let out = call(
            "ipv6_is_match",
            &[ips.clone(), lit_str("10.1.0.0/16")],
            &[String, String],
        );
        assert_eq!(
            bools_of(&out),
            vec![Some(false), Some(false), Some(true), None]
        );
        let out = call(
            "ipv6_compare",
            &[ips, lit_str("fe80::"), lit_long(10)],
            &[String, String, Long],
        );
        assert_eq!(longs(&out), vec![Some(-1), Some(0), Some(-1), None]);
    }
}
