//! GNU coreutils' line tools people pipe kubectl's output through: `sort`, `uniq`, `cut`
//! and `tr`, with the options used day to day. Each is written so a pipe can run it a line
//! at a time where the real tool streams (`cut`, `tr`, `uniq`) and over all of its input
//! where it must wait for the end (`sort`).
//!
//! Text compares byte by byte, as under `LC_ALL=C`: the lab has no locale, and the byte
//! order is the one every machine agrees on.

use std::cmp::Ordering;

/// A refused command line: the message for stderr and the exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub message: String,
    pub status: i32,
}

fn refused(tool: &str, message: impl std::fmt::Display) -> Refused {
    Refused {
        message: format!("{tool}: {message}\nTry '{tool} --help' for more information."),
        status: 1,
    }
}

/// Why a tool the lab runs only on a pipe's input refuses a file operand, and how to pipe
/// the file in instead (`pipe_into`: the tool's command line after `|`).
pub(crate) fn file_operand_refused(tool: &str, file: &str, pipe_into: &str) -> String {
    format!("{tool}: {file}: reading files is not available to {tool} in this lab; use cat {file} | {pipe_into}")
}

/// The option letters and operands of a command line: `-rn` is `-r -n`, and a letter that
/// takes a value (`takes`) reads the rest of its word or the next word (`-t:`, `-k 2`).
/// A command line's options (letter, value) and operands.
type CommandLine = (Vec<(char, String)>, Vec<String>);

fn options(tool: &str, args: &[&str], takes: &str, flags: &str) -> Result<CommandLine, Refused> {
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        i += 1;
        if a == "--" {
            operands.extend(args[i..].iter().map(|s| s.to_string()));
            break;
        }
        let Some(letters) = a.strip_prefix('-').filter(|l| !l.is_empty() && !a.starts_with("--")) else {
            if let Some(long) = a.strip_prefix("--") {
                return Err(refused(tool, format!("unrecognized option '--{long}'")));
            }
            operands.push(a.to_string());
            continue;
        };
        for (at, c) in letters.char_indices() {
            if takes.contains(c) {
                let rest = &letters[at + c.len_utf8()..];
                let value = if !rest.is_empty() {
                    rest.to_string()
                } else if let Some(next) = args.get(i) {
                    i += 1;
                    next.to_string()
                } else {
                    return Err(refused(tool, format!("option requires an argument -- '{c}'")));
                };
                opts.push((c, value));
                break;
            }
            if !flags.contains(c) {
                return Err(refused(tool, format!("invalid option -- '{c}'")));
            }
            opts.push((c, String::new()));
        }
    }
    Ok((opts, operands))
}

// ---- sort ----

/// `sort [-rnufbs] [-t SEP] [-k POS1[,POS2][OPTS]]`: the lines of `input` in order.
///
/// # Errors
/// Unknown options and malformed keys, in GNU's words.
pub fn sort(args: &[&str], input: &str) -> Result<Vec<String>, Refused> {
    let (opts, _) = options("sort", args, "tk", "rnufbs")?;
    let mut s = SortSpec::default();
    for (c, v) in opts {
        match c {
            'u' => s.unique = true,
            's' => s.stable = true,
            't' => {
                let mut chars = v.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => s.separator = Some(c),
                    (None, _) => return Err(refused("sort", "empty tab")),
                    _ => return Err(refused("sort", format!("multi-character tab '{v}'"))),
                }
            }
            'k' => s.key = Some(KeySpec::parse(&v)?),
            c => s.global.set(c),
        }
    }
    let mut lines: Vec<&str> = input.lines().collect();
    lines.sort_by(|a, b| s.compare(a, b));
    if s.unique {
        lines.dedup_by(|a, b| s.compare_keys(a, b) == Ordering::Equal);
    }
    Ok(lines.into_iter().map(str::to_string).collect())
}

/// The files `sort` reads (its operands); none when its options are refused, which
/// [`sort`] reports.
pub fn sort_files(args: &[&str]) -> Vec<String> {
    options("sort", args, "tk", "rnufbs").map(|(_, files)| files).unwrap_or_default()
}

#[derive(Debug, Default)]
struct SortSpec {
    global: Order,
    unique: bool,
    stable: bool,
    separator: Option<char>,
    key: Option<KeySpec>,
}

