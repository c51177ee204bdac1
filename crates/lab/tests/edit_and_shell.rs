//! The terminal's two hand-offs, played through `lab::Session` as the page drives them:
//! `kubectl edit` opens the live object in an editor buffer and saving applies it (a failed
//! save reopens the buffer with kubectl's reasons in its header, as
//! staging/src/k8s.io/kubectl/pkg/cmd/util/editor/editoptions.go v1.34 does), and
//! `kubectl exec -it … sh` swaps the terminal's prompt for the container shell's.

use lab::{Session, Stream};

const SEED: u64 = 1;

fn session_with_deployment() -> Session {
    let mut s = Session::with_seed(SEED);
    let out = s.run_command("kubectl create deployment web --image=nginx --replicas=2");
    assert_eq!(out.text(), "deployment.apps/web created\n");
    s.advance(30_000);
    s
}

fn stderr(out: &lab::Output) -> Vec<String> {
    out.lines
        .iter()
        .filter(|l| l.stream == Stream::Stderr)
        .map(|l| l.text.clone())
        .collect()
}

#[test]
fn edit_opens_the_live_object_under_kubectls_header() {
    let mut s = session_with_deployment();
    let out = s.run_command("kubectl edit deployment web");
    let (title, text) = out.edit.expect("edit opens a buffer");
    assert_eq!(title, "deployment.apps/web");
    assert!(
        text.starts_with(
            "# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
        ),
        "{text}"
    );
    assert!(text.contains("\nkind: Deployment\n"), "{text}");
    assert!(text.contains("  replicas: 2\n"), "{text}");
}

#[test]
fn saving_an_edit_updates_the_object() {
    let mut s = session_with_deployment();
    let (_, text) = s.run_command("kubectl edit deployment web").edit.expect("buffer");
    let out = s.save_edit(&text.replace("  replicas: 2\n", "  replicas: 3\n"));
    assert_eq!(out.text(), "deployment.apps/web edited\n");
    assert!(out.edit.is_none());
    let got = s.run_command("kubectl get deployment web -o jsonpath={.spec.replicas}");
    assert_eq!(got.text(), "3\n");
}

#[test]
fn unchanged_and_empty_buffers_cancel() {
    let mut s = session_with_deployment();
    let (_, text) = s.run_command("kubectl edit deployment web").edit.expect("buffer");
    let out = s.save_edit(&text);
    assert_eq!(stderr(&out), ["Edit cancelled, no changes made."]);
    let out = s.save_edit("# only comments\n");
    assert_eq!(stderr(&out), ["Edit cancelled, saved file was empty."]);
}

#[test]
fn an_edit_saved_while_controllers_update_the_object_applies() {
    // kubectl sends the changes since the object was opened, so the status (and the
    // resourceVersion) the deployment controller writes meanwhile do not conflict.
    let mut s = Session::with_seed(SEED);
    s.run_command("kubectl create deployment web --image=nginx --replicas=2");
    let (_, text) = s.run_command("kubectl edit deployment web").edit.expect("buffer");
    s.advance(30_000);
    let ready = s.run_command("kubectl get deployment web -o jsonpath={.status.readyReplicas}");
    assert_eq!(ready.text(), "2\n", "the status changed while the buffer was open");
    let out = s.save_edit(&text.replace("  replicas: 2\n", "  replicas: 3\n"));
    assert_eq!(out.text(), "deployment.apps/web edited\n");
    let got = s.run_command("kubectl get deployment web -o jsonpath={.spec.replicas}");
    assert_eq!(got.text(), "3\n");
}

#[test]
fn an_untouched_buffer_cancels_even_after_the_object_changed() {
    let mut s = Session::with_seed(SEED);
    s.run_command("kubectl create deployment web --image=nginx --replicas=2");
    let (_, text) = s.run_command("kubectl edit deployment web").edit.expect("buffer");
    s.advance(30_000);
    let out = s.save_edit(&text);
    assert_eq!(stderr(&out), ["Edit cancelled, no changes made."]);
}

#[test]
fn a_changed_layout_alone_is_skipped() {
    let mut s = session_with_deployment();
    let (_, text) = s.run_command("kubectl edit deployment web").edit.expect("buffer");
    let out = s.save_edit(&text.replace("  replicas: 2\n", "  replicas: 2 # two\n"));
    assert_eq!(out.text(), "deployment.apps/web skipped\n");
}

