//! `kubectl diff -f`: the live objects against what `apply` would make of the files.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/diff/diff.go (v1.34): each object's live
//! version is written to `LIVE-<n>/<group.>version.Kind.namespace.name` and its merged
//! version (apply's patch as a server dry run, or a dry-run create) to `MERGED-<n>/…`, both
//! as YAML of the whole object (without managedFields unless `--show-managed-fields`);
//! Secret data is masked; then `diff -u -N LIVE MERGED` prints
//! GNU diff's unified format and sets the exit status: 0 when nothing differs, 1 when
//! something does, and above 1 when kubectl failed.
//!
//! The temporary directories' random numbers come from a hash of the clock and the files'
//! contents, and file times are the simulated clock's, so a replay prints the same text.

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::Ctx;
use crate::errors::KubectlError;
use crate::render::yaml;
use crate::{Env, Outcome, manifest};

/// diff.go's masks for Secret data.
const MASK_DEFAULT: &str = "***";
const MASK_BEFORE: &str = "*** (before)";
const MASK_AFTER: &str = "*** (after)";

/// GNU diff's context lines for `-u`.
const CONTEXT: usize = 3;

/// Runs `kubectl diff`.
///
/// # Errors
/// Usage errors; failures of kubectl itself exit with status 2 (`CheckDiffErr`).
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let filenames = ctx.filenames();
    if filenames.is_empty() {
        return fail(out, "error: must specify one of -f and -k");
    }
    if !p.args.is_empty() {
        return fail(
            out,
            &format!(
                "error: Unexpected args: [{}]\nSee '{} -h' for help and examples",
                p.args.join(" "),
                ctx.path
            ),
        );
    }
    if p.bool("server-side") {
        return fail(out, "error: --server-side is not available in this lab; use client-side apply");
    }
    let docs = match manifest::read(&filenames, p.bool("recursive"), env) {
        Ok(d) => d,
        Err(e) => return fail(out, &e.to_string()),
    };
    // (file name, live text, merged text), in the order diff walks the directories.
    let mut files: Vec<(String, String, String)> = Vec::new();
    for doc in docs {
        let decoded = match doc.result {
            Ok(d) => d,
            Err(e) => return fail(out, &manifest::decode_error_text(&e, "creating")),
        };
        let name = file_name(&decoded.object, ctx);
        let (live, merged) =
            match super::apply::dry_run_merged(decoded.object, &decoded.value, &doc.source, ctx, env) {
                Ok(v) => v,
                Err(e) => return fail(out, &e.to_string()),
            };
        let show_managed = p.bool("show-managed-fields");
        let value = |o: &api::Object| {
            let mut v = api::omitempty::to_json(o);
            if !show_managed
                && let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut)
            {
                meta.remove("managedFields");
            }
            v
        };
        let mut live_v = live.as_deref().map(value);
        let mut merged_v = value(&merged);
        if merged.kind_info().kind == "Secret" && merged.kind_info().group.is_empty() {
            mask_secret(live_v.as_mut(), &mut merged_v);
        }
        let live_text = live_v.as_ref().map(yaml::to_yaml).unwrap_or_default();
        files.push((name, live_text, yaml::to_yaml(&merged_v)));
    }
    machinery::sort::sort_by(&mut files, |a, b| a.0.cmp(&b.0));
    let now = env.store.now();
    let seed: String = files.iter().map(|f| format!("{}\n{}\n{}", f.0, f.1, f.2)).collect();
    let live_dir = format!("/tmp/LIVE-{}", temp_number(now.as_millis(), "LIVE", &seed));
    let merged_dir = format!("/tmp/MERGED-{}", temp_number(now.as_millis(), "MERGED", &seed));
    let stamp = file_time(now);
    let mut differs = false;
    for (name, live, merged) in &files {
        if live == merged {
            continue;
        }
        differs = true;
        let a: Vec<&str> = lines(live);
        let b: Vec<&str> = lines(merged);
        let a_time = if live.is_empty() {
            // `-N` reads the missing file as empty, dated at the epoch.
            "1970-01-01 00:00:00.000000000 +0000".to_string()
        } else {
            stamp.clone()
        };
        out.out(format!("diff -u -N {live_dir}/{name} {merged_dir}/{name}"));
        out.out(format!("--- {live_dir}/{name}\t{a_time}"));
        out.out(format!("+++ {merged_dir}/{name}\t{stamp}"));
        for l in unified(&a, &b) {
            out.out(l);
        }
    }
    if differs {
        out.exit_code = 1;
    }
    Ok(())
}

/// kubectl diff's own failures exit with status 2, leaving 1 to mean "differences found".
fn fail(out: &mut Outcome, text: &str) -> Result<(), KubectlError> {
    out.err(text);
    out.exit_code = 2;
    Ok(())
}