/// How keys compare: `-n -r -f -b`, globally or for one key.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Order {
    numeric: bool,
    reverse: bool,
    fold: bool,
    skip_blanks: bool,
}

impl Order {
    fn set(&mut self, c: char) {
        match c {
            'n' => self.numeric = true,
            'r' => self.reverse = true,
            'f' => self.fold = true,
            _ => self.skip_blanks = true,
        }
    }
}

/// `-k FIELD[.CHAR][OPTS][,FIELD[.CHAR][OPTS]]`, fields counted from 1.
#[derive(Debug, Clone, Copy)]
struct KeySpec {
    start: usize,
    end: Option<usize>,
    /// The key's own ordering letters (`-k2n`): a key with any takes none of the global ones.
    order: Option<Order>,
}

impl KeySpec {
    fn parse(v: &str) -> Result<KeySpec, Refused> {
        let mut order: Option<Order> = None;
        let mut field = |s: &str| -> Result<usize, Refused> {
            let digits_end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
            let (digits, rest) = s.split_at(digits_end);
            let letters = rest.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
            for c in letters.chars() {
                if !"nrfb".contains(c) {
                    return Err(refused("sort", format!("stray character in field spec: invalid field specification '{v}'")));
                }
                order.get_or_insert_default().set(c);
            }
            match digits.parse::<usize>() {
                Ok(0) => Err(refused("sort", format!("field number is zero: invalid field specification '{v}'"))),
                Ok(n) => Ok(n),
                Err(_) => Err(refused("sort", format!("invalid number at field start: invalid count at start of '{v}'"))),
            }
        };
        let (start, end) = match v.split_once(',') {
            Some((a, b)) => (field(a)?, Some(field(b)?)),
            None => (field(v)?, None),
        };
        Ok(KeySpec { start, end, order })
    }
}

impl SortSpec {
    /// GNU's order: the key, then (unless `-s` or `-u`) the whole lines byte by byte,
    /// reversed by a global `-r`.
    fn compare(&self, a: &str, b: &str) -> Ordering {
        let keys = self.compare_keys(a, b);
        if keys != Ordering::Equal || self.stable || self.unique {
            return keys;
        }
        if self.global.reverse { b.cmp(a) } else { a.cmp(b) }
    }

    fn order(&self) -> Order {
        self.key.and_then(|k| k.order).unwrap_or(self.global)
    }

    fn compare_keys(&self, a: &str, b: &str) -> Ordering {
        let order = self.order();
        let (ka, kb) = (self.key_of(a, order), self.key_of(b, order));
        let cmp = if order.numeric {
            numeric_prefix(ka).partial_cmp(&numeric_prefix(kb)).unwrap_or(Ordering::Equal)
        } else if order.fold {
            ka.bytes().map(|c| c.to_ascii_uppercase()).cmp(kb.bytes().map(|c| c.to_ascii_uppercase()))
        } else {
            ka.cmp(kb)
        };
        if order.reverse { cmp.reverse() } else { cmp }
    }

    /// The part of the line `-k` names: without `-t`, a field begins with the blanks before
    /// it (as GNU counts them) unless `-b` skips them.
    fn key_of<'l>(&self, line: &'l str, order: Order) -> &'l str {
        let Some(k) = self.key else {
            return if order.skip_blanks { line.trim_start() } else { line };
        };
        let bounds = field_bounds(line, self.separator);
        let Some(&(start, _)) = bounds.get(k.start - 1) else {
            return "";
        };
        let end = match k.end {
            Some(e) => bounds.get(e - 1).map_or(line.len(), |&(_, end)| end),
            None => line.len(),
        };
        let key = line.get(start..end.max(start)).unwrap_or("");
        if order.skip_blanks { key.trim_start() } else { key }
    }
}

/// Each field's (start, end) byte range: split on `sep`, or else each field is a run of
/// non-blanks with the blanks before it.
fn field_bounds(line: &str, sep: Option<char>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    match sep {
        Some(sep) => {
            let mut start = 0;
            for (i, c) in line.char_indices() {
                if c == sep {
                    out.push((start, i));
                    start = i + c.len_utf8();
                }
            }
            out.push((start, line.len()));
        }
        None => {
            let bytes = line.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                let start = i;
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
                    i += 1;
                }
                while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t') {
                    i += 1;
                }
                out.push((start, i));
            }
        }
    }
    out
}

