//! The cluster view's pure parts in the browser's wasm: the SVG layout (chips inside their
//! node, the scheduling lane above the nodes, Service lines ending on their pods, counts
//! beyond 200 pods, the density grid's hit test), chip labels and the plots' staircase.

use lab::Session;
use wasm_bindgen_test::*;
use web::components::cluster_view::layout::{ANIMATED_PODS, density, density_hit, layout};
use web::components::cluster_view::{chip_label, format, texts};
use web::components::plots::staircase;
use web::i18n::Lang;

wasm_bindgen_test_configure!(run_in_browser);

fn lab_with_web_service() -> Session {
    let mut s = Session::with_seed(4);
    s.run_command("kubectl create deployment web --image=nginx --replicas=5");
    s.run_command("kubectl expose deployment web --port=80");
    s.advance(30_000);
    s
}

#[wasm_bindgen_test]
fn chips_sit_inside_their_node_card_without_overlapping() {
    let snap = lab_with_web_service().snapshot();
    for width in [320.0, 480.0, 900.0] {
        let l = layout(&snap, width);
        assert!(l.chips);
        for (node, card) in snap.nodes.iter().zip(&l.cards) {
            let rects: Vec<_> = node.pods.iter().map(|p| l.pods[&p.key()]).collect();
            for (i, r) in rects.iter().enumerate() {
                assert!(
                    card.contains(r),
                    "{} outside its card at width {width}",
                    node.pods[i].name
                );
                assert!(
                    r.x + r.w <= l.width,
                    "chip beyond the pane at width {width}"
                );
                for o in &rects[i + 1..] {
                    assert!(!r.overlaps(o), "chips overlap at width {width}");
                }
            }
        }
    }
}

#[wasm_bindgen_test]
fn service_lines_run_from_the_service_to_each_ready_pod() {
    let snap = lab_with_web_service().snapshot();
    let l = layout(&snap, 480.0);
    let svc = snap
        .services
        .iter()
        .position(|s| s.name == "web")
        .expect("the web Service");
    let links: Vec<_> = l
        .links
        .iter()
        .filter(|k| k.service == "default/web")
        .collect();
    assert_eq!(links.len(), 5);
    for link in links {
        assert!(link.ready);
        let chip = l.pods[&link.pod];
        assert_eq!(link.to, (chip.x + chip.w / 2.0, chip.y + chip.h));
        let boxed = l.services[svc];
        assert_eq!(link.from, (boxed.x + boxed.w / 2.0, boxed.y));
    }
    // The Services lane is below every node card.
    let lane = l.services_lane.expect("a Services lane");
    assert!(l.cards.iter().all(|c| c.y + c.h <= lane.y));
}

#[wasm_bindgen_test]
fn a_pending_pod_waits_in_the_lane_above_the_nodes() {
    let mut s = Session::with_seed(4);
    s.run_command("kubectl cordon minikube");
    s.run_command("kubectl run late --image=nginx");
    s.advance(5_000);
    let snap = s.snapshot();
    let l = layout(&snap, 480.0);
    let lane = l.lane.expect("a scheduling lane");
    let chip = l.pods["default/late"];
    assert!(lane.contains(&chip));
    assert!(l.cards.iter().all(|c| c.y >= lane.y + lane.h));
    assert_eq!(chip_label(&snap.pending[0], texts::of(Lang::En)), "Pending");
}

#[wasm_bindgen_test]
fn beyond_two_hundred_pods_nodes_show_counts() {
    let mut s = Session::with_seed(4);
    s.run_command(&format!(
        "kubectl create deployment many --image=nginx --replicas={}",
        ANIMATED_PODS + 10
    ));
    s.advance(5_000);
    let snap = s.snapshot();
    assert!(snap.pods().count() > ANIMATED_PODS);
    let l = layout(&snap, 480.0);
    assert!(!l.chips);
    assert!(l.pods.is_empty(), "no chips are placed");
    // The node says how many pods are in each state instead.
    let t = texts::of(Lang::En);
    let counts = web::components::cluster_view::count_line(&snap.nodes[0].pods, t);
    let total: usize = counts
        .split(" · ")
        .map(|part| {
            let (n, state) = part.split_once(' ').expect("a count and a state");
            assert!(
                lab::PodState::ALL.iter().any(|s| t.state_name(*s) == state),
                "{part}"
            );
            n.parse::<usize>().expect("a number")
        })
        .sum();
    assert_eq!(total, snap.nodes[0].pods.len(), "{counts}");
}

#[wasm_bindgen_test]
fn the_density_grid_finds_the_node_under_the_pointer() {
    let d = density(5000, 800.0);
    assert!(d.cols > 50);
    assert_eq!(density_hit(&d, 5000, 12.5, d.top + 0.5), Some(0));
    assert_eq!(
        density_hit(&d, 5000, 12.5 + d.cell, d.top + d.cell + 0.5),
        Some(d.cols + 1)
    );
    assert_eq!(density_hit(&d, 5000, 12.5, d.top - 1.0), None);
    assert_eq!(density_hit(&d, 3, 12.5 + 5.0 * d.cell, d.top + 0.5), None);
}

#[wasm_bindgen_test]
fn a_staircase_holds_each_value_until_the_next_change() {
    let steps = [(10.0, 3.0), (20.0, 4.0), (30.0, 3.0)];
    assert_eq!(
        staircase(&steps, 40.0),
        vec![
            (10.0, 3.0),
            (20.0, 3.0),
            (20.0, 4.0),
            (30.0, 4.0),
            (30.0, 3.0),
            (40.0, 3.0)
        ]
    );
}

#[wasm_bindgen_test]
fn amounts_and_names_read_as_kubectl_writes_them() {
    assert_eq!(format::cpu(750), "750m");
    assert_eq!(format::cpu(2000), "2");
    assert_eq!(format::memory(170 * 1024 * 1024), "170Mi");
    assert_eq!(format::memory(4_000_000_000), "3.7Gi");
    assert_eq!(
        format::fit_middle("web-78587765b9-x7k2p", 16),
        "web-785…b9-x7k2p"
    );
}
