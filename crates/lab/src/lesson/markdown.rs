//! The markdown subset lesson texts use: paragraphs, `- ` bullet lists, fenced code blocks,
//! and inline `code` and **bold**. Anything else is plain text. Parsed here (not in the page)
//! so a lesson with an unclosed fence fails its test instead of rendering oddly.

/// A run of text inside a paragraph or list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Code(String),
    Strong(String),
}

/// A block of a lesson text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    Bullets(Vec<Vec<Inline>>),
    Code(String),
}

/// Parses `text`.
///
/// # Errors
/// `(line index from 0, problem)` for an unclosed fence, backtick or `**`.
pub fn parse(text: &str) -> Result<Vec<Block>, (usize, String)> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with("```") {
            let mut code = Vec::new();
            loop {
                match lines.next() {
                    Some((_, l)) if l.trim().starts_with("```") => break,
                    Some((_, l)) => code.push(l),
                    None => return Err((i, "code block opened with ``` is never closed".into())),
                }
            }
            blocks.push(Block::Code(code.join("\n")));
        } else if let Some(item) = bullet(trimmed) {
            let mut items = vec![inlines(item).map_err(|e| (i, e))?];
            while let Some((j, l)) = lines.peek().copied() {
                match bullet(l.trim()) {
                    Some(item) => {
                        items.push(inlines(item).map_err(|e| (j, e))?);
                        lines.next();
                    }
                    // An indented line continues the previous item.
                    None if !l.trim().is_empty() && l.starts_with("  ") => {
                        let last = items.len() - 1;
                        items[last].push(Inline::Text(" ".into()));
                        items[last].extend(inlines(l.trim()).map_err(|e| (j, e))?);
                        lines.next();
                    }
                    None => break,
                }
            }
            blocks.push(Block::Bullets(items));
        } else {
            let mut para = vec![trimmed.to_string()];
            while let Some((_, l)) = lines.peek().copied() {
                let t = l.trim();
                if t.is_empty() || t.starts_with("```") || bullet(t).is_some() {
                    break;
                }
                para.push(t.to_string());
                lines.next();
            }
            blocks.push(Block::Paragraph(
                inlines(&para.join(" ")).map_err(|e| (i, e))?,
            ));
        }
    }
    Ok(blocks)
}

fn bullet(line: &str) -> Option<&str> {
    line.strip_prefix("- ").or_else(|| line.strip_prefix("* "))
}

fn inlines(text: &str) -> Result<Vec<Inline>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let next = [rest.find('`'), rest.find("**")]
            .into_iter()
            .flatten()
            .min();
        let Some(at) = next else {
            out.push(Inline::Text(rest.to_string()));
            break;
        };
        if at > 0 {
            out.push(Inline::Text(rest[..at].to_string()));
        }
        let tail = &rest[at..];
        if let Some(inner) = tail.strip_prefix('`') {
            let end = inner
                .find('`')
                .ok_or_else(|| format!("unclosed ` in \"{text}\""))?;
            out.push(Inline::Code(inner[..end].to_string()));
            rest = &inner[end + 1..];
        } else {
            let inner = &tail[2..];
            let end = inner
                .find("**")
                .ok_or_else(|| format!("unclosed ** in \"{text}\""))?;
            out.push(Inline::Strong(inner[..end].to_string()));
            rest = &inner[end + 2..];
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_paragraphs_lists_and_code() {
        let blocks = parse(
            "A **pod** runs `kubia`\nacross lines.\n\n- one\n- two\n  more\n\n```\nk get po\n```\n",
        )
        .expect("parses");
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph(vec![
                    Inline::Text("A ".into()),
                    Inline::Strong("pod".into()),
                    Inline::Text(" runs ".into()),
                    Inline::Code("kubia".into()),
                    Inline::Text(" across lines.".into()),
                ]),
                Block::Bullets(vec![
                    vec![Inline::Text("one".into())],
                    vec![
                        Inline::Text("two".into()),
                        Inline::Text(" ".into()),
                        Inline::Text("more".into())
                    ],
                ]),
                Block::Code("k get po".into()),
            ]
        );
    }

    #[test]
    fn unclosed_marks_name_their_line() {
        assert_eq!(parse("ok\n\n```\ncode").unwrap_err().0, 2);
        assert!(parse("a `b").unwrap_err().1.contains("unclosed `"));
        assert!(parse("x\n\na **b").unwrap_err().1.contains("unclosed **"));
    }
}
