//! bash's `test` / `[ … ]` built-in for the lab terminal: the forms loops and `&&` chains
//! use — string tests (`-z`, `-n`, `=`, `!=`), integer comparisons (`-eq` … `-ge`), file
//! tests on the lab's files (`-e`, `-f`, `-d`, `-s`), `!` — with bash's messages and
//! statuses (0 true, 1 false, 2 error).

use crate::fs::LabFs;
use crate::session::Output;

/// Runs `test ARGS` (`name` is `test` or `[`, for messages).
pub fn run(name: &str, args: &[&str], fs: &LabFs) -> Output {
    let result = match args {
        ["!", rest @ ..] => eval(rest, fs).map(|b| !b),
        _ => eval(args, fs),
    };
    match result {
        Ok(true) => Output::default(),
        Ok(false) => Output {
            status: 1,
            ..Output::default()
        },
        Err(e) => {
            let mut out = Output::stderr(format!("bash: {name}: {e}"));
            out.status = 2;
            out
        }
    }
}

fn eval(args: &[&str], fs: &LabFs) -> Result<bool, String> {
    Ok(match args {
        [] => false,
        [s] => !s.is_empty(),
        ["-z", s] => s.is_empty(),
        ["-n", s] => !s.is_empty(),
        ["-e", p] => fs.read(p).is_some() || fs.is_dir(p),
        ["-f", p] => fs.read(p).is_some(),
        ["-d", p] => fs.is_dir(p),
        ["-s", p] => fs.read(p).is_some_and(|t| !t.is_empty()),
        [a, "=" | "==", b] => a == b,
        [a, "!=", b] => a != b,
        [a, op @ ("-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge"), b] => {
            let (x, y) = (integer(a)?, integer(b)?);
            match *op {
                "-eq" => x == y,
                "-ne" => x != y,
                "-lt" => x < y,
                "-le" => x <= y,
                "-gt" => x > y,
                _ => x >= y,
            }
        }
        [op, _] if op.starts_with('-') => return Err(format!("{op}: unary operator expected")),
        [_, op, _] => return Err(format!("{op}: binary operator expected")),
        _ => return Err("too many arguments".into()),
    })
}

fn integer(s: &str) -> Result<i64, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("{s}: integer expression expected"))
}