/// `sort -n`'s number: leading blanks, an optional minus, digits and a fraction; anything
/// else counts as zero.
fn numeric_prefix(s: &str) -> f64 {
    let s = s.trim_start();
    let end = s
        .char_indices()
        .take_while(|&(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && c == '-'))
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    s[..end].parse().unwrap_or(0.0)
}

// ---- uniq ----

/// `uniq [-c] [-d] [-u] [-i]`, fed a line at a time: a group of equal adjacent lines is
/// printed when a different line (or the end) closes it.
#[derive(Debug, Clone)]
pub struct Uniq {
    count: bool,
    repeated_only: bool,
    unique_only: bool,
    ignore_case: bool,
    current: Option<(String, usize)>,
}

impl Uniq {
    /// # Errors
    /// Unknown options; an input file (the lab's `uniq` reads its standard input).
    pub fn parse(args: &[&str]) -> Result<Uniq, Refused> {
        let (opts, operands) = options("uniq", args, "", "cdui")?;
        if let Some(f) = operands.first() {
            return Err(Refused {
                message: file_operand_refused("uniq", f, "uniq"),
                status: 1,
            });
        }
        let has = |c| opts.iter().any(|(o, _)| *o == c);
        Ok(Uniq {
            count: has('c'),
            repeated_only: has('d'),
            unique_only: has('u'),
            ignore_case: has('i'),
            current: None,
        })
    }

    /// Reads a line; returns the group it closed, if that prints.
    pub fn push(&mut self, line: &str) -> Option<String> {
        if let Some((seen, n)) = &mut self.current {
            let same = if self.ignore_case { seen.eq_ignore_ascii_case(line) } else { seen == line };
            if same {
                *n += 1;
                return None;
            }
        }
        let closed = self.current.replace((line.to_string(), 1));
        closed.and_then(|g| self.shown(g))
    }

    /// The end of the input: the last group, if it prints.
    pub fn finish(&mut self) -> Option<String> {
        self.current.take().and_then(|g| self.shown(g))
    }

    fn shown(&self, (line, n): (String, usize)) -> Option<String> {
        if (self.repeated_only && n < 2) || (self.unique_only && n > 1) {
            return None;
        }
        Some(if self.count { format!("{n:>7} {line}") } else { line })
    }

    /// All of `input` at once; the last group stays unprinted while the input is `open`.
    pub fn run(mut self, input: &str, open: bool) -> Vec<String> {
        let mut out: Vec<String> = input.lines().filter_map(|l| self.push(l)).collect();
        if !open {
            out.extend(self.finish());
        }
        out
    }
}

// ---- cut ----

/// `cut -f LIST [-d DELIM] [-s]` or `cut -c LIST`, a line at a time.
#[derive(Debug, Clone)]
pub struct Cut {
    ranges: Vec<(usize, usize)>,
    by: CutBy,
    only_delimited: bool,
}

#[derive(Debug, Clone, Copy)]
enum CutBy {
    Fields(char),
    Chars,
}

impl Cut {
    /// # Errors
    /// A missing or malformed list, in GNU's words.
    pub fn parse(args: &[&str]) -> Result<Cut, Refused> {
        let (opts, operands) = options("cut", args, "fcbd", "s")?;
        if let Some(f) = operands.first() {
            return Err(Refused {
                message: file_operand_refused("cut", f, "cut …"),
                status: 1,
            });
        }
        let mut list = None;
        let mut chars = false;
        let mut delimiter = None;
        let mut only_delimited = false;
        for (c, v) in opts {
            match c {
                'f' => list = Some(v),
                'c' | 'b' => {
                    list = Some(v);
                    chars = true;
                }
                'd' => {
                    let mut it = v.chars();
                    match (it.next(), it.next()) {
                        (Some(d), None) => delimiter = Some(d),
                        _ => return Err(refused("cut", "the delimiter must be a single character")),
                    }
                }
                _ => only_delimited = true,
            }
        }
        let Some(list) = list else {
            return Err(refused("cut", "you must specify a list of bytes, characters, or fields"));
        };
        if chars && delimiter.is_some() {
            return Err(refused("cut", "an input delimiter may be specified only when operating on fields"));
        }
        Ok(Cut {
            ranges: parse_list(&list)?,
            by: if chars { CutBy::Chars } else { CutBy::Fields(delimiter.unwrap_or('\t')) },
            only_delimited,
        })
    }

