use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::*;

/// A lab the way a learner builds one: a preset, terminal lines, an editor apply, a watch
/// stopped with Ctrl+C, and the page's clock ticking in between.
fn worked_lab() -> Session {
    let mut s = Session::with_preset(Preset::Multinode, 7);
    s.run_command("kubectl create deployment nginx --image=nginx --replicas=3");
    for _ in 0..25 {
        s.advance(200);
    }
    s.run_command("kubectl get pods -w");
    s.advance(1000);
    s.interrupt();
    s.write_file(
        "manifest.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kubia-manual\nspec:\n  containers:\n  - name: kubia\n    image: luksa/kubia\n",
    );
    s.run_command("kubectl apply -f manifest.yaml");
    s.run_command("cat > ns.yaml <<'EOF'");
    s.run_command("apiVersion: v1");
    s.run_command("kind: Namespace");
    s.run_command("metadata:");
    s.run_command("  name: demo");
    s.run_command("EOF");
    s.run_command("kubectl apply -f ns.yaml");
    s.run_command("sleep 5");
    s.advance_to_next_event(10_000);
    s.run_command("kubectl scale deployment nginx --replicas=5");
    for _ in 0..10 {
        s.advance(500);
    }
    s
}

#[test]
fn replay_rebuilds_variables_aliases_and_continued_lines() {
    let mut live = Session::new();
    for line in [
        "NS=demo",
        "alias kg='kubectl get'",
        "kubectl create \\",
        "  namespace $NS",
        "export WAIT=2",
        "sleep $WAIT && kubectl get ns $NS -o name",
        "cat > ns.txt <<EOF",
        "$NS",
        "EOF",
    ] {
        live.run_command(line);
    }
    let link = LabLink::decode(&LabLink::of(&live, None, None, None).encode()).unwrap();
    let mut rebuilt = link.replay().unwrap();
    assert_eq!(rebuilt.dump(), live.dump());
    assert_eq!(rebuilt.files(), live.files());
    assert_eq!(rebuilt.history(), live.history());
    for line in ["echo $NS $WAIT", "kg ns $NS -o name", "env | grep WAIT", "alias kg"] {
        assert_eq!(rebuilt.run_command(line), live.run_command(line), "{line}");
    }
}

#[test]
fn work_run_between_the_commands_of_a_line_replays_the_same() {
    // The cluster's work due at the instant runs before each pipeline; the clock stays,
    // so the link's timestamps and the rebuilt cluster agree with the live lab.
    let mut live = Session::new();
    let first = live.now_ms();
    let out = live.run_command("kubectl cordon minikube && kubectl describe node minikube | grep Taints");
    assert_eq!(out.text(), "node/minikube cordoned\nTaints:             node.kubernetes.io/unschedulable:NoSchedule\n");
    live.run_command("kubectl create deployment web --image=nginx; kubectl get pods; kubectl uncordon minikube");
    assert_eq!(live.now_ms(), first);
    live.advance(300);
    live.run_command("kubectl scale deployment web --replicas=3 && kubectl get rs");
    let link = LabLink::decode(&LabLink::of(&live, None, None, None).encode()).unwrap();
    let rebuilt = link.replay().unwrap();
    assert_eq!(rebuilt.now_ms(), live.now_ms());
    assert_eq!(rebuilt.dump(), live.dump());
}

#[test]
fn round_trip_keeps_every_field() {
    let s = worked_lab();
    let link = LabLink::of(&s, Some("# draft\n"), Some("kubia-replication"), Some(3));
    let text = link.encode();
    assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_eq!(LabLink::decode(&text), Ok(link));
}

#[test]
fn replay_rebuilds_a_byte_identical_cluster_at_the_same_clock() {
    let live = worked_lab();
    let link = LabLink::decode(&LabLink::of(&live, None, None, None).encode()).unwrap();
    let rebuilt = link.replay().unwrap();
    assert_eq!(rebuilt.now_ms(), live.now_ms());
    assert_eq!(rebuilt.dump(), live.dump());
    assert_eq!(rebuilt.files(), live.files());
    assert_eq!(rebuilt.history(), live.history());
    assert_eq!(rebuilt.preset(), Preset::Multinode);
    // The rebuilt lab's own log is the same log, so sharing it again gives the same link.
    assert_eq!(rebuilt.actions(), live.actions());
}

