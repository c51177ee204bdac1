//! What the learner's terminal holds besides files: a container shell it is attached to
//! (`kubectl exec -it … sh`, until `exit`), a `kubectl logs -f` still streaming, and the
//! network commands' background state (port-forwards and `minikube tunnel` live in the
//! cluster's network, since requests cross it).

use cluster::Cluster;
use kubectl::{ApiProxy, LogFollow, ShellSession};

use crate::fs::LabFs;
use crate::session::{Output, OutputLine, Stream};

/// The terminal's attachments.
#[derive(Debug, Default)]
pub struct Host {
    /// The container shell lines go to, if any.
    pub shell: Option<ShellSession>,
    /// A `kubectl logs -f` printing as time passes.
    pub follow: Option<LogFollow>,
    /// A `kubectl proxy` serving the API on a local port until Ctrl+C.
    pub proxy: Option<ApiProxy>,
}

impl Host {
    /// Takes what a kubectl invocation left running or asked to write.
    pub fn absorb(
        &mut self,
        follow: Option<LogFollow>,
        shell: Option<ShellSession>,
        write_files: Vec<(String, String)>,
        fs: &mut LabFs,
        out: &mut Output,
    ) {
        for (path, text) in write_files {
            fs.write(&path, &text, false);
        }
        if let Some(f) = follow {
            self.follow = Some(f);
        }
        if let Some(s) = shell {
            out.prompt = Some(s.prompt.clone());
            self.shell = Some(s);
        }
    }

    /// `kubectl proxy`: listens unless a proxy or a port-forward holds the port.
    pub fn start_proxy(&mut self, cluster: &Cluster, proxy: ApiProxy, out: &mut Output) {
        let taken = self.proxy.as_ref().is_some_and(|p| p.port == proxy.port)
            || cluster.network().forwards.contains_key(&proxy.port);
        let (stream, text) = if taken {
            (Stream::Stderr, proxy.busy_error())
        } else {
            (Stream::Stdout, proxy.started_line())
        };
        out.lines.push(OutputLine { stream, text });
        if !taken {
            self.proxy = Some(proxy);
        }
    }

    /// Prints what a followed log wrote meanwhile.
    pub fn poll(&mut self, cluster: &mut Cluster, out: &mut Output) {
        if let Some(f) = self.follow.as_mut() {
            let (_, pods) = cluster.client();
            for l in f.poll(&pods) {
                out.lines.push(OutputLine {
                    stream: Stream::Stdout,
                    text: l.text,
                });
            }
        }
    }

    /// Ctrl+C: stops a followed log, the API proxy and every port-forward and tunnel the
    /// terminal started, except what background jobs hold (`held`).
    pub fn interrupt(&mut self, cluster: &mut Cluster, held: &crate::jobs::Held) {
        self.follow = None;
        if !held.proxy {
            self.proxy = None;
        }
        let foreground: Vec<u16> = cluster
            .network()
            .forwards
            .keys()
            .copied()
            .filter(|p| !held.ports.contains(p))
            .collect();
        for port in foreground {
            cluster.stop_forward(port);
        }
        if cluster.network().tunnel && !held.tunnel {
            cluster.set_tunnel(false);
        }
    }

    /// A new command line stops a followed log (as a new prompt would need Ctrl+C first).
    pub fn stop_follow(&mut self) {
        self.follow = None;
    }

    /// Runs a line in the attached container shell; None when no shell is attached.
    pub fn shell_line(&mut self, cluster: &mut Cluster, line: &str) -> Option<Output> {
        let shell = self.shell.clone()?;
        let mut out = Output::default();
        let trimmed = line.trim();
        if trimmed == "exit" || trimmed.starts_with("exit ") {
            self.shell = None;
            let ended = {
                let (store, _) = cluster.client();
                kubectl::end_shell(&shell, store)
            };
            for l in ended.lines {
                out.lines.push(OutputLine {
                    stream: match l.stream {
                        kubectl::Stream::Stdout => Stream::Stdout,
                        kubectl::Stream::Stderr => Stream::Stderr,
                    },
                    text: l.text,
                });
            }
            // kubectl's delete waits for the pod to go.
            let gone = ended.wait_gone;
            if !gone.is_empty() {
                let _ = cluster.run_until(
                    |c| gone.iter().all(|k| k.is_gone(c.store())),
                    cluster::SimDuration::from_secs(60),
                );
            }
            cluster.settle();
            return Some(out);
        }
        out.prompt = Some(shell.prompt.clone());
        if trimmed.is_empty() {
            return Some(out);
        }
        let argv = vec!["sh".to_string(), "-c".to_string(), line.to_string()];
        let result = {
            let (store, mut pods) = cluster.client();
            cluster::PodProxy::exec(&mut pods, store, &shell.namespace, &shell.pod, &shell.container, &argv)
        };
        cluster.settle();
        if let Some(r) = &result
            && r.elapsed > cluster::SimDuration::ZERO
        {
            // The line held the prompt (a tool waiting for its timeout).
            cluster.advance(r.elapsed);
        }
        match result {
            Some(r) => {
                for text in r.lines {
                    out.lines.push(OutputLine {
                        stream: Stream::Stdout,
                        text,
                    });
                }
            }
            None => {
                // The container went away under the shell.
                self.shell = None;
                out.prompt = None;
                out.lines.push(OutputLine {
                    stream: Stream::Stderr,
                    text: "command terminated with exit code 137".into(),
                });
            }
        }
        Some(out)
    }
}