    /// What the tool prints for one line (None: `-s` drops a line without the delimiter).
    pub fn line(&self, line: &str) -> Option<String> {
        let wanted = |i: usize| self.ranges.iter().any(|&(a, b)| (a..=b).contains(&i));
        match self.by {
            CutBy::Chars => Some(
                line.chars().enumerate().filter(|(i, _)| wanted(i + 1)).map(|(_, c)| c).collect(),
            ),
            CutBy::Fields(d) if !line.contains(d) => (!self.only_delimited).then(|| line.to_string()),
            CutBy::Fields(d) => {
                let picked: Vec<&str> =
                    line.split(d).enumerate().filter(|(i, _)| wanted(i + 1)).map(|(_, f)| f).collect();
                Some(picked.join(&d.to_string()))
            }
        }
    }
}

/// `N`, `N-M`, `N-`, `-M`, comma-separated, counted from 1.
fn parse_list(list: &str) -> Result<Vec<(usize, usize)>, Refused> {
    let number = |s: &str| -> Result<usize, Refused> {
        match s.parse::<usize>() {
            Ok(0) => Err(refused("cut", "fields and positions are numbered from 1")),
            Ok(n) => Ok(n),
            Err(_) => Err(refused("cut", format!("invalid field value '{s}'"))),
        }
    };
    list.split(',')
        .map(|part| match part.split_once('-') {
            None => number(part).map(|n| (n, n)),
            Some(("", "")) => Err(refused("cut", "invalid range with no endpoint: -")),
            Some(("", b)) => Ok((1, number(b)?)),
            Some((a, "")) => Ok((number(a)?, usize::MAX)),
            Some((a, b)) => {
                let (a, b) = (number(a)?, number(b)?);
                if a > b {
                    return Err(refused("cut", "invalid decreasing range"));
                }
                Ok((a, b))
            }
        })
        .collect()
}

// ---- tr ----

/// `tr [-d] [-s] SET1 [SET2]` with ranges (`a-z`), classes (`[:upper:]`) and escapes
/// (`\n`, `\t`, `\\`).
#[derive(Debug, Clone)]
pub struct Tr {
    from: Vec<char>,
    to: Vec<char>,
    delete: bool,
    squeeze: bool,
}

impl Tr {
    /// # Errors
    /// Missing or extra operands, in GNU's words.
    pub fn parse(args: &[&str]) -> Result<Tr, Refused> {
        let (opts, operands) = options("tr", args, "", "ds")?;
        let delete = opts.iter().any(|(c, _)| *c == 'd');
        let squeeze = opts.iter().any(|(c, _)| *c == 's');
        let sets: Vec<Vec<char>> = operands.iter().map(|s| expand_set(s)).collect();
        let (from, to) = match (sets.as_slice(), delete, squeeze) {
            ([], ..) => return Err(refused("tr", "missing operand")),
            ([a], true, _) | ([a], false, true) => (a.clone(), Vec::new()),
            ([_], false, false) => {
                return Err(refused("tr", format!("missing operand after '{}'\nTwo strings must be given when translating.", operands[0])));
            }
            ([a, b], false, _) | ([a, b], true, true) => (a.clone(), b.clone()),
            (_, true, false) => {
                return Err(refused("tr", format!("extra operand '{}'\nOnly one string may be given when deleting without squeezing repeats.", operands[1])));
            }
            _ => return Err(refused("tr", format!("extra operand '{}'", operands[2]))),
        };
        Ok(Tr { from, to, delete, squeeze })
    }

    /// Whether the sets name the newline: the tool then changes how lines are cut, so a
    /// pipe runs it over all of its input.
    pub fn touches_newline(&self) -> bool {
        self.from.contains(&'\n') || self.to.contains(&'\n')
    }