/// diff.go `InfoObject.Name`: `<group.>version.Kind.namespace.name` (namespace empty for
/// cluster-scoped kinds).
fn file_name(obj: &api::Object, ctx: &Ctx) -> String {
    let info = obj.kind_info();
    let group = if info.group.is_empty() {
        String::new()
    } else {
        format!("{}.", info.group)
    };
    let ns = if info.namespaced {
        obj.namespace().unwrap_or(&ctx.namespace).to_string()
    } else {
        String::new()
    };
    format!("{group}{}.{}.{ns}.{}", info.version, info.kind, obj.name())
}

/// diff.go `Masker`: Secret data values become `***`, with `(before)`/`(after)` where a
/// key's value changed, so the diff shows that it changed but not to what.
fn mask_secret(live: Option<&mut Value>, merged: &mut Value) {
    let from = live
        .as_ref()
        .and_then(|v| v.get("data"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let to = merged.get("data").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut new_from = serde_json::Map::new();
    let mut new_to = serde_json::Map::new();
    for (k, v) in &from {
        match to.get(k) {
            Some(w) if w != v => {
                new_from.insert(k.clone(), MASK_BEFORE.into());
                new_to.insert(k.clone(), MASK_AFTER.into());
            }
            Some(_) => {
                new_from.insert(k.clone(), MASK_DEFAULT.into());
                new_to.insert(k.clone(), MASK_DEFAULT.into());
            }
            None => {
                new_from.insert(k.clone(), MASK_DEFAULT.into());
            }
        }
    }
    for k in to.keys() {
        if !from.contains_key(k) {
            new_to.insert(k.clone(), MASK_DEFAULT.into());
        }
    }
    if let Some(l) = live
        && l.get("data").is_some()
    {
        l["data"] = Value::Object(new_from);
    }
    if merged.get("data").is_some() {
        merged["data"] = Value::Object(new_to);
    }
}

/// os.MkdirTemp's random suffix, here a hash of the moment and the contents.
fn temp_number(now_ms: u64, prefix: &str, seed: &str) -> u32 {
    let digest = Sha256::new()
        .chain_update(now_ms.to_le_bytes())
        .chain_update(prefix.as_bytes())
        .chain_update(seed.as_bytes())
        .finalize();
    u32::from_le_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// GNU diff's file time: `2026-01-01 00:05:00.000000000 +0000`.
fn file_time(now: cluster::SimTime) -> String {
    let ts = now.to_time().0;
    let millis = ts.as_millisecond().rem_euclid(1000);
    format!("{}.{:03}000000 +0000", ts.strftime("%Y-%m-%d %H:%M:%S"), millis)
}

fn lines(text: &str) -> Vec<&str> {
    let t = text.strip_suffix('\n').unwrap_or(text);
    if t.is_empty() { Vec::new() } else { t.split('\n').collect() }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equal(usize, usize),
    Delete(usize),
    Insert(usize),
}

/// The edit script of a longest common subsequence, with each change's deletions before
/// its insertions (as GNU diff prints them). Between two equally long subsequences the one
/// that deletes first wins, as GNU diff's does: a moved block shows as deleted where it was
/// and inserted where it went, after the lines it moved past.
fn edit_script(a: &[&str], b: &[&str]) -> Vec<Op> {
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: the LCS length of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    let (mut dels, mut ins) = (Vec::new(), Vec::new());
    let flush = |ops: &mut Vec<Op>, dels: &mut Vec<Op>, ins: &mut Vec<Op>| {
        ops.append(dels);
        ops.append(ins);
    };
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            flush(&mut ops, &mut dels, &mut ins);
            ops.push(Op::Equal(i, j));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] > lcs[i + 1][j]) {
            ins.push(Op::Insert(j));
            j += 1;
        } else {
            dels.push(Op::Delete(i));
            i += 1;
        }
    }
    flush(&mut ops, &mut dels, &mut ins);
    ops
}

/// GNU diff's unified hunks (`@@ -l,s +l,s @@`, three lines of context, hunks closer than
/// twice that merged).
fn unified(a: &[&str], b: &[&str]) -> Vec<String> {
    let ops = edit_script(a, b);
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, o)| !matches!(o, Op::Equal(..)))
        .map(|(k, _)| k)
        .collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(CONTEXT);
        let mut end = changed[k];
        while k + 1 < changed.len() && changed[k + 1] - end <= 2 * CONTEXT + 1 {
            k += 1;
            end = changed[k];
        }
        let end = (end + CONTEXT + 1).min(ops.len());
        k += 1;
        let hunk = &ops[start..end];
        // Where the hunk starts in each file (1-based), and how many lines it spans.
        let (mut a_start, mut b_start) = (None, None);
        let (mut a_len, mut b_len) = (0, 0);
        for o in hunk {
            match *o {
                Op::Equal(i, j) => {
                    a_start.get_or_insert(i);
                    b_start.get_or_insert(j);
                    a_len += 1;
                    b_len += 1;
                }
                Op::Delete(i) => {
                    a_start.get_or_insert(i);
                    a_len += 1;
                }
                Op::Insert(j) => {
                    b_start.get_or_insert(j);
                    b_len += 1;
                }
            }
        }
        // An empty side names the line before it (0 for the file's start).
        let before = |ops: &[Op], want_a: bool| -> usize {
            ops[..start]
                .iter()
                .rev()
                .find_map(|o| match (*o, want_a) {
                    (Op::Equal(i, _), true) | (Op::Delete(i), true) => Some(i + 1),
                    (Op::Equal(_, j), false) | (Op::Insert(j), false) => Some(j + 1),
                    _ => None,
                })
                .unwrap_or(0)
        };
        let a_pos = a_start.map_or_else(|| before(&ops, true), |i| i + 1);
        let b_pos = b_start.map_or_else(|| before(&ops, false), |j| j + 1);
        out.push(format!("@@ -{} +{} @@", range(a_pos, a_len), range(b_pos, b_len)));
        for o in hunk {
            out.push(match *o {
                Op::Equal(i, _) => format!(" {}", a[i]),
                Op::Delete(i) => format!("-{}", a[i]),
                Op::Insert(j) => format!("+{}", b[j]),
            });
        }
    }
    out
}

