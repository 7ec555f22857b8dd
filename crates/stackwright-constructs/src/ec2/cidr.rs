//! IPv4 CIDR blocks written as literals.

/// `a.b.c.d/n` as (address, prefix length); `None` unless it is exactly that shape.
pub(crate) fn parse_ipv4_cidr(text: &str) -> Option<(u32, u8)> {
    let (addr, prefix) = text.split_once('/')?;
    let prefix = parse_decimal(prefix).filter(|p| *p <= 32)?;
    let mut octets = addr.split('.');
    let mut value = 0u32;
    for _ in 0..4 {
        let octet = parse_decimal(octets.next()?).filter(|o| *o <= 255)?;
        value = (value << 8) | octet;
    }
    if octets.next().is_some() {
        return None;
    }
    Some((value, u8::try_from(prefix).ok()?))
}

/// A decimal number without sign, spaces or leading zeros (at most three digits).
fn parse_decimal(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 3 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if text.len() > 1 && text.starts_with('0') {
        return None;
    }
    text.parse().ok()
}

/// `value/prefix` written out.
pub(crate) fn format_ipv4_cidr(value: u32, prefix: u8) -> String {
    let [a, b, c, d] = value.to_be_bytes();
    format!("{a}.{b}.{c}.{d}/{prefix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!(parse_ipv4_cidr("10.0.0.0/16"), Some((0x0a00_0000, 16)));
        assert_eq!(parse_ipv4_cidr("0.0.0.0/0"), Some((0, 0)));
        for bad in [
            "10.0.0/16",
            "10.0.0.0",
            "10.0.0.256/8",
            "10.0.0.0/33",
            "a.b.c.d/8",
            "10.0.0.01/8",
            "10.0.0.0.0/8",
            " 10.0.0.0/8",
        ] {
            assert_eq!(parse_ipv4_cidr(bad), None, "{bad}");
        }
        assert_eq!(format_ipv4_cidr(0x0a00_0100, 24), "10.0.1.0/24");
    }
}