#[test]
fn commands_a_pipe_runs_as_time_passes_replay_the_same() {
    let mut live = Session::new();
    live.run_command("kubectl create deployment web --image=nginx --replicas=2");
    live.run_command("kubectl get pods -w -o name | xargs -I{} kubectl annotate --overwrite {} seen=yes &");
    for _ in 0..20 {
        live.advance(500);
    }
    live.run_command("kubectl scale deployment web --replicas=3");
    for _ in 0..20 {
        live.advance(500);
    }
    let annotated = live.run_command("kubectl get pods -o jsonpath={.items[*].metadata.annotations.seen}");
    assert_eq!(annotated.text(), "yes yes yes\n", "the piped commands ran");
    let link = LabLink::decode(&LabLink::of(&live, None, None, None).encode()).unwrap();
    let rebuilt = link.replay().unwrap();
    assert_eq!(rebuilt.now_ms(), live.now_ms());
    assert_eq!(rebuilt.dump(), live.dump());
}

#[test]
fn the_clock_ticks_collapse_and_a_typical_lab_stays_small() {
    let s = worked_lab();
    let ticks = s
        .actions()
        .iter()
        .filter(|a| matches!(a.action, LabAction::Advance { times: 25, ms: 200 }))
        .count();
    assert_eq!(ticks, 1, "{:?}", s.actions());
    let size = LabLink::of(&s, Some(&"x: y\n".repeat(20)), None, None).encode().len();
    assert!(size < 8 * 1024, "{size} bytes");
}

#[test]
fn time_after_the_last_action_is_replayed_too() {
    let mut s = Session::with_preset(Preset::Kubeadm, 3);
    s.run_command("kubectl run web --image=nginx");
    s.advance(30_000);
    let link = LabLink::of(&s, None, None, None);
    let rebuilt = LabLink { actions: link.actions[..1].to_vec(), ..link.clone() }.replay().unwrap();
    assert_eq!(link.now_ms, 30_000);
    assert_eq!(rebuilt.now_ms(), s.handed_over_ms() + 30_000);
    assert_eq!(rebuilt.dump(), s.dump());
}

#[test]
fn presets_parse_and_print() {
    for p in Preset::CHOICES {
        assert_eq!(p.to_string().parse::<Preset>(), Ok(p));
    }
    assert_eq!("large-5000".parse::<Preset>(), Ok(Preset::Large(5000)));
    assert!("large-5001".parse::<Preset>().is_err());
    assert!("large-0".parse::<Preset>().is_err());
    assert!("kind".parse::<Preset>().is_err());
    let nodes = Session::with_preset(Preset::Multinode, 1).run_command("kubectl get nodes -o name").text();
    assert_eq!(nodes, "node/minikube\nnode/minikube-m02\nnode/minikube-m03\n");
}

fn pack(json: &str) -> String {
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6))
}

