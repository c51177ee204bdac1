//! `sed` as GNU sed 4.9 (the Debian-based images: nginx, perl, python) runs the substitutions
//! tutorials use: `sed [-i] [-E|-r] [-n] [-e] SCRIPT FILE…` where the script is `s` commands
//! (any delimiter, flags `g`, `p`, `I`, a number), separated by `;` or newlines. Patterns are
//! POSIX basic regular expressions with GNU's `\+`, `\?`, `\|` (extended with `-E`),
//! translated to `regex_lite`. Other commands are refused with a message saying so.

/// What sed printed (stdout and stderr, in order) and its status.
pub struct SedRun {
    pub lines: Vec<String>,
    pub status: i32,
    /// Files `-i` rewrote: (path, new text).
    pub writes: Vec<(String, String)>,
}

struct Subst {
    re: regex_lite::Regex,
    replacement: String,
    global: bool,
    nth: usize,
    print: bool,
}

/// Runs sed over files read with `read` (none: nothing to read, as a container's
/// process has no stdin here).
pub fn run(args: &[String], read: &dyn Fn(&str) -> Option<String>) -> SedRun {
    let mut in_place = false;
    let mut extended = false;
    let mut quiet = false;
    let mut scripts: Vec<String> = Vec::new();
    let mut files: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-i" | "--in-place" => in_place = true,
            "-E" | "-r" | "--regexp-extended" => extended = true,
            "-n" | "--quiet" | "--silent" => quiet = true,
            "-e" | "--expression" => match it.next() {
                Some(s) => scripts.push(s.clone()),
                None => return usage("option requires an argument -- 'e'"),
            },
            flags if flags.starts_with('-') && flags.len() > 1 && flags[1..].chars().all(|c| "inErs".contains(c)) => {
                in_place |= flags.contains('i');
                extended |= flags.contains(['E', 'r']);
                quiet |= flags.contains('n');
            }
            flag if flag.starts_with('-') && flag.len() > 1 => {
                return usage(&format!("invalid option -- '{}'", flag.trim_start_matches('-')));
            }
            _ if scripts.is_empty() => scripts.push(a.clone()),
            _ => files.push(a.clone()),
        }
    }
    let Some(_) = scripts.first() else {
        return usage("no script specified");
    };
    let mut substs = Vec::new();
    for (n, script) in scripts.iter().enumerate() {
        match parse(script, extended) {
            Ok(mut s) => substs.append(&mut s),
            Err(Parse::Bad(char_at, msg)) => {
                return fail(format!("sed: -e expression #{}, char {char_at}: {msg}", n + 1), 1);
            }
            Err(Parse::Unsupported) => {
                return fail(
                    format!("sed (simulated): `{script}` is beyond this simulated sed, which runs only `s` commands without addresses"),
                    1,
                );
            }
        }
    }
    if in_place && files.is_empty() {
        return fail("sed: no input files".into(), 1);
    }
    let mut out = SedRun {
        lines: Vec::new(),
        status: 0,
        writes: Vec::new(),
    };
    for f in &files {
        let Some(text) = read(f) else {
            out.lines.push(format!("sed: can't read {f}: No such file or directory"));
            out.status = 2;
            continue;
        };
        let mut edited = String::new();
        for line in text.lines() {
            let (line, printed) = apply(&substs, line);
            if printed {
                push_line(&mut edited, &line, &mut out.lines, in_place);
            }
            if !quiet {
                push_line(&mut edited, &line, &mut out.lines, in_place);
            }
        }
        if in_place {
            out.writes.push((f.clone(), edited));
        }
    }
    out
}

fn push_line(edited: &mut String, line: &str, out: &mut Vec<String>, in_place: bool) {
    if in_place {
        edited.push_str(line);
        edited.push('\n');
    } else {
        out.push(line.to_string());
    }
}

fn usage(msg: &str) -> SedRun {
    fail(
        format!("sed: {msg}\nUsage: sed [OPTION]... {{script-only-if-no-other-script}} [input-file]..."),
        1,
    )
}

fn fail(msg: String, status: i32) -> SedRun {
    SedRun {
        lines: msg.lines().map(str::to_string).collect(),
        status,
        writes: Vec::new(),
    }
}

