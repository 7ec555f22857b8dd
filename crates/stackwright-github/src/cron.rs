//! The POSIX cron syntax GitHub's `schedule` takes: five fields of numbers, `*`, ranges,
//! lists and steps, with month and weekday names.

const FIELDS: [(&str, u32, u32, &[&str]); 5] = [
    ("minute", 0, 59, &[]),
    ("hour", 0, 23, &[]),
    ("day of the month", 1, 31, &[]),
    (
        "month",
        1,
        12,
        &["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
    ),
    ("day of the week", 0, 6, &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
];

/// Checks a cron expression; the error says which field is wrong and why.
pub(crate) fn check(cron: &str) -> Result<(), String> {
    let fields: Vec<&str> = cron.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "has {} field{} where cron takes 5 (minute, hour, day of the month, month, day of the week)",
            fields.len(),
            if fields.len() == 1 { "" } else { "s" }
        ));
    }
    for (text, (name, min, max, names)) in fields.iter().zip(FIELDS) {
        for item in text.split(',') {
            check_item(item, min, max, names)
                .map_err(|why| format!("has {name} `{text}`: {why}"))?;
        }
    }
    Ok(())
}

fn check_item(item: &str, min: u32, max: u32, names: &[&str]) -> Result<(), String> {
    let (range, step) = match item.split_once('/') {
        Some((r, s)) => (r, Some(s)),
        None => (item, None),
    };
    if let Some(step) = step {
        match step.parse::<u32>() {
            Ok(n) if n >= 1 && n <= max => {}
            _ => return Err(format!("step `{step}` is not a number from 1 to {max}")),
        }
    }
    if range == "*" {
        return Ok(());
    }
    let (lo, hi) = match range.split_once('-') {
        Some((a, b)) => (value(a, min, max, names)?, Some(value(b, min, max, names)?)),
        None => (value(range, min, max, names)?, None),
    };
    if let Some(hi) = hi
        && hi < lo
    {
        return Err(format!("range `{range}` ends before it starts"));
    }
    Ok(())
}

fn value(text: &str, min: u32, max: u32, names: &[&str]) -> Result<u32, String> {
    if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(text)) {
        return Ok(min + i as u32);
    }
    match text.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("`{text}` is not a number from {min} to {max}")),
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn valid_expressions_pass() {
        for ok in [
            "0 5 * * 1",
            "*/15 * * * *",
            "0 0 1,15 * MON-FRI",
            "30 2 * JAN-MAR 0",
            "0-30/5 * * * *",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }
}
