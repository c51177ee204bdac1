//! Reading `-f FILE|DIR|-` the way kubectl's resource builder does: directories give their
//! `.json`, `.yaml` and `.yml` files in name order (subdirectories with `-R`), `-` reads
//! standard input (named `STDIN` in messages), and each file may hold many documents.

use api::{DecodeError, Decoded};

use crate::errors::KubectlError;
use crate::{Env, Files};

/// One document of one file: decoded, or why not.
#[derive(Debug)]
pub struct Document {
    pub source: String,
    // DecodeError is large but made once per bad document.
    pub result: Result<Decoded, Box<DecodeError>>,
}

/// Reads every `-f` argument.
///
/// # Errors
/// A missing path or a directory without manifests stops everything, as in kubectl, before
/// anything is sent.
pub fn read(
    filenames: &[String],
    recursive: bool,
    env: &Env<'_>,
) -> Result<Vec<Document>, KubectlError> {
    let mut sources: Vec<(String, String)> = Vec::new();
    for f in filenames {
        if f == "-" {
            sources.push(("STDIN".to_string(), env.stdin.unwrap_or("").to_string()));
            continue;
        }
        if f.starts_with("http://") || f.starts_with("https://") {
            return Err(KubectlError::msg(format!(
                "unable to read URL \"{f}\": this lab has no internet access; save the manifest with `cat > file <<'EOF'` and use -f file"
            )));
        }
        let files: &dyn Files = env.files;
        if files.is_dir(f) {
            let list: Vec<String> = files
                .list_files(f, recursive)
                .into_iter()
                .filter(|p| p.ends_with(".yaml") || p.ends_with(".yml") || p.ends_with(".json"))
                .collect();
            if list.is_empty() {
                return Err(KubectlError::msg(format!(
                    "error reading [{f}]: recognized file extensions are [.json .yaml .yml]"
                )));
            }
            for p in list {
                let text = files
                    .read(&p)
                    .map_err(|e| KubectlError::msg(e.to_string()))?;
                sources.push((p, text));
            }
        } else {
            let text = files
                .read(f)
                .map_err(|e| KubectlError::msg(e.to_string()))?;
            sources.push((f.clone(), text));
        }
    }
    let mut docs = Vec::new();
    for (name, text) in sources {
        for r in api::decode(&text, &name) {
            docs.push(Document {
                source: name.clone(),
                result: r.map_err(Box::new),
            });
        }
    }
    Ok(docs)
}

/// How kubectl prints a decode error for `verb` (`creating`, `applying`…).
pub fn decode_error_text(e: &DecodeError, verb: &str) -> String {
    match e.server_reason() {
        Some(reason) => format!(
            "Error from server ({reason}): error when {verb} \"{}\": {e}",
            e.source_name()
        ),
        None => format!("error: {e}"),
    }
}
