//! The shell grammar the lab terminal understands beyond words: pipes (`a | b`), output
//! redirection (`> f`, `>> f`), here-documents (`<<EOF`, `<<'EOF'`, `<<\EOF`, `<<-EOF`) and
//! `#` comments. Quoting follows `split_words`; operators inside quotes are plain text.

use crate::command_line::SplitError;

/// One parsed terminal line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShellLine {
    /// The commands of the pipeline, each as its words.
    pub commands: Vec<Vec<String>>,
    /// `> path` (false) or `>> path` (true).
    pub redirect: Option<(String, bool)>,
    /// The here-document delimiter, if the line opens one.
    pub heredoc: Option<String>,
}

#[derive(Debug, PartialEq)]
enum Tok {
    Word(String),
    Pipe,
    Out,
    Append,
    Heredoc(String),
}

/// Parses one line.
///
/// # Errors
/// An unterminated quote, or an operator without its word (bash's syntax error).
pub fn parse(line: &str) -> Result<ShellLine, SplitError> {
    let toks = tokenize(line)?;
    let mut out = ShellLine {
        commands: vec![Vec::new()],
        ..Default::default()
    };
    let mut it = toks.into_iter().peekable();
    while let Some(t) = it.next() {
        match t {
            Tok::Word(w) => {
                if let Some(last) = out.commands.last_mut() {
                    last.push(w);
                }
            }
            Tok::Pipe => out.commands.push(Vec::new()),
            Tok::Out | Tok::Append => match it.next() {
                Some(Tok::Word(w)) => out.redirect = Some((w, t == Tok::Append)),
                _ => return Err(SplitError::Syntax("newline".into())),
            },
            Tok::Heredoc(d) => out.heredoc = Some(d),
        }
    }
    if out.commands.len() > 1 && out.commands.iter().any(Vec::is_empty) {
        return Err(SplitError::Syntax("|".into()));
    }
    Ok(out)
}

fn tokenize(line: &str) -> Result<Vec<Tok>, SplitError> {
    let mut toks = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    let flush = |cur: &mut String, in_word: &mut bool, toks: &mut Vec<Tok>| {
        if *in_word {
            toks.push(Tok::Word(std::mem::take(cur)));
            *in_word = false;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => flush(&mut cur, &mut in_word, &mut toks),
            '#' if !in_word => break,
            '|' => {
                flush(&mut cur, &mut in_word, &mut toks);
                toks.push(Tok::Pipe);
            }
            '>' => {
                flush(&mut cur, &mut in_word, &mut toks);
                if chars.get(i + 1) == Some(&'>') {
                    i += 1;
                    toks.push(Tok::Append);
                } else {
                    toks.push(Tok::Out);
                }
            }
            '<' if chars.get(i + 1) == Some(&'<') => {
                flush(&mut cur, &mut in_word, &mut toks);
                i += 2;
                if chars.get(i) == Some(&'-') {
                    i += 1;
                }
                while chars.get(i) == Some(&' ') {
                    i += 1;
                }
                let mut delim = String::new();
                while let Some(&d) = chars.get(i) {
                    match d {
                        ' ' | '\t' | '|' | '>' => break,
                        '\'' | '"' | '\\' => {}
                        other => delim.push(other),
                    }
                    i += 1;
                }
                if delim.is_empty() {
                    return Err(SplitError::Syntax("newline".into()));
                }
                toks.push(Tok::Heredoc(delim));
                continue;
            }
            '\'' => {
                in_word = true;
                i += 1;
                loop {
                    match chars.get(i) {
                        Some('\'') => break,
                        Some(&ch) => cur.push(ch),
                        None => return Err(SplitError::UnterminatedQuote { quote: '\'' }),
                    }
                    i += 1;
                }
            }
            '"' => {
                in_word = true;
                i += 1;
                loop {
                    match chars.get(i) {
                        Some('"') => break,
                        Some('\\') => {
                            i += 1;
                            match chars.get(i) {
                                Some(&ch @ ('"' | '\\' | '$' | '`')) => cur.push(ch),
                                Some(&ch) => {
                                    cur.push('\\');
                                    cur.push(ch);
                                }
                                None => return Err(SplitError::UnterminatedQuote { quote: '"' }),
                            }
                        }
                        Some(&ch) => cur.push(ch),
                        None => return Err(SplitError::UnterminatedQuote { quote: '"' }),
                    }
                    i += 1;
                }
            }
            '\\' => {
                in_word = true;
                i += 1;
                if let Some(&ch) = chars.get(i) {
                    cur.push(ch);
                }
            }
            other => {
                in_word = true;
                cur.push(other);
            }
        }
        i += 1;
    }
    flush(&mut cur, &mut in_word, &mut toks);
    Ok(toks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lines() {
        let l = parse("cat > kubia.yaml <<'EOF'").expect("parse");
        assert_eq!(l.commands, vec![words(&["cat"])]);
        assert_eq!(l.redirect, Some(("kubia.yaml".into(), false)));
        assert_eq!(l.heredoc.as_deref(), Some("EOF"));
        let l = parse("kubectl get po -o wide | grep dns  # comment").expect("parse");
        assert_eq!(
            l.commands,
            vec![
                words(&["kubectl", "get", "po", "-o", "wide"]),
                words(&["grep", "dns"])
            ]
        );
        let l = parse("echo 'a | b' >> f").expect("parse");
        assert_eq!(l.commands, vec![words(&["echo", "a | b"])]);
        assert_eq!(l.redirect, Some(("f".into(), true)));
        assert_eq!(parse("a |").unwrap_err(), SplitError::Syntax("|".into()));
    }
}
