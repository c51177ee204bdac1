//! Shell arithmetic (`$((…))`) as bash evaluates it: 64-bit integers, C precedence, variable
//! names standing for their values (unset or empty is 0). Enough for the loops and counters
//! learners write around kubectl (`$((i+1))`, `$((N * 2 % 3))`, `$(( a > b ))`).

/// Evaluates `expr` (already parameter-expanded); `var` gives a name's value.
///
/// # Errors
/// bash's message after `bash: ` (`1/0: division by 0 (error token is "0")`).
pub fn eval(expr: &str, var: &dyn Fn(&str) -> String) -> Result<i64, String> {
    let tokens = tokenize(expr)?;
    if tokens.is_empty() {
        return Ok(0);
    }
    let mut p = Parser {
        expr,
        tokens: &tokens,
        pos: 0,
        var,
    };
    let v = p.binary(0)?;
    match p.tokens.get(p.pos) {
        None => Ok(v),
        Some(t) => Err(p.error("syntax error in expression", t)),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(i64),
    Name(String),
    Op(&'static str),
    Open,
    Close,
}

impl Tok {
    fn text(&self) -> String {
        match self {
            Tok::Num(n) => n.to_string(),
            Tok::Name(s) => s.clone(),
            Tok::Op(o) => (*o).to_string(),
            Tok::Open => "(".into(),
            Tok::Close => ")".into(),
        }
    }
}

/// Longest operators first, so `<=` is not read as `<` then `=`.
const OPERATORS: [&str; 18] = [
    "**", "<=", ">=", "==", "!=", "&&", "||", "<<", ">>", "+", "-", "*", "/", "%", "<", ">", "!",
    "~",
];

fn tokenize(expr: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = expr.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let len = chars[i..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
            let text: String = chars[i..i + len].iter().collect();
            let n = text.parse::<i64>().map_err(|_| {
                format!("{expr}: value too great for base (error token is \"{text}\")")
            })?;
            out.push(Tok::Num(n));
            i += len;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let len = chars[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .count();
            out.push(Tok::Name(chars[i..i + len].iter().collect()));
            i += len;
        } else if c == '(' {
            out.push(Tok::Open);
            i += 1;
        } else if c == ')' {
            out.push(Tok::Close);
            i += 1;
        } else {
            let rest: String = chars[i..].iter().take(2).collect();
            let Some(op) = OPERATORS.iter().find(|op| rest.starts_with(**op)) else {
                let token: String = chars[i..].iter().collect();
                return Err(format!(
                    "{expr}: syntax error: invalid arithmetic operator (error token is \"{token}\")"
                ));
            };
            out.push(Tok::Op(op));
            i += op.chars().count();
        }
    }
    Ok(out)
}

struct Parser<'a> {
    expr: &'a str,
    tokens: &'a [Tok],
    pos: usize,
    var: &'a dyn Fn(&str) -> String,
}

/// Binary operators by precedence, lowest first (bash's table, without assignment and `?:`).
fn precedence(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "==" | "!=" => 3,
        "<" | ">" | "<=" | ">=" => 4,
        "<<" | ">>" => 5,
        "+" | "-" => 6,
        "*" | "/" | "%" => 7,
        "**" => 8,
        _ => return None,
    })
}