#[test]
fn bad_links_say_what_is_wrong() {
    let good = LabLink::of(&worked_lab(), None, None, None).encode();
    assert_eq!(LabLink::decode(""), Err(LinkError::Empty));
    assert_eq!(LabLink::decode("not*base64!"), Err(LinkError::NotBase64));
    assert_eq!(LabLink::decode(&good[..good.len() / 2]), Err(LinkError::Truncated));
    // Flip bits in the middle of the compressed stream.
    let mut bytes = URL_SAFE_NO_PAD.decode(&good).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 8] {
        *b ^= 0x5a;
    }
    let corrupt = LabLink::decode(&URL_SAFE_NO_PAD.encode(&bytes)).unwrap_err();
    assert!(
        matches!(corrupt, LinkError::Corrupt | LinkError::Truncated | LinkError::NotALab(_) | LinkError::Invalid(_)),
        "{corrupt:?}"
    );
    assert_eq!(
        LabLink::decode(&"A".repeat(MAX_LINK_CHARS + 1)),
        Err(LinkError::TooLong { chars: MAX_LINK_CHARS + 1 })
    );
    // A zip bomb: a few KB that inflate past the limit.
    let bomb = pack(&" ".repeat(MAX_INFLATED_BYTES + 1));
    assert!(bomb.len() < 8 * 1024);
    assert_eq!(LabLink::decode(&bomb), Err(LinkError::TooLarge));
    assert!(matches!(LabLink::decode(&pack("[1,2,3]")), Err(LinkError::NotALab(_))));
    assert!(matches!(LabLink::decode(&pack("<script>alert(1)</script>")), Err(LinkError::NotALab(_))));
    assert_eq!(
        LabLink::decode(&pack(r#"{"v":9,"preset":"minikube","seed":1,"now_ms":0}"#)),
        Err(LinkError::Version { found: 9 })
    );
    assert!(matches!(
        LabLink::decode(&pack(r#"{"v":1,"preset":"minikube","seed":1,"now_ms":0,"run":"rm -rf /"}"#)),
        Err(LinkError::NotALab(m)) if m.contains("unknown field")
    ));
    assert!(matches!(
        LabLink::decode(&pack(r#"{"v":1,"preset":"large-999999","seed":1,"now_ms":0}"#)),
        Err(LinkError::NotALab(m)) if m.contains("unknown cluster preset")
    ));
}

#[test]
fn forged_content_is_refused_before_it_runs() {
    let base = r#""v":1,"preset":"minikube","seed":1"#;
    let cases = [
        // Years of cluster time.
        format!(r#"{{{base},"now_ms":999999999999}}"#),
        // A time step past the link's own clock.
        format!(r#"{{{base},"now_ms":1000,"actions":[{{"t":0,"a":{{"t":{{"ms":5000}}}}}}]}}"#),
        // Timestamps going backwards.
        format!(r#"{{{base},"now_ms":1000,"actions":[{{"t":500,"a":{{"c":"help"}}}},{{"t":100,"a":{{"c":"help"}}}}]}}"#),
        // A file outside the lab's home.
        format!(r#"{{{base},"now_ms":0,"files":{{"../etc/passwd":"x"}}}}"#),
    ];
    for json in cases {
        assert!(matches!(LabLink::decode(&pack(&json)), Err(LinkError::Invalid(_))), "{json}");
    }
    // A `sleep` that would run far past the next recorded action.
    let sleepy = format!(r#"{{{base},"now_ms":1000,"actions":[{{"t":0,"a":{{"c":"sleep 100000"}}}}]}}"#);
    let link = LabLink::decode(&pack(&sleepy)).unwrap();
    assert!(matches!(link.replay(), Err(LinkError::Replay(_))));
    // The same sleep behind a variable, an alias or a continued line.
    for lines in [
        r#"{"t":0,"a":{"c":"S=100000; sleep $S"}}"#,
        r#"{"t":0,"a":{"c":"alias nap='sleep 100000'"}},{"t":0,"a":{"c":"nap"}}"#,
        r#"{"t":0,"a":{"c":"sleep \\"}},{"t":0,"a":{"c":"100000"}}"#,
    ] {
        let json = format!(r#"{{{base},"now_ms":1000,"actions":[{lines}]}}"#);
        let link = LabLink::decode(&pack(&json)).unwrap();
        assert!(matches!(link.replay(), Err(LinkError::Replay(_))), "{lines}");
    }
    // An action stamped at a time the replay does not reach.
    let late = format!(r#"{{{base},"now_ms":1000,"actions":[{{"t":600,"a":{{"c":"help"}}}}]}}"#);
    let link = LabLink::decode(&pack(&late)).unwrap();
    assert_eq!(
        link.replay().unwrap_err().to_string(),
        "the link's lab could not be replayed: action 1 was recorded at 600 ms of lab time but replays at 0 ms"
    );
}

#[test]
fn exported_files_read_back_as_json_or_as_link_text() {
    let link = LabLink::of(&worked_lab(), Some("kind: Pod\n"), None, None);
    assert_eq!(LabLink::from_file(&link.to_json()), Ok(link.clone()));
    let url = format!("http://127.0.0.1:8080/#lab={}", link.encode());
    assert_eq!(LabLink::from_file(&url), Ok(link));
    assert!(matches!(LabLink::from_file("{\"v\":1}"), Err(LinkError::NotALab(_))));
}

/// `advance_sliced` with a budget of `tasks` cluster tasks per call, until it lands.
fn advance_in_slices(s: &mut Session, ms: u64, tasks: i32) -> (crate::Output, usize) {
    let mut calls = 0;
    loop {
        calls += 1;
        let mut left = tasks;
        if let Some(out) = s.advance_sliced(ms, &mut || {
            left -= 1;
            left >= 0
        }) {
            return (out, calls);
        }
    }
}

#[test]
fn time_passed_in_slices_is_logged_and_replayed_as_one_advance() {
    let lab = |s: &mut Session| {
        s.run_command("kubectl create deployment web --image=nginx --replicas=40");
    };
    let mut whole = Session::with_preset(Preset::Large(20), 3);
    lab(&mut whole);
    let printed = whole.advance(20_000);

    let mut sliced = Session::with_preset(Preset::Large(20), 3);
    lab(&mut sliced);
    let (sliced_printed, calls) = advance_in_slices(&mut sliced, 20_000, 4);
    assert!(calls > 10, "{calls} calls");
    assert_eq!(sliced_printed, printed);
    assert_eq!(sliced.actions(), whole.actions());
    assert_eq!(sliced.dump(), whole.dump());

    // A link taken while a step is under way carries it as landed.
    let mut live = Session::with_preset(Preset::Large(20), 3);
    lab(&mut live);
    let mut left = 5;
    assert!(live.advance_sliced(20_000, &mut || { left -= 1; left >= 0 }).is_none());
    let link = LabLink::decode(&LabLink::of(&live, None, None, None).encode()).unwrap();
    assert_eq!(link.now_ms, 20_000);
    assert_eq!(link.replay().unwrap().dump(), whole.dump());
    // Any other action lands the step first, then is logged after it.
    let out = live.run_command("kubectl get deploy web --no-headers");
    let text: Vec<&str> = out.lines.iter().map(|l| l.text.as_str()).collect();
    assert!(text.iter().any(|l| l.starts_with("web   40/40")), "{text:?}");
    assert_eq!(live.now_ms() - live.handed_over_ms(), 20_000);
    let actions = live.actions();
    assert_eq!(actions[actions.len() - 2], whole.actions()[whole.actions().len() - 1]);

    // A watch prints each change when it happens, so with one running the step runs whole.
    let mut watched = Session::with_preset(Preset::Large(20), 3);
    lab(&mut watched);
    watched.run_command("kubectl get deploy web -w");
    let mut never = || false;
    let printed = watched.advance_sliced(20_000, &mut never).expect("ran whole");
    assert!(printed.lines.iter().any(|l| l.text.starts_with("web ")), "{printed:?}");
}

/// A link counts time from the hand-over: the booted preset's first command is at 0 ms of
/// lab time, however long the boot took on the cluster's clock.
#[test]
fn a_link_counts_from_the_hand_over() {
    let mut s = Session::with_preset(Preset::Kubeadm, 2);
    assert!(s.handed_over_ms() > 0);
    assert_eq!(s.now_ms(), s.handed_over_ms());
    s.run_command("kubectl get pods -A");
    s.advance(1_500);
    let link = LabLink::of(&s, None, None, None);
    assert_eq!(link.actions[0].at_ms, 0);
    assert_eq!(link.actions[1].at_ms, 0);
    assert_eq!(link.now_ms, 1_500);
}

/// A link made when presets were handed over unbooted at 0 s of cluster time still opens:
/// its actions run after the boot, as far apart as they were recorded.
#[test]
fn a_link_made_before_presets_booted_replays_after_the_boot() {
    let json = r#"{"v":1,"preset":"minikube","seed":1,"now_ms":6000,"actions":[
        {"t":0,"a":{"c":"kubectl run web --image=nginx"}},
        {"t":0,"a":{"t":{"ms":100,"times":50}}},
        {"t":5000,"a":{"c":"kubectl get pod web --no-headers"}}]}"#;
    let link = LabLink::from_file(json).unwrap();
    let mut s = link.replay().unwrap();
    let start = s.handed_over_ms();
    assert!(start > 0);
    assert_eq!(s.now_ms(), start + 6_000);
    let pods = s.run_command("kubectl get pods -A --no-headers").text();
    let web = pods.lines().find(|l| l.starts_with("default ")).unwrap_or_default();
    assert!(web.contains(" web ") && web.contains("Running") && web.ends_with("6s"), "{pods}");
    // The system pods were up before the first command, so they are older.
    let proxy = pods.lines().find(|l| l.contains("kube-proxy-")).unwrap_or_default();
    assert!(proxy.contains("1/1") && proxy.contains("Running") && !proxy.ends_with(" 6s"), "{pods}");
}