    /// Translates `text`.
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        // -s squeezes runs of the last set given: SET2 when translating, else SET1.
        let squeeze_set = if self.to.is_empty() { &self.from } else { &self.to };
        let mut last: Option<char> = None;
        for c in text.chars() {
            let mapped = match self.from.iter().position(|&f| f == c) {
                Some(_) if self.delete => continue,
                Some(i) if !self.to.is_empty() => self.to[i.min(self.to.len() - 1)],
                _ => c,
            };
            if self.squeeze && last == Some(mapped) && squeeze_set.contains(&mapped) {
                continue;
            }
            last = Some(mapped);
            out.push(mapped);
        }
        out
    }
}

/// A tr set's characters in order.
fn expand_set(s: &str) -> Vec<char> {
    let mut chars: Vec<char> = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("[:")
            && let Some(end) = after.find(":]")
        {
            let class: Vec<char> = match &after[..end] {
                "upper" => ('A'..='Z').collect(),
                "lower" => ('a'..='z').collect(),
                "alpha" => ('A'..='Z').chain('a'..='z').collect(),
                "digit" => ('0'..='9').collect(),
                "alnum" => ('0'..='9').chain('A'..='Z').chain('a'..='z').collect(),
                "space" => vec![' ', '\t', '\n', '\r', '\x0b', '\x0c'],
                "blank" => vec![' ', '\t'],
                "punct" => (0x21u8..0x7f).map(char::from).filter(char::is_ascii_punctuation).collect(),
                _ => rest[..end + 4].chars().collect(),
            };
            chars.extend(class);
            rest = &after[end + 2..];
            continue;
        }
        let (c, len) = escaped_char(rest);
        rest = &rest[len..];
        // `a-z`: a range, when a character follows the dash.
        if let Some(after) = rest.strip_prefix('-')
            && !after.is_empty()
        {
            let (to, len) = escaped_char(after);
            if to >= c {
                chars.extend(c..=to);
                rest = &after[len..];
                continue;
            }
        }
        chars.push(c);
    }
    chars
}

/// The first character of `s`, a backslash escape read as the character it names, and the
/// bytes it took.
fn escaped_char(s: &str) -> (char, usize) {
    let mut it = s.chars();
    match it.next() {
        Some('\\') => match it.next() {
            Some('n') => ('\n', 2),
            Some('t') => ('\t', 2),
            Some('r') => ('\r', 2),
            Some('\\') => ('\\', 2),
            Some(c) => (c, 1 + c.len_utf8()),
            None => ('\\', 1),
        },
        Some(c) => (c, c.len_utf8()),
        None => ('\0', 0),
    }
}

// ---- base64 ----

/// `base64 [-d] [-i] [-w COLS] [FILE]` (GNU coreutils): encodes its input, wrapped at 76
/// columns, or decodes it (`echo -n root | base64`, `… -o jsonpath='{.data.password}' |
/// base64 -d`, as the notes read and write Secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base64 {
    pub decode: bool,
    ignore_garbage: bool,
    /// Columns per line of the encoding; 0 = one line.
    wrap: usize,
    /// The file operand (`-` or none: standard input).
    pub file: Option<String>,
}

/// What `base64` printed: its lines and whether the last ended without a newline; an error
/// after the decodable part in `refused`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base64Output {
    pub lines: Vec<String>,
    pub unterminated: bool,
    pub refused: Option<Refused>,
}

impl Base64 {
    /// # Errors
    /// Unknown options, a bad wrap size or a second operand, in GNU's words.
    pub fn parse(args: &[&str]) -> Result<Base64, Refused> {
        let mut short = Vec::new();
        let mut args = args.iter();
        while let Some(&a) = args.next() {
            match a {
                "--decode" => short.push("-d".to_string()),
                "--ignore-garbage" => short.push("-i".to_string()),
                "--wrap" => {
                    short.push("-w".to_string());
                    short.extend(args.next().map(|v| v.to_string()));
                }
                _ => match a.strip_prefix("--wrap=") {
                    Some(v) => short.extend(["-w".to_string(), v.to_string()]),
                    None => short.push(a.to_string()),
                },
            }
        }
        let short: Vec<&str> = short.iter().map(String::as_str).collect();
        let (opts, operands) = options("base64", &short, "w", "di")?;
        let mut tool = Base64 { decode: false, ignore_garbage: false, wrap: 76, file: None };
        for (c, value) in opts {
            match c {
                'd' => tool.decode = true,
                'i' => tool.ignore_garbage = true,
                _ => {
                    tool.wrap = value.parse().map_err(|_| Refused {
                        message: format!("base64: invalid wrap size: '{value}'"),
                        status: 1,
                    })?;
                }
            }
        }
        if let Some(extra) = operands.get(1) {
            return Err(refused("base64", format!("extra operand '{extra}'")));
        }
        tool.file = operands.into_iter().next().filter(|f| f != "-");
        Ok(tool)
    }