#[test]
fn a_reopened_buffer_saved_unchanged_gives_up() {
    let mut s = session_with_deployment();
    let (_, text) = s.run_command("kubectl edit deployment web").edit.expect("buffer");
    let out = s.save_edit(&text.replace("  replicas: 2\n", "  replicas: -1\n"));
    let (_, reopened) = out.edit.expect("the buffer reopens");
    let out = s.save_edit(&reopened);
    assert_eq!(stderr(&out), ["error: Edit cancelled, no valid changes were saved."]);
    assert!(out.edit.is_none());
}

#[test]
fn an_invalid_edit_reopens_with_the_reasons() {
    let mut s = session_with_deployment();
    let (_, text) = s.run_command("kubectl edit deployment web").edit.expect("buffer");
    let out = s.save_edit(&text.replace("  replicas: 2\n", "  replicas: -1\n"));
    assert_eq!(stderr(&out), [r#"error: deployments.apps "web" is invalid"#]);
    let (title, reopened) = out.edit.expect("the buffer reopens");
    assert_eq!(title, "deployment.apps/web");
    let header: Vec<&str> = reopened.lines().take_while(|l| l.starts_with('#')).collect();
    assert_eq!(
        header[4..],
        [
            r#"# deployments.apps "web" was not valid:"#,
            "# * spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            "#",
        ]
    );
    // The learner's text is kept below the header, the bad value included.
    assert!(reopened.contains("  replicas: -1\n"));
    // Fixing it and saving again applies it.
    let out = s.save_edit(&reopened.replace("  replicas: -1\n", "  replicas: 1\n"));
    assert_eq!(out.text(), "deployment.apps/web edited\n");
}

#[test]
fn editing_an_immutable_configmap_is_refused_with_the_api_servers_reason() {
    // v1.34 ValidateConfigMapUpdate: data and the flag are frozen once `immutable` is set.
    let mut s = Session::with_seed(SEED);
    s.run_command("kubectl create configmap app --from-literal=LOG_LEVEL=info");
    s.run_command(r#"kubectl patch cm app -p '{"immutable":true}'"#);
    let (_, text) = s.run_command("kubectl edit cm app").edit.expect("buffer");
    let out = s.save_edit(&text.replace("LOG_LEVEL: info", "LOG_LEVEL: debug"));
    assert_eq!(stderr(&out), [r#"error: configmaps "app" is invalid"#]);
    let (_, reopened) = out.edit.expect("the buffer reopens");
    let header: Vec<&str> = reopened
        .lines()
        .take_while(|l| l.starts_with('#'))
        .collect();
    assert_eq!(
        header[4..],
        [
            r#"# configmaps "app" was not valid:"#,
            "# * data: Forbidden: field is immutable when `immutable` is set",
            "#",
        ]
    );
    let out = s.save_edit(&text.replace("immutable: true", "immutable: false"));
    assert_eq!(stderr(&out), [r#"error: configmaps "app" is invalid"#]);
    let (_, reopened) = out.edit.expect("the buffer reopens");
    assert!(
        reopened.contains("# * immutable: Forbidden: field is immutable when `immutable` is set\n"),
        "{reopened}"
    );
    let got = s.run_command("kubectl get cm app -o jsonpath={.data.LOG_LEVEL}");
    assert_eq!(got.text(), "info\n");
}

#[test]
fn a_syntax_error_reopens_with_its_message() {
    let mut s = session_with_deployment();
    let (_, text) = s.run_command("kubectl edit deployment web").edit.expect("buffer");
    let out = s.save_edit(&text.replace("  replicas: 2\n", "  replicas: [\n"));
    let (_, reopened) = out.edit.expect("the buffer reopens");
    assert!(
        reopened
            .lines()
            .any(|l| l.starts_with("# The edited file had a syntax error: ")),
        "{reopened}"
    );
}

#[test]
fn exec_into_a_shell_changes_the_prompt_until_exit() {
    let mut s = Session::with_seed(SEED);
    s.run_command("kubectl run box --image=busybox -- sleep 3600");
    s.advance(30_000);
    assert_eq!(s.shell_prompt(), None);
    let out = s.run_command("kubectl exec -it box -- sh");
    assert_eq!(out.prompt.as_deref(), Some("/ # "));
    assert_eq!(s.shell_prompt().as_deref(), Some("/ # "));
    s.run_command("exit");
    assert_eq!(s.shell_prompt(), None);
}
