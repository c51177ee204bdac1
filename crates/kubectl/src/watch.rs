//! `kubectl get -w`: a watch that keeps printing rows as the cluster changes.
//!
//! Mirrors get.go `watch` (v1.34): the first list prints with its header (an empty list prints
//! nothing: the header comes with the first row), then every watch event prints one more row through the same tab writer, whose column widths are remembered
//! (liggitt/tabwriter RememberWidths), so rows stay aligned with the header unless a wider
//! cell arrives. The lab owns the clock: it advances time and calls [`WatchStream::poll`].

use std::sync::Arc;

use api::{KindInfo, Object};
use cluster::Store;
use cluster::apiserver::{WatchId, WatchOptions};

use crate::errors::KubectlError;
use crate::render::OutputFormat;
use crate::render::table::Widths;
use crate::verbs::printing::{self, TableOpts};
use crate::{Line, Outcome, Stream};

/// An open `get -w`.
#[derive(Debug)]
pub struct WatchStream {
    info: &'static KindInfo,
    namespace: Option<String>,
    name: Option<String>,
    selector: String,
    field_selector: String,
    opts: TableOpts,
    format: OutputFormat,
    widths: Widths,
    header_printed: bool,
    id: Option<WatchId>,
}

impl WatchStream {
    pub(crate) fn new(
        info: &'static KindInfo,
        namespace: Option<String>,
        name: Option<String>,
        selector: String,
        field_selector: String,
        opts: TableOpts,
        format: OutputFormat,
    ) -> WatchStream {
        WatchStream {
            info,
            namespace,
            name,
            selector,
            field_selector,
            opts,
            format,
            widths: Widths::default(),
            header_printed: false,
            id: None,
        }
    }

    /// Prints the initial list (unless `--watch-only`) and opens the watch after it.
    pub(crate) fn start(
        &mut self,
        store: &mut Store,
        initial: &[Arc<Object>],
        list_rv: Option<String>,
        print_initial: bool,
        out: &mut Outcome,
    ) -> Result<(), KubectlError> {
        let rv = list_rv.unwrap_or_else(|| store.resource_version().to_string());
        let field_selector = match &self.name {
            Some(n) => {
                let f = format!("metadata.name={n}");
                if self.field_selector.is_empty() {
                    f
                } else {
                    format!("{f},{}", self.field_selector)
                }
            }
            None => self.field_selector.clone(),
        };
        let opts = WatchOptions {
            label_selector: self.selector.clone(),
            field_selector,
            resource_version: Some(rv),
        };
        self.id = Some(store.watch(self.info, self.namespace.as_deref(), &opts)?);
        if print_initial {
            let lines = self.rows(initial, store);
            out.extend(lines);
        }
        Ok(())
    }

    /// The rows for events that arrived since the last poll.
    pub fn poll(&mut self, store: &mut Store) -> Vec<Line> {
        let Some(id) = self.id else {
            return Vec::new();
        };
        match store.poll(id) {
            Ok(events) => {
                let objs: Vec<Arc<Object>> = events.into_iter().map(|e| e.object).collect();
                if objs.is_empty() {
                    return Vec::new();
                }
                self.rows(&objs, store)
            }
            Err(e) => {
                self.id = None;
                vec![Line {
                    stream: Stream::Stderr,
                    text: KubectlError::from(e).to_string(),
                }]
            }
        }
    }

    /// Closes the watch (Ctrl+C).
    pub fn stop(&mut self, store: &mut Store) {
        if let Some(id) = self.id.take() {
            store.stop_watch(id);
        }
    }

    fn rows(&mut self, objs: &[Arc<Object>], store: &Store) -> Vec<Line> {
        let mut lines = Vec::new();
        if !self.format.is_table() {
            let mut out = Outcome::default();
            for o in objs {
                printing::print_structured(std::slice::from_ref(o), true, &self.format, &mut out);
            }
            return out.lines;
        }
        let (header, rows) = printing::table_rows(self.info, objs, &self.opts, store.now());
        // tablePrinter.go (cli-runtime v1.34) `printTable`: "avoid printing headers if we
        // have no rows to display"; the header waits for the first row.
        if rows.is_empty() {
            return lines;
        }
        let mut batch = Vec::new();
        let print_header = !self.header_printed && !self.opts.no_headers;
        if print_header {
            batch.push(header);
        }
        self.header_printed = true;
        batch.extend(rows);
        self.widths.fit(&batch);
        for row in &batch {
            lines.push(Line {
                stream: Stream::Stdout,
                text: self.widths.line(row),
            });
        }
        lines
    }
}