/// Applies the substitutions to one line; whether a `p` flag printed it.
fn apply(substs: &[Subst], line: &str) -> (String, bool) {
    let mut line = line.to_string();
    let mut printed = false;
    for s in substs {
        let mut result = String::new();
        let mut last = 0;
        let mut done = false;
        for (i, caps) in s.re.captures_iter(&line).enumerate() {
            let Some(whole) = caps.get(0) else { continue };
            if i + 1 < s.nth {
                continue;
            }
            result.push_str(&line[last..whole.start()]);
            expand(&s.replacement, &caps, &mut result);
            last = whole.end();
            done = true;
            if !s.global {
                break;
            }
        }
        if done {
            result.push_str(&line[last..]);
            line = result;
            printed |= s.print;
        }
    }
    (line, printed)
}

/// A replacement's `&`, `\1`…`\9`, `\n` and escaped characters.
fn expand(replacement: &str, caps: &regex_lite::Captures<'_>, out: &mut String) {
    let mut chars = replacement.chars();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str(caps.get(0).map_or("", |m| m.as_str())),
            '\\' => match chars.next() {
                Some(d @ '1'..='9') => {
                    let n = d.to_digit(10).unwrap_or(0) as usize;
                    out.push_str(caps.get(n).map_or("", |m| m.as_str()));
                }
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(x) => out.push(x),
                None => {}
            },
            _ => out.push(c),
        }
    }
}

enum Parse {
    /// GNU sed's own error: the character position and message.
    Bad(usize, String),
    /// An address or a sed command the simulation does not run.
    Unsupported,
}

/// Parses a script of `s` commands.
fn parse(script: &str, extended: bool) -> Result<Vec<Subst>, Parse> {
    let chars: Vec<char> = script.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    loop {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ';') {
            i += 1;
        }
        if i >= chars.len() {
            return Ok(out);
        }
        let cmd = chars[i];
        if cmd != 's' {
            // Addresses and sed's other commands are real sed, but not simulated.
            return Err(if "aAbBcdDeFgGhHilLnNpPqQrRtTvwWxyz=#:{}!$/\\0123456789".contains(cmd) {
                Parse::Unsupported
            } else {
                Parse::Bad(i + 1, format!("unknown command: `{cmd}'"))
            });
        }
        i += 1;
        let Some(&delim) = chars.get(i) else {
            return Err(Parse::Bad(i, "unterminated `s' command".into()));
        };
        if delim == '\\' || delim == '\n' {
            return Err(Parse::Bad(i + 1, "unterminated `s' command".into()));
        }
        i += 1;
        let (pattern, next) = part(&chars, i, delim).ok_or(Parse::Bad(chars.len(), "unterminated `s' command".into()))?;
        let (replacement, next) = part(&chars, next, delim).ok_or(Parse::Bad(chars.len(), "unterminated `s' command".into()))?;
        i = next;
        let mut global = false;
        let mut nth = 1;
        let mut print = false;
        let mut icase = false;
        while i < chars.len() && chars[i] != ';' && chars[i] != '\n' && chars[i] != '}' {
            match chars[i] {
                'g' => global = true,
                'p' => print = true,
                'I' | 'i' => icase = true,
                d if d.is_ascii_digit() => {
                    let start = i;
                    while i + 1 < chars.len() && chars[i + 1].is_ascii_digit() {
                        i += 1;
                    }
                    nth = chars[start..=i].iter().collect::<String>().parse().unwrap_or(1);
                }
                ' ' | '\t' => {}
                _ => return Err(Parse::Bad(i + 1, "unknown option to `s'".into())),
            }
            i += 1;
        }
        let translated = translate(&pattern, extended, delim);
        let translated = if icase { format!("(?i){translated}") } else { translated };
        let re = regex_lite::Regex::new(&translated)
            .map_err(|_| Parse::Bad(i, "Invalid preceding regular expression".into()))?;
        out.push(Subst {
            re,
            replacement,
            global,
            nth,
            print,
        });
    }
}

/// Text up to the next unescaped delimiter (an escaped delimiter stands for itself) and the
/// index after the delimiter.
fn part(chars: &[char], mut i: usize, delim: char) -> Option<(String, usize)> {
    let mut s = String::new();
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && chars.get(i + 1) == Some(&delim) {
            s.push(delim);
            i += 2;
            continue;
        }
        if c == '\\' {
            s.push(c);
            if let Some(&n) = chars.get(i + 1) {
                s.push(n);
            }
            i += 2;
            continue;
        }
        if c == delim {
            return Some((s, i + 1));
        }
        s.push(c);
        i += 1;
    }
    None
}

