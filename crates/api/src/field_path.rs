//! A field path as the API server's messages spell it: `spec.containers[0].image`.

/// One step of a path from the object's root.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// The path of `segments`, outermost first.
pub(crate) fn render<'a>(segments: impl IntoIterator<Item = Segment<'a>>) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_join_with_dots_and_indexes_follow_in_brackets() {
        let path = [Segment::Key("spec"), Segment::Key("containers"), Segment::Index(0), Segment::Key("image")];
        assert_eq!(render(path), "spec.containers[0].image");
        assert_eq!(render([Segment::Index(2)]), "[2]");
        assert_eq!(render([]), "");
    }
}