impl Parser<'_> {
    fn error(&self, what: &str, at: &Tok) -> String {
        let rest: Vec<String> = self.tokens[self.pos..].iter().map(Tok::text).collect();
        let token = if rest.is_empty() { at.text() } else { rest.join(" ") };
        format!("{}: {what} (error token is \"{token}\")", self.expr.trim())
    }

    fn binary(&mut self, min: u8) -> Result<i64, String> {
        let mut left = self.unary()?;
        while let Some(Tok::Op(op)) = self.tokens.get(self.pos) {
            let Some(prec) = precedence(op) else { break };
            if prec < min {
                break;
            }
            let op_tok = self.tokens[self.pos].clone();
            self.pos += 1;
            // `**` is right-associative; the others bind to the left.
            let next = if *op == "**" { prec } else { prec + 1 };
            let right = self.binary(next)?;
            left = match *op {
                "||" => i64::from(left != 0 || right != 0),
                "&&" => i64::from(left != 0 && right != 0),
                "==" => i64::from(left == right),
                "!=" => i64::from(left != right),
                "<" => i64::from(left < right),
                ">" => i64::from(left > right),
                "<=" => i64::from(left <= right),
                ">=" => i64::from(left >= right),
                "<<" => left.wrapping_shl(right as u32),
                ">>" => left.wrapping_shr(right as u32),
                "+" => left.wrapping_add(right),
                "-" => left.wrapping_sub(right),
                "*" => left.wrapping_mul(right),
                "/" | "%" if right == 0 => {
                    self.pos -= 1;
                    return Err(self.error("division by 0", &op_tok));
                }
                "/" => left.wrapping_div(right),
                "%" => left.wrapping_rem(right),
                "**" if right < 0 => return Err(self.error("exponent less than 0", &op_tok)),
                _ => left.wrapping_pow(right.min(u32::MAX as i64) as u32),
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<i64, String> {
        let Some(tok) = self.tokens.get(self.pos).cloned() else {
            // At the end bash names the last token it read (`1 +` → "+").
            let last = self.tokens.last().map(Tok::text).unwrap_or_default();
            return Err(format!(
                "{}: syntax error: operand expected (error token is \"{last}\")",
                self.expr.trim()
            ));
        };
        self.pos += 1;
        match tok {
            Tok::Num(n) => Ok(n),
            Tok::Name(name) => {
                let value = (self.var)(&name);
                let value = value.trim();
                if value.is_empty() {
                    Ok(0)
                } else {
                    value.parse::<i64>().map_err(|_| {
                        format!("{value}: syntax error in expression (error token is \"{value}\")")
                    })
                }
            }
            Tok::Op("-") => Ok(self.unary()?.wrapping_neg()),
            Tok::Op("+") => self.unary(),
            Tok::Op("!") => Ok(i64::from(self.unary()? == 0)),
            Tok::Op("~") => Ok(!self.unary()?),
            Tok::Open => {
                let v = self.binary(0)?;
                match self.tokens.get(self.pos) {
                    Some(Tok::Close) => {
                        self.pos += 1;
                        Ok(v)
                    }
                    _ => Err(format!(
                        "{}: missing `)' (error token is \"{}\")",
                        self.expr.trim(),
                        self.tokens[self.pos.min(self.tokens.len())..]
                            .iter()
                            .map(Tok::text)
                            .collect::<Vec<_>>()
                            .join(" ")
                    )),
                }
            }
            other => {
                self.pos -= 1;
                Err(self.error("syntax error: operand expected", &other))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::eval;

    fn vars(name: &str) -> String {
        match name {
            "i" => "4".into(),
            "N" => "10".into(),
            "EMPTY" => String::new(),
            _ => String::new(),
        }
    }

    #[test]
    fn evaluates_like_bash() {
        let cases: &[(&str, i64)] = &[
            ("1+2", 3),
            ("i+1", 5),
            (" N * 2 % 3 ", 2),
            ("2**3**2", 512),
            ("-3/2", -1),
            ("7%-3", 1),
            ("(1+2)*3", 9),
            ("i > 3 && N < 5", 0),
            ("i >= 4 || 0", 1),
            ("!0 + ~0", 0),
            ("UNSET + 1", 1),
            ("EMPTY", 0),
            ("", 0),
            ("1 << 4", 16),
            ("i == 4", 1),
        ];
        for (expr, want) in cases {
            assert_eq!(eval(expr, &vars), Ok(*want), "{expr}");
        }
    }

    #[test]
    fn errors_name_the_token_as_bash_does() {
        assert_eq!(
            eval("1/0", &vars),
            Err("1/0: division by 0 (error token is \"0\")".to_string())
        );
        assert_eq!(
            eval("1 +", &vars),
            Err("1 +: syntax error: operand expected (error token is \"+\")".to_string())
        );
        assert_eq!(
            eval("2 $ 3", &vars),
            Err("2 $ 3: syntax error: invalid arithmetic operator (error token is \"$ 3\")".to_string())
        );
    }
}