/// A POSIX basic (or, with `extended`, extended) regular expression in `regex_lite` syntax.
fn translate(pattern: &str, extended: bool, delim: char) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() => {
                let n = chars[i + 1];
                i += 2;
                match n {
                    '+' | '?' | '|' | '(' | ')' | '{' | '}' if !extended => out.push(n),
                    'n' => out.push_str("\\n"),
                    't' => out.push_str("\\t"),
                    'w' | 'W' | 's' | 'S' | 'b' | 'B' => {
                        out.push('\\');
                        out.push(n);
                    }
                    '<' | '>' => out.push_str("\\b"),
                    d if d.is_ascii_digit() => {
                        // Back-references are not available in regex_lite: match the digit.
                        out.push(d);
                    }
                    other => {
                        let _ = delim;
                        out.push_str(&regex_lite::escape(&other.to_string()));
                    }
                }
                continue;
            }
            '[' => {
                // A bracket expression is copied up to its closing `]` (a `]` first is literal).
                let mut j = i + 1;
                if chars.get(j) == Some(&'^') {
                    j += 1;
                }
                if chars.get(j) == Some(&']') {
                    j += 1;
                }
                while j < chars.len() && chars[j] != ']' {
                    if chars[j] == '['
                        && matches!(chars.get(j + 1), Some(':' | '.' | '='))
                        && let Some(end) = (j + 2..chars.len().saturating_sub(1))
                            .find(|&k| chars[k] == chars[j + 1] && chars[k + 1] == ']')
                    {
                        j = end + 2;
                        continue;
                    }
                    j += 1;
                }
                let body = &chars[i + 1..j.min(chars.len())];
                out.push('[');
                for (k, &b) in body.iter().enumerate() {
                    // A literal `]` first and regex_lite's own escapes inside the class.
                    if (b == ']' && k <= 1) || b == '\\' || (b == '[' && body.get(k + 1) != Some(&':')) {
                        out.push('\\');
                    }
                    out.push(b);
                }
                out.push(']');
                i = j + 1;
                continue;
            }
            '+' | '?' | '|' | '(' | ')' | '{' | '}' if !extended => {
                out.push('\\');
                out.push(c);
            }
            '*' if out.is_empty() || out.ends_with('^') => out.push_str("\\*"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sed(args: &[&str], file: &str) -> SedRun {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let text = file.to_string();
        run(&args, &move |p: &str| (p == "/f").then(|| text.clone()))
    }

    #[test]
    fn substitutions_follow_gnu_sed() {
        let conf = "server {\n    listen       80;\n    listen  [::]:80;\n}\n";
        // E-B87's edit of nginx's default.conf (GNU `\+` in a basic expression).
        let r = sed(&["-i", "s/listen \\+80/listen 8080/g", "/f"], conf);
        assert_eq!(r.status, 0);
        assert_eq!(r.writes, vec![("/f".to_string(), "server {\n    listen 8080;\n    listen  [::]:80;\n}\n".to_string())]);
        let cases: &[(&[&str], &str, &[&str])] = &[
            (&["s/a/b/", "/f"], "aaa\nxa", &["baa", "xb"]),
            (&["s/a/b/g", "/f"], "aaa", &["bbb"]),
            (&["s/a/b/2", "/f"], "aaa", &["aba"]),
            (&["s|/usr|/opt|", "/f"], "/usr/bin", &["/opt/bin"]),
            (&["s/\\(x*\\)y/[\\1]&/", "/f"], "xxy", &["[xx]xxy"]),
            (&["-E", "s/(a+)b/\\1-/", "/f"], "aab", &["aa-"]),
            (&["-n", "s/x/y/p", "/f"], "x\nz", &["y"]),
            (&["-e", "s/a/b/", "-e", "s/b/c/", "/f"], "a", &["c"]),
            (&["s/a.c/X/;s/[0-9]\\{2\\}/N/", "/f"], "abc 123", &["X N3"]),
            (&["s/A/b/I", "/f"], "a", &["b"]),
        ];
        for (args, input, want) in cases {
            let r = sed(args, input);
            assert_eq!(r.lines, *want, "sed {args:?}");
        }
    }

    #[test]
    fn errors_are_worded_as_gnu_sed() {
        let r = sed(&["s/a/b/", "/missing"], "");
        assert_eq!(r.lines, ["sed: can't read /missing: No such file or directory"]);
        assert_eq!(r.status, 2);
        let r = sed(&["s/a/b", "/f"], "a");
        assert_eq!(r.lines, ["sed: -e expression #1, char 5: unterminated `s' command"]);
        let r = sed(&["s/a/b/q", "/f"], "a");
        assert_eq!(r.lines, ["sed: -e expression #1, char 7: unknown option to `s'"]);
        let r = sed(&["2d", "/f"], "a");
        assert!(r.lines[0].starts_with("sed (simulated): `2d` is beyond"), "{:?}", r.lines);
    }
}