/// `l,s`, or `l` alone when the range is one line.
fn range(pos: usize, len: usize) -> String {
    if len == 1 {
        pos.to_string()
    } else {
        format!("{pos},{len}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        a: &'static str,
        b: &'static str,
        want: &'static str,
    }

    fn check(c: &Case) {
        let got = unified(&lines(c.a), &lines(c.b)).join("\n");
        assert_eq!(got, c.want, "case {}", c.name);
    }

    #[test]
    fn unified_hunks_as_gnu_diff_prints_them() {
        let cases = [
            Case {
                name: "one changed line in the middle",
                a: "1\n2\n3\n4\n5\n6\n7\n8\n9\n",
                b: "1\n2\n3\n4\nfive\n6\n7\n8\n9\n",
                want: "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8",
            },
            Case {
                name: "new file",
                a: "",
                b: "a\nb\n",
                want: "@@ -0,0 +1,2 @@\n+a\n+b",
            },
            Case {
                name: "two far changes make two hunks",
                a: "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
                b: "x\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ny\n",
                want: "@@ -1,4 +1,4 @@\n-1\n+x\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+y",
            },
            Case {
                name: "insertion only",
                a: "a\nb\n",
                b: "a\nx\nb\n",
                want: "@@ -1,2 +1,3 @@\n a\n+x\n b",
            },
            // Checked against GNU diffutils `diff -u`: a block moved down, one moved up, and
            // two swapped lines.
            Case {
                name: "a block moved past another",
                a: "a\nH\nh\nU\nu\nz\n",
                b: "a\nU\nu\nH\nh\nz\n",
                want: "@@ -1,6 +1,6 @@\n a\n-H\n-h\n U\n u\n+H\n+h\n z",
            },
            Case {
                name: "the last line moved first",
                a: "1\n2\n3\n",
                b: "3\n1\n2\n",
                want: "@@ -1,3 +1,3 @@\n+3\n 1\n 2\n-3",
            },
            Case {
                name: "two lines swapped",
                a: "x\ny\n",
                b: "y\nx\n",
                want: "@@ -1,2 +1,2 @@\n-x\n y\n+x",
            },
            Case {
                name: "single line files",
                a: "a\n",
                b: "b\n",
                want: "@@ -1 +1 @@\n-a\n+b",
            },
        ];
        for c in &cases {
            check(c);
        }
    }
}

#[cfg(test)]
mod exit_status {
    use crate::{Env, Kubeconfig, NoFiles};

    fn kubectl(cluster: &mut cluster::Cluster, line: &str, stdin: &str) -> crate::Outcome {
        let mut config = Kubeconfig::default();
        let (store, mut pods) = cluster.client();
        let mut env = Env {
            store,
            files: &NoFiles,
            config: &mut config,
            stdin: Some(stdin),
            command_line: line,
            pods: &mut pods,
        };
        let args: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        crate::run(&args, &mut env)
    }

    #[test]
    fn one_when_different_zero_when_not_two_on_errors() {
        let mut cluster = cluster::presets::multinode(1);
        let v1 = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: \"1\"\n";
        let v2 = v1.replace("\"1\"", "\"2\"");
        let new = kubectl(&mut cluster, "diff -f -", v1);
        assert_eq!(new.exit_code, 1, "{}", new.text());
        assert!(new.text().contains("+kind: ConfigMap\n"), "{}", new.text());
        assert_eq!(kubectl(&mut cluster, "apply -f -", v1).exit_code, 0);
        let same = kubectl(&mut cluster, "diff -f -", v1);
        assert_eq!((same.exit_code, same.text()), (0, String::new()));
        let changed = kubectl(&mut cluster, "diff -f -", &v2);
        assert_eq!(changed.exit_code, 1);
        assert!(changed.text().contains("-  a: \"1\"\n+  a: \"2\"\n"), "{}", changed.text());
        assert_eq!(kubectl(&mut cluster, "diff -f missing.yaml", "").exit_code, 2);
    }
}
