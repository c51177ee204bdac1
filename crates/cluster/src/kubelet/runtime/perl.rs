//! `perl` as the perl images run it, for the one program tutorials give it: the Job that
//! prints π (`perl -Mbignum=bpi -wle 'print bpi(2000)'`, kubernetes.io's job.yaml).
//!
//! Command-line switches follow perlrun: `-e`/`-E` code, `-l` (print adds a newline), `-w`,
//! `-M`/`-m` modules, bundled as `-wle`. The program itself may only be a list of `print`
//! statements of strings, numbers and `bpi(N)`; anything beyond that subset is refused with a
//! message saying so, never guessed at. `bpi(N)` is Math::BigFloat's: π rounded to N
//! significant digits (half to even; π has no ties), computed with Machin's formula.

use crate::time::SimDuration;

use super::ProgramRun;

/// Start-up of the interpreter and its modules.
const STARTUP: SimDuration = SimDuration::from_millis(60);

/// perl's exit status when it dies (`die`, compilation errors).
const DIED: i32 = 255;

/// Runs `perl ARGS…`.
pub fn run(args: &[String]) -> ProgramRun {
    match switches(args) {
        Ok(Invocation { code: Some(code), modules, newline }) => {
            eval(&code, &modules, newline)
        }
        // No program: perl reads it from stdin, which a container's process does not have.
        Ok(Invocation { code: None, .. }) => done(Vec::new(), 0, STARTUP),
        Err(line) => done(vec![line], DIED, STARTUP),
    }
}

fn done(lines: Vec<String>, status: i32, took: SimDuration) -> ProgramRun {
    ProgramRun { lines, status, took }
}

/// What the switches asked for.
struct Invocation {
    code: Option<String>,
    /// Modules named with `-M`: (module, imports).
    modules: Vec<(String, Vec<String>)>,
    newline: bool,
}

/// Reads perl's switches (perlrun): single letters bundle (`-wle`), `-e`/`-M` take the rest
/// of their word or the next word.
fn switches(args: &[String]) -> Result<Invocation, String> {
    let mut inv = Invocation {
        code: None,
        modules: Vec::new(),
        newline: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "--" {
            break;
        }
        let Some(flags) = arg.strip_prefix('-').filter(|f| !f.is_empty()) else {
            return Err(unsupported(&format!("the script file {arg}")));
        };
        for (i, c) in flags.char_indices() {
            let rest = &flags[i + c.len_utf8()..];
            match c {
                'w' | 'W' | 'X' | 's' | 'T' | 't' | 'U' => {}
                // `-l` without an octal number: `$\` = `$/`, a newline after each print.
                'l' if rest.chars().all(|d| !d.is_ascii_digit()) => inv.newline = true,
                'e' | 'E' => {
                    let code = if rest.is_empty() {
                        it.next().cloned().ok_or("No code specified for -e.".to_string())?
                    } else {
                        rest.to_string()
                    };
                    let all = inv.code.get_or_insert_with(String::new);
                    if !all.is_empty() {
                        all.push('\n');
                    }
                    all.push_str(&code);
                    break;
                }
                'M' | 'm' => {
                    let spec = if rest.is_empty() {
                        it.next().cloned().unwrap_or_default()
                    } else {
                        rest.to_string()
                    };
                    let (module, imports) = match spec.split_once('=') {
                        Some((m, list)) => (m, list.split(',').map(str::to_string).collect()),
                        None => (spec.as_str(), Vec::new()),
                    };
                    inv.modules.push((module.to_string(), imports));
                    break;
                }
                _ => return Err(unsupported(&format!("the switch -{c}"))),
            }
        }
    }
    Ok(inv)
}

/// The message for anything beyond the simulated subset.
fn unsupported(what: &str) -> String {
    format!(
        "perl (simulated): {what} is beyond this simulated perl, which only evaluates `print` of strings, numbers and bpi(N) (-Mbignum=bpi) given with -e"
    )
}

