//! `KubectlError`: every failure a kubectl invocation reports, printed as kubectl prints it.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go (v1.34) `CheckErr`/
//! `StandardErrorMessage`: API status errors print `Error from server (<Reason>): <message>`,
//! everything else `error: <message>`; usage errors add `See '<command> -h' for help and
//! examples`, and flag errors `See '<command> --help' for usage.`.

use cluster::StoreError;

use crate::parse::ParseError;

/// Why a kubectl invocation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KubectlError {
    /// A flag problem, reported with the command's help hint.
    #[error("error: {source}\nSee '{command} --help' for usage.")]
    Flag {
        #[source]
        source: ParseError,
        command: String,
    },
    /// `cmdutil.UsageErrorf`.
    #[error("error: {message}\nSee '{command} -h' for help and examples")]
    Usage { message: String, command: String },
    /// cobra's unknown command, with `Did you mean this?` suggestions.
    #[error(
        "error: unknown command \"{name}\" for \"{parent}\"{}",
        suggestions_text(suggestions)
    )]
    UnknownCommand {
        name: String,
        parent: String,
        suggestions: Vec<String>,
    },
    /// An API status error.
    #[error("{}", source.kubectl_message())]
    Server {
        #[source]
        source: StoreError,
    },
    /// Any other kubectl error, printed after `error: `.
    #[error("error: {0}")]
    Message(String),
    /// Text printed exactly as given (already prefixed as kubectl does).
    #[error("{0}")]
    Raw(String),
}

impl From<StoreError> for KubectlError {
    fn from(source: StoreError) -> Self {
        KubectlError::Server { source }
    }
}

impl KubectlError {
    /// `error: <msg>`.
    pub fn msg(m: impl Into<String>) -> KubectlError {
        KubectlError::Message(m.into())
    }

    /// A usage error of `command` (`kubectl get`).
    pub fn usage(command: &str, m: impl Into<String>) -> KubectlError {
        KubectlError::Usage {
            message: m.into(),
            command: command.to_string(),
        }
    }
}

fn suggestions_text(s: &[String]) -> String {
    if s.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n\nDid you mean this?");
    for x in s {
        out.push_str("\n\t");
        out.push_str(x);
    }
    out
}

/// What kubectl prints when nothing listens at `server` (`localhost:8080`, or
/// `192.168.49.2:8443` over https): client-go's discovery logs each of its five attempts
/// through klog (`memcache.go:265`, v1.34: `E<MMDD> <time> <pid> memcache.go:265]
/// "Unhandled Error" err=…`), then kubectl's own message. The klog time is the cluster's
/// clock; the process id is drawn from it too, as each kubectl run is a new process.
pub fn connection_refused(server: &str, https: bool, now: cluster::SimTime) -> String {
    let millis = now.unix_millis();
    let secs = millis.div_euclid(1000);
    let (_, month, day) = machinery::cron::tz::civil_from_days(secs.div_euclid(86_400));
    let of_day = secs.rem_euclid(86_400);
    let pid = 2000 + now.as_millis() % 7919;
    let scheme = if https { "https" } else { "http" };
    let dial = match server.strip_prefix("localhost:") {
        Some(port) => format!("127.0.0.1:{port}"),
        None => server.to_string(),
    };
    let mut text = String::new();
    for attempt in 0..5u64 {
        // The attempts follow each other within about a millisecond.
        let micros = millis.rem_euclid(1000).unsigned_abs() * 1000 + 1_000 + attempt * 1_274;
        text.push_str(&format!(
            "E{:02}{:02} {:02}:{:02}:{:02}.{:06} {pid:>7} memcache.go:265] \"Unhandled Error\" err=\"couldn't get current server API group list: Get \\\"{scheme}://{server}/api?timeout=32s\\\": dial tcp {dial}: connect: connection refused\"\n",
            month,
            day,
            of_day / 3600,
            of_day % 3600 / 60,
            of_day % 60,
            micros.min(999_999),
        ));
    }
    text.push_str(&format!("The connection to the server {server} was refused - did you specify the right host or port?"));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts() {
        let cases: &[(&str, KubectlError, &str)] = &[
            (
                "unknown flag",
                KubectlError::Flag {
                    source: ParseError::UnknownFlag("foo".into()),
                    command: "kubectl get".into(),
                },
                "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.",
            ),
            (
                "unknown command",
                KubectlError::UnknownCommand {
                    name: "gett".into(),
                    parent: "kubectl".into(),
                    suggestions: vec!["get".into(), "set".into()],
                },
                "error: unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tget\n\tset",
            ),
            (
                "usage",
                KubectlError::usage("kubectl get", "Required resource not specified."),
                "error: Required resource not specified.\nSee 'kubectl get -h' for help and examples",
            ),
        ];
        for (name, e, want) in cases {
            assert_eq!(e.to_string(), *want, "case {name}");
        }
    }
}

