//! Turning objects and server-side tables into the text kubectl prints.

pub mod custom_columns;
pub mod gotemplate;
pub mod json;
pub mod jsonpath;
pub mod table;
pub mod tabwriter;
pub mod yaml;

/// An `-o/--output` value.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputFormat {
    /// The human-readable table (no `-o`).
    Table,
    Wide,
    Yaml,
    Json,
    Name,
    JsonPath(jsonpath::Template),
    CustomColumns(custom_columns::Columns),
    GoTemplate(gotemplate::GoTemplate),
}

/// Why an `-o` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// Mirrors cli-runtime pkg/genericclioptions/print_flags.go `NoCompatiblePrinterError`.
    #[error(
        "unable to match a printer suitable for the output format \"{0}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
    )]
    Unknown(String),
    #[error("template format specified but no template given")]
    NoTemplate,
    #[error("error parsing jsonpath {template}, {cause}")]
    JsonPath { template: String, cause: String },
    #[error("{0}")]
    Columns(#[from] custom_columns::ColumnsError),
    /// Mirrors cli-runtime pkg/printers/template.go `NewGoTemplatePrinter`.
    #[error("error parsing template {template}, {cause}")]
    GoTemplate {
        template: String,
        cause: gotemplate::GoTemplateError,
    },
    #[error("{0}")]
    File(String),
}

impl OutputFormat {
    /// Parses an `-o` value; `read_file` reads `jsonpath-file=`/`custom-columns-file=`/
    /// `go-template-file=` files, failing with Go's `open f: no such file or directory`
    /// (print_flags.go wraps it as `error reading --template f, …`).
    ///
    /// # Errors
    /// `FormatError` with kubectl's wording.
    pub fn parse(
        value: &str,
        read_file: &dyn Fn(&str) -> Result<String, String>,
    ) -> Result<OutputFormat, FormatError> {
        let (name, arg) = match value.split_once('=') {
            Some((n, a)) => (n, Some(a)),
            None => (value, None),
        };
        match name {
            "" => Ok(OutputFormat::Table),
            "wide" => Ok(OutputFormat::Wide),
            "yaml" => Ok(OutputFormat::Yaml),
            "json" => Ok(OutputFormat::Json),
            "name" => Ok(OutputFormat::Name),
            "jsonpath" | "jsonpath-as-json" | "jsonpath-file" => {
                let tpl = match (name, arg) {
                    (_, None) | (_, Some("")) => return Err(FormatError::NoTemplate),
                    ("jsonpath-file", Some(f)) => read_file(f)
                        .map_err(|e| FormatError::File(format!("error reading --template {f}, {e}")))?,
                    (_, Some(t)) => t.to_string(),
                };
                jsonpath::Template::parse(&tpl)
                    .map(OutputFormat::JsonPath)
                    .map_err(|e| FormatError::JsonPath {
                        template: tpl.clone(),
                        cause: e.to_string(),
                    })
            }
            "custom-columns" => Ok(OutputFormat::CustomColumns(custom_columns::Columns::parse(
                arg.unwrap_or(""),
            )?)),
            "custom-columns-file" => {
                let f = arg.unwrap_or("");
                let text = read_file(f)
                    .map_err(|e| FormatError::File(format!("error reading template {f}, {e}")))?;
                Ok(OutputFormat::CustomColumns(
                    custom_columns::Columns::parse_file(&text)?,
                ))
            }
            "go-template" | "go-template-file" | "template" | "templatefile" => {
                let tpl = match (name, arg) {
                    (_, None) | (_, Some("")) => return Err(FormatError::NoTemplate),
                    ("go-template-file" | "templatefile", Some(f)) => read_file(f)
                        .map_err(|e| FormatError::File(format!("error reading --template {f}, {e}")))?,
                    (_, Some(t)) => t.to_string(),
                };
                gotemplate::GoTemplate::parse(&tpl)
                    .map(OutputFormat::GoTemplate)
                    .map_err(|cause| FormatError::GoTemplate {
                        template: tpl.clone(),
                        cause,
                    })
            }
            _ => Err(FormatError::Unknown(value.to_string())),
        }
    }

    /// Whether this is one of the human-readable table forms.
    pub fn is_table(&self) -> bool {
        matches!(self, OutputFormat::Table | OutputFormat::Wide)
    }
}