/// Runs a program of `print` statements.
fn eval(code: &str, modules: &[(String, Vec<String>)], newline: bool) -> ProgramRun {
    for (module, _) in modules {
        if !matches!(module.as_str(), "bignum" | "strict" | "warnings") {
            return done(vec![unsupported(&format!("the module {module}"))], DIED, STARTUP);
        }
    }
    let has_bpi = modules
        .iter()
        .any(|(m, imports)| m == "bignum" && imports.iter().any(|i| i == "bpi"));
    let mut printed = String::new();
    let mut took = STARTUP;
    for statement in statements(code) {
        let statement = statement.trim();
        if statement.is_empty() {
            continue;
        }
        let Some(list) = statement
            .strip_prefix("print")
            .filter(|r| r.is_empty() || r.starts_with([' ', '(', '"', '\'']))
        else {
            return done(vec![unsupported(&format!("`{statement}`"))], DIED, took);
        };
        let list = list.trim();
        let list = match list.strip_prefix('(').and_then(|l| l.strip_suffix(')')) {
            Some(inner) => inner.trim(),
            None => list,
        };
        for term in split_terms(list) {
            match value(term.trim(), has_bpi) {
                Ok((text, cost)) => {
                    printed.push_str(&text);
                    took = SimDuration(took.0 + cost.0);
                }
                Err(Fail::Died(msg)) => {
                    let mut lines: Vec<String> = printed.lines().map(str::to_string).collect();
                    lines.push(msg);
                    return done(lines, DIED, took);
                }
                Err(Fail::Unsupported) => {
                    return done(vec![unsupported(&format!("`{}`", term.trim()))], DIED, took);
                }
            }
        }
        if newline {
            printed.push('\n');
        }
    }
    done(printed.lines().map(str::to_string).collect(), 0, took)
}

enum Fail {
    /// perl's own error, as it dies.
    Died(String),
    Unsupported,
}

/// One printed term: its text and the time computing it took.
fn value(term: &str, has_bpi: bool) -> Result<(String, SimDuration), Fail> {
    if let Some(s) = term
        .strip_prefix('\'')
        .and_then(|t| t.strip_suffix('\''))
        .filter(|s| !s.contains('\''))
    {
        return Ok((s.replace("\\\\", "\\"), SimDuration::ZERO));
    }
    if let Some(s) = term.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        // Interpolation of variables is beyond the subset.
        if s.contains(['$', '@']) {
            return Err(Fail::Unsupported);
        }
        return Ok((unescape(s), SimDuration::ZERO));
    }
    if let Some(n) = number(term) {
        return Ok((n, SimDuration::ZERO));
    }
    if let Some(arg) = term
        .strip_prefix("bpi")
        .map(str::trim_start)
        .and_then(|t| t.strip_prefix('('))
        .and_then(|t| t.strip_suffix(')'))
    {
        if !has_bpi {
            return Err(Fail::Died(
                "Undefined subroutine &main::bpi called at -e line 1.".into(),
            ));
        }
        let digits: usize = match arg.trim().parse::<usize>() {
            // Math::BigFloat's default accuracy (div_scale) when asked for none.
            Ok(0) => 40,
            Ok(n) if n <= 100_000 => n,
            _ => return Err(Fail::Unsupported),
        };
        return Ok((bpi(digits), bpi_cost(digits)));
    }
    Err(Fail::Unsupported)
}

