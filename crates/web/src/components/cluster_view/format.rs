//! Small formatters for the view: CPU and memory amounts, ages, names that must fit a chip.

/// Milli-CPU as Kubernetes writes it: `250m`, `2`, `1500m`.
pub fn cpu(milli: i64) -> String {
    if milli % 1000 == 0 {
        format!("{}", milli / 1000)
    } else {
        format!("{milli}m")
    }
}

/// Bytes in binary units, one decimal at most: `128Mi`, `3.8Gi`.
pub fn memory(bytes: i64) -> String {
    const KI: f64 = 1024.0;
    let b = bytes as f64;
    let (v, unit) = if b >= KI * KI * KI {
        (b / (KI * KI * KI), "Gi")
    } else if b >= KI * KI {
        (b / (KI * KI), "Mi")
    } else if b >= KI {
        (b / KI, "Ki")
    } else {
        return format!("{bytes}");
    };
    let s = format!("{v:.1}");
    format!("{}{unit}", s.trim_end_matches(".0"))
}

/// An age as kubectl's short durations read: `45s`, `3m10s`, `12m`, `2h5m`.
pub fn age(ms: u64) -> String {
    let s = ms / 1000;
    match s {
        0..120 => format!("{s}s"),
        120..600 => format!("{}m{}s", s / 60, s % 60),
        600..10_800 => format!("{}m", s / 60),
        _ => format!("{}h{}m", s / 3600, s / 60 % 60),
    }
}

/// `name` cut to `max` characters with an ellipsis.
pub fn fit(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_string()
    } else {
        let head: String = name.chars().take(max.saturating_sub(1)).collect();
        format!("{head}…")
    }
}

/// `name` cut to `max` characters in the middle, keeping its end: generated pod names differ
/// in their suffix (`web-7c9…-x2kq`), which must stay visible.
pub fn fit_middle(name: &str, max: usize) -> String {
    let n = name.chars().count();
    if n <= max {
        return name.to_string();
    }
    let tail = max / 2;
    let head = max.saturating_sub(tail + 1);
    let chars: Vec<char> = name.chars().collect();
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[n - tail..]);
    out
}