    /// Encodes or decodes `input`.
    pub fn run(&self, input: &[u8]) -> Base64Output {
        use base64::Engine as _;
        if !self.decode {
            let encoded = base64::engine::general_purpose::STANDARD.encode(input);
            // coreutils' basenc.c ends the last line only when wrapping: `-w 0` prints none.
            let unterminated = self.wrap == 0 && !encoded.is_empty();
            let lines = match self.wrap {
                _ if encoded.is_empty() => Vec::new(),
                0 => vec![encoded],
                n => encoded.as_bytes().chunks(n).map(|c| String::from_utf8_lossy(c).into_owned()).collect(),
            };
            return Base64Output { lines, unterminated, refused: None };
        }
        // Line ends are never data; with -i nothing outside the alphabet is either.
        let kept: Vec<u8> = input
            .iter()
            .copied()
            .filter(|&b| b != b'\n' && (!self.ignore_garbage || b.is_ascii_alphanumeric() || b"+/=".contains(&b)))
            .collect();
        let engine = &base64::engine::general_purpose::STANDARD;
        let (bytes, refused) = match engine.decode(&kept) {
            Ok(bytes) => (bytes, None),
            Err(_) => {
                // GNU prints the whole groups of four before the fault, then the error.
                let bad = kept.iter().position(|b| !(b.is_ascii_alphanumeric() || b"+/".contains(b))).unwrap_or(kept.len());
                let whole = engine.decode(&kept[..bad - bad % 4]).unwrap_or_default();
                (whole, Some(Refused { message: "base64: invalid input".into(), status: 1 }))
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        let unterminated = !text.is_empty() && !text.ends_with('\n');
        let lines = match text.strip_suffix('\n').unwrap_or(&text) {
            _ if text.is_empty() => Vec::new(),
            body => body.split('\n').map(str::to_string).collect(),
        };
        Base64Output { lines, unterminated, refused }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PODS: &str = "web-2   1/1     Running   0          5s\nweb-10  0/1     Pending   0          12s\napi-1   1/1     Running   3          1m\n";

    #[test]
    fn sort_orders_bytes_numbers_keys_and_reverses() {
        assert_eq!(sort(&[], "b\nB\na\n").unwrap(), ["B", "a", "b"]);
        assert_eq!(sort(&["-f"], "b\nB\na\n").unwrap(), ["a", "B", "b"]);
        assert_eq!(sort(&["-rn"], "10\n9\n-1\nx\n").unwrap(), ["10", "9", "x", "-1"]);
        assert_eq!(sort(&["-k", "3"], PODS).unwrap()[0], "web-10  0/1     Pending   0          12s");
        // A key with its own letters takes no global ones: `-r` only reverses the last resort.
        assert_eq!(
            sort(&["-k4n", "-r"], PODS).unwrap().last().map(String::as_str),
            Some("api-1   1/1     Running   3          1m")
        );
        assert_eq!(
            sort(&["-k4", "-n", "-r"], PODS).unwrap().first().map(String::as_str),
            Some("api-1   1/1     Running   3          1m")
        );
        assert_eq!(sort(&["-t", "-", "-k2n"], "a-10\nb-9\n").unwrap(), ["b-9", "a-10"]);
        assert_eq!(sort(&["-u"], "b\na\nb\n").unwrap(), ["a", "b"]);
        assert_eq!(sort(&["-x"], "").unwrap_err().message, "sort: invalid option -- 'x'\nTry 'sort --help' for more information.");
        assert!(sort(&["-k0"], "").unwrap_err().message.contains("field number is zero"));
    }

    #[test]
    fn uniq_closes_groups_as_lines_arrive() {
        let mut u = Uniq::parse(&["-c"]).unwrap();
        assert_eq!(u.push("a"), None);
        assert_eq!(u.push("a"), None);
        assert_eq!(u.push("b").as_deref(), Some("      2 a"));
        assert_eq!(u.finish().as_deref(), Some("      1 b"));
        assert_eq!(Uniq::parse(&["-d"]).unwrap().run("a\na\nb\nc\nc\n", false), ["a", "c"]);
        assert_eq!(Uniq::parse(&["-u"]).unwrap().run("a\na\nb\n", false), ["b"]);
        assert_eq!(Uniq::parse(&["-i"]).unwrap().run("A\na\nb\n", true), ["A"]);
    }

    #[test]
    fn cut_picks_fields_and_characters() {
        let slash = Cut::parse(&["-d/", "-f2"]).unwrap();
        assert_eq!(slash.line("pod/web-1").as_deref(), Some("web-1"));
        assert_eq!(slash.line("no-slash").as_deref(), Some("no-slash"));
        assert_eq!(Cut::parse(&["-d/", "-f2", "-s"]).unwrap().line("no-slash"), None);
        assert_eq!(Cut::parse(&["-d", ":", "-f", "1,3-"]).unwrap().line("a:b:c:d").as_deref(), Some("a:c:d"));
        assert_eq!(Cut::parse(&["-c", "-3"]).unwrap().line("abcdef").as_deref(), Some("abc"));
        assert_eq!(
            Cut::parse(&["-d/"]).unwrap_err().message,
            "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information."
        );
        assert!(Cut::parse(&["-f", "0"]).unwrap_err().message.contains("numbered from 1"));
        assert!(Cut::parse(&["-f", "3-1"]).unwrap_err().message.contains("decreasing range"));
    }

    #[test]
    fn tr_translates_deletes_and_squeezes() {
        assert_eq!(Tr::parse(&["a-z", "A-Z"]).unwrap().apply("web-1\n"), "WEB-1\n");
        assert_eq!(Tr::parse(&["[:lower:]", "[:upper:]"]).unwrap().apply("ab"), "AB");
        assert_eq!(Tr::parse(&["-d", "0-9"]).unwrap().apply("web-12"), "web-");
        assert_eq!(Tr::parse(&["-s", " "]).unwrap().apply("a   b  c"), "a b c");
        assert_eq!(Tr::parse(&["-s", " ", ","]).unwrap().apply("a   b"), "a,b");
        let join = Tr::parse(&["\\n", " "]).unwrap();
        assert!(join.touches_newline());
        assert_eq!(join.apply("a\nb\n"), "a b ");
        assert_eq!(Tr::parse(&["abc", "x"]).unwrap().apply("abcd"), "xxxd");
        assert_eq!(
            Tr::parse(&["a"]).unwrap_err().message,
            "tr: missing operand after 'a'\nTwo strings must be given when translating.\nTry 'tr --help' for more information."
        );
    }

    #[test]
    fn base64_lines_and_open_ends() {
        let run = |args: &[&str], input: &str| {
            let out = Base64::parse(args).expect("parse").run(input.as_bytes());
            (out.lines, out.unterminated, out.refused.map(|r| r.message))
        };
        let lines = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(run(&[], ""), (lines(&[]), false, None));
        assert_eq!(run(&["-w", "4"], "root"), (lines(&["cm9v", "dA=="]), false, None));
        // Without wrapping the one line is not ended either.
        assert_eq!(run(&["-w0"], "root\n"), (lines(&["cm9vdAo="]), true, None));
        assert_eq!(run(&["-w0"], ""), (lines(&[]), false, None));
        assert_eq!(run(&["-d"], "cm9vdA==\n"), (lines(&["root"]), true, None));
        // A lone newline decodes to one empty line; two lines keep both.
        assert_eq!(run(&["-d"], "Cg==\n"), (lines(&[""]), false, None));
        assert_eq!(run(&["--decode"], "YQpiCg==\n"), (lines(&["a", "b"]), false, None));
        // Only whole groups of four decode before the fault.
        assert_eq!(run(&["-d"], "cm9vdA\n"), (lines(&["roo"]), true, Some("base64: invalid input".into())));
        assert_eq!(run(&["-di"], "cm9v*dA==\n"), (lines(&["root"]), true, None));
    }
}