/// A numeric literal as perl prints it (`42`, `4.50` → `4.5`); `None` for anything else.
fn number(term: &str) -> Option<String> {
    let t = term.replace('_', "");
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    if !t.contains('.') {
        return Some(t.trim_start_matches('0').to_string()).map(|s| {
            if s.is_empty() { "0".into() } else { s }
        });
    }
    let v: f64 = t.parse().ok()?;
    // perl prints numbers with %.15g.
    let s = format!("{:.15}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    Some(s.to_string())
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(x) => out.push(x),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Splits a program into statements at `;` outside quotes.
fn statements(code: &str) -> Vec<String> {
    split_outside_quotes(code, ';')
}

/// Splits a print list into terms at `,` outside quotes and parentheses.
fn split_terms(list: &str) -> Vec<String> {
    if list.is_empty() {
        return Vec::new();
    }
    split_outside_quotes(list, ',')
}

fn split_outside_quotes(s: &str, sep: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quote: Option<char> = None;
    let mut depth = 0usize;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth = depth.saturating_sub(1),
            (None, c) if c == sep && depth == 0 => {
                parts.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts
}

/// How long Math::BigFloat takes for `digits` digits of π: its arctangent series costs
/// about the square of the digits (2000 digits: 3.6 s, which with the container's start
/// gives the 4s DURATION of the notes' `pi-with-ttl` Job, catalog B E-B76).
fn bpi_cost(digits: usize) -> SimDuration {
    let d = digits as u64;
    SimDuration::from_millis(d * d * 9 / 10_000)
}

/// π rounded to `digits` significant digits, as Math::BigFloat's `bpi` prints it
/// (`bpi(1)` = `3`, `bpi(5)` = `3.1416`; trailing zeros of the rounding are kept).
pub fn bpi(digits: usize) -> String {
    let digits = digits.max(1);
    // Guard digits beyond the rounding position; the series' truncation errors stay far below.
    let mut all = pi_digits(digits + 12);
    all.truncate(digits + 1);
    let next = all.pop().map_or(0, |c| c.to_digit(10).unwrap_or(0));
    let mut kept: Vec<u8> = all.bytes().map(|b| b - b'0').collect();
    if next >= 5 {
        for d in kept.iter_mut().rev() {
            if *d == 9 {
                *d = 0;
            } else {
                *d += 1;
                break;
            }
        }
    }
    let mut out: String = kept.iter().map(|d| char::from(b'0' + d)).collect();
    if out.len() > 1 {
        out.insert(1, '.');
    }
    out
}

/// Limbs of a fixed-point number: `x[0]` is the integer part, each further limb nine more
/// decimal digits of the fraction.
const LIMB: u64 = 1_000_000_000;

/// The first `n` decimal digits of π (`3141…`, no point), by Machin's formula
/// π = 16·atan(1/5) − 4·atan(1/239) over fixed-point limbs.
fn pi_digits(n: usize) -> String {
    let limbs = n / 9 + 3;
    let a = arctan_inv(5, limbs);
    let b = arctan_inv(239, limbs);
    let mut pi = mul_small(&a, 16);
    sub_assign(&mut pi, &mul_small(&b, 4));
    let mut s = pi[0].to_string();
    for limb in &pi[1..] {
        s.push_str(&format!("{limb:09}"));
    }
    s.truncate(n);
    s
}

/// atan(1/m) = Σ (−1)^k / ((2k+1)·m^(2k+1)).
fn arctan_inv(m: u64, limbs: usize) -> Vec<u64> {
    let mut power = vec![0; limbs];
    power[0] = 1;
    div_small(&mut power, m);
    let mut sum = power.clone();
    let m2 = m * m;
    let mut k: u64 = 1;
    loop {
        div_small(&mut power, m2);
        if power.iter().all(|&l| l == 0) {
            return sum;
        }
        let mut term = power.clone();
        div_small(&mut term, 2 * k + 1);
        if k % 2 == 1 {
            sub_assign(&mut sum, &term);
        } else {
            add_assign(&mut sum, &term);
        }
        k += 1;
    }
}

fn div_small(x: &mut [u64], d: u64) {
    let mut rem = 0u64;
    for limb in x.iter_mut() {
        let cur = rem * LIMB + *limb;
        *limb = cur / d;
        rem = cur % d;
    }
}

fn mul_small(x: &[u64], f: u64) -> Vec<u64> {
    let mut out = x.to_vec();
    let mut carry = 0u64;
    for limb in out.iter_mut().rev() {
        let cur = *limb * f + carry;
        *limb = cur % LIMB;
        carry = cur / LIMB;
    }
    out[0] += carry * LIMB;
    out
}

fn add_assign(x: &mut [u64], y: &[u64]) {
    let mut carry = 0;
    for i in (0..x.len()).rev() {
        let cur = x[i] + y[i] + carry;
        if i > 0 {
            x[i] = cur % LIMB;
            carry = cur / LIMB;
        } else {
            x[i] = cur;
        }
    }
}

/// `x -= y` for `x >= y`.
fn sub_assign(x: &mut [u64], y: &[u64]) {
    let mut borrow = 0;
    for i in (0..x.len()).rev() {
        let take = y[i] + borrow;
        if x[i] >= take {
            x[i] -= take;
            borrow = 0;
        } else {
            x[i] = x[i] + LIMB - take;
            borrow = 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn bpi_rounds_to_significant_digits_as_math_bigfloat() {
        // Outputs of `perl -Mbignum=bpi -wle 'print bpi(N)'` (Math::BigInt 1.9998xx).
        let cases = [
            (1, "3"),
            (2, "3.1"),
            (3, "3.14"),
            (4, "3.142"),
            (5, "3.1416"),
            (20, "3.1415926535897932385"),
            (40, "3.141592653589793238462643383279502884197"),
            (41, "3.1415926535897932384626433832795028841972"),
            (42, "3.14159265358979323846264338327950288419717"),
        ];
        for (n, want) in cases {
            assert_eq!(bpi(n), want, "bpi({n})");
        }
        // The Feynman point: rounding into the six nines keeps the zeros it leaves.
        assert!(bpi(765).ends_with("70721135000"), "{}", &bpi(765)[750..]);
        assert!(bpi(768).ends_with("21135000000"));
        // kubernetes.io's Job output ends …3904780275901 (the 2000th digit rounded up).
        let pi = bpi(2000);
        assert_eq!(pi.len(), 2001);
        assert!(pi.starts_with("3.1415926535897932384626433832795028841971693993751"));
        assert!(pi.ends_with("75739624138908658326459958133904780275901"), "{}", &pi[1950..]);
    }

    #[test]
    fn the_job_tutorials_command_prints_pi_after_computing() {
        let r = run(&argv(&["-Mbignum=bpi", "-wle", "print bpi(2000)"]));
        assert_eq!(r.status, 0);
        assert_eq!(r.lines, vec![bpi(2000)]);
        assert!(r.took >= SimDuration::from_secs(2) && r.took <= SimDuration::from_secs(4));
    }

    #[test]
    fn switches_and_print_lists_follow_perlrun() {
        let cases: &[(&[&str], &[&str], i32)] = &[
            (&["-le", "print 42; print 'a', \"b\\tc\""], &["42", "ab\tc"], 0),
            (&["-e", "print 'x'"], &["x"], 0),
            (&["-Mbignum=bpi", "-e", "print bpi(5), bpi(3)"], &["3.14163.14"], 0),
            (&["-wle", "print bpi(5)"], &["Undefined subroutine &main::bpi called at -e line 1."], 255),
            (&["-Mbignum=bpi", "-wle", "print bpi(0)"], &["3.141592653589793238462643383279502884197"], 0),
            (&["-e"], &["No code specified for -e."], 255),
            (&[], &[], 0),
        ];
        for (args, want, status) in cases {
            let r = run(&argv(args));
            assert_eq!(r.lines, *want, "perl {args:?}");
            assert_eq!(r.status, *status, "perl {args:?}");
        }
    }

    #[test]
    fn programs_beyond_the_subset_are_refused_plainly() {
        for args in [
            &["-Mbignum=bpi", "-wle", "my $s = int(rand(20))+20;print $s"][..],
            &["-le", "print 1+2"],
            &["script.pl"],
            &["-MList::Util", "-e", "print 1"],
        ] {
            let r = run(&argv(args));
            assert_eq!(r.status, 255, "perl {args:?}");
            assert!(r.lines[0].starts_with("perl (simulated): "), "{:?}", r.lines);
            assert!(r.lines[0].contains("only evaluates `print`"), "{:?}", r.lines);
        }
    }
}
