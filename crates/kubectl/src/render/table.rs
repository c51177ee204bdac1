//! Column alignment as kubectl's table printer produces it.
//!
//! Mirrors cli-runtime pkg/printers/tabwriter.go (v1.34): `github.com/liggitt/tabwriter` with
//! minwidth 6, tabwidth 4, padding 3, padchar ' ' and RememberWidths. A column is as wide as
//! its widest cell plus three blanks (at least six); the last column is never padded, so no
//! line has trailing blanks. Widths count characters (Go counts runes), not display cells.

/// Aligns rows of cells into lines. Every row should have the same number of cells.
pub fn align(rows: &[Vec<String>]) -> Vec<String> {
    let mut widths = Widths::default();
    widths.fit(rows);
    rows.iter().map(|r| widths.line(r)).collect()
}

/// Remembered column widths, for output that arrives in several flushes (`get -w`): a later
/// row never shrinks a column, and widens it only when its own cell is wider.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Widths {
    cols: Vec<usize>,
}

/// tabwriter `minwidth`.
const MIN_WIDTH: usize = 6;
/// tabwriter `padding`.
const PADDING: usize = 3;

impl Widths {
    /// Grows the widths to fit `rows` (all but each row's last cell).
    pub fn fit(&mut self, rows: &[Vec<String>]) {
        for row in rows {
            for (i, cell) in row.iter().enumerate().take(row.len().saturating_sub(1)) {
                let w = (cell.chars().count() + PADDING).max(MIN_WIDTH);
                if i >= self.cols.len() {
                    self.cols.resize(i + 1, 0);
                }
                self.cols[i] = self.cols[i].max(w);
            }
        }
    }

    /// One row as a line, using the current widths.
    pub fn line(&self, row: &[String]) -> String {
        let mut out = String::new();
        let last = row.len().saturating_sub(1);
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i < last {
                let w = self.cols.get(i).copied().unwrap_or(MIN_WIDTH);
                let pad = w.saturating_sub(cell.chars().count());
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(rows: &[&[&str]], want: &str) {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(align(&rows).join("\n"), want);
    }

    #[test]
    fn deployment_docs_example() {
        // The Deployment concept page of kubernetes/website shows exactly this.
        check(
            &[
                &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
                &["nginx-deployment", "3/3", "3", "3", "18s"],
            ],
            "NAME               READY   UP-TO-DATE   AVAILABLE   AGE\nnginx-deployment   3/3     3            3           18s",
        );
    }

    #[test]
    fn minimum_width_and_empty_cells() {
        check(
            &[&["A", "", "C"], &["B", "x", "D"]],
            "A           C\nB     x     D",
        );
    }

    #[test]
    fn remembered_widths_only_grow() {
        let mut w = Widths::default();
        w.fit(&[vec!["NAME".into(), "AGE".into()]]);
        w.fit(&[vec!["nginx".into(), "1s".into()]]);
        assert_eq!(w.line(&["nginx".into(), "1s".into()]), "nginx   1s");
        w.fit(&[vec!["a-much-longer-name".into(), "2s".into()]]);
        assert_eq!(
            w.line(&["x".into(), "3s".into()]),
            "x                    3s"
        );
    }
}
