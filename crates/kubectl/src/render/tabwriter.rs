//! Go's `text/tabwriter` column-block algorithm, for output whose lines have different
//! numbers of cells (describe).
//!
//! A column block is a run of consecutive lines that all have a tab-terminated cell in that
//! column; its width is the widest cell plus `padding` (at least `minwidth`). The text after
//! a line's last tab is not part of any column and is never padded.

/// Aligns `text` (lines of tab-separated cells) like `tabwriter.NewWriter(w, minwidth, 8,
/// padding, ' ', 0)` followed by one `Flush`.
pub fn align(text: &str, minwidth: usize, padding: usize) -> String {
    let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    let mut out = String::new();
    let mut widths: Vec<usize> = Vec::new();
    format(
        &lines,
        0,
        lines.len(),
        &mut widths,
        minwidth,
        padding,
        &mut out,
    );
    // `split` gave one more (empty) line than there were newlines.
    out.truncate(out.len().saturating_sub(1));
    out
}

fn format(
    lines: &[Vec<&str>],
    mut line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    minwidth: usize,
    padding: usize,
    out: &mut String,
) {
    let column = widths.len();
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, line0, this, widths, out);
        line0 = this;
        let mut width = minwidth;
        while this < line1 && column + 1 < lines[this].len() {
            width = width.max(lines[this][column].chars().count() + padding);
            this += 1;
        }
        widths.push(width);
        format(lines, line0, this, widths, minwidth, padding, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, line0, line1, widths, out);
}

fn write_lines(lines: &[Vec<&str>], from: usize, to: usize, widths: &[usize], out: &mut String) {
    for line in &lines[from..to] {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if j < widths.len() && j + 1 < line.len() {
                let pad = widths[j].saturating_sub(cell.chars().count());
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks() {
        let text = "Name:\tx\nService Account:\tdefault\nIPs:\n  IP:\t10.0.0.1";
        assert_eq!(
            align(text, 0, 2),
            "Name:             x\nService Account:  default\nIPs:\n  IP:  10.0.0.1"
        );
    }
}
