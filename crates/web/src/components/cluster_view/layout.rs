//! Where everything goes in the cluster view's SVG, as a pure function of the snapshot and the
//! pane's width: the scheduling lane on top, node cards in a grid, Services along the bottom,
//! and one line from each Service to each of its endpoint pods.
//!
//! Pods are placed in one list of positions (not inside their node's group) so a chip that
//! moves from the scheduling lane to a node slides there with a CSS transition.

use std::collections::BTreeMap;

use lab::ClusterSnapshot;

pub const PAD: f64 = 12.0;
pub const GAP: f64 = 8.0;
pub const CHIP_W: f64 = 136.0;
pub const CHIP_H: f64 = 38.0;
/// Height of a node card's header: name, status line and the two resource bars.
pub const CARD_HEAD: f64 = 76.0;
const CARD_MIN_W: f64 = 2.0 * CHIP_W + GAP + 2.0 * PAD;
const LANE_HEAD: f64 = 22.0;
pub const SVC_W: f64 = 196.0;
pub const SVC_H: f64 = 44.0;
/// Up to this many pods every chip is drawn and animated; beyond, nodes show counts.
pub const ANIMATED_PODS: usize = 200;
/// Beyond this many nodes the view is a density grid.
pub const DENSITY_NODES: usize = 60;

/// A rectangle in SVG user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x
            && o.y >= self.y
            && o.x + o.w <= self.x + self.w
            && o.y + o.h <= self.y + self.h
    }
}

/// A line from a Service to one endpoint pod.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub service: String,
    pub pod: String,
    pub ready: bool,
    pub from: (f64, f64),
    pub to: (f64, f64),
}

/// The route of one request's dot: client → Service → pod, as an SVG path.
#[derive(Debug, Clone, PartialEq)]
pub struct Trip {
    pub seq: usize,
    /// The Service and the pod it went to (`namespace/name`).
    pub service: String,
    pub pod: String,
    pub path: String,
    /// Whether the request got an HTTP answer (not refused or timed out).
    pub answered: bool,
}

/// The whole picture's geometry.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// Whether pods are drawn as chips (else node cards show counts).
    pub chips: bool,
    pub lane: Option<Rect>,
    /// One card per node, in the snapshot's node order.
    pub cards: Vec<Rect>,
    /// Chip rectangles by pod key (`namespace/name`).
    pub pods: BTreeMap<String, Rect>,
    pub services_lane: Option<Rect>,
    /// One box per Service, in the snapshot's order.
    pub services: Vec<Rect>,
    pub links: Vec<Link>,
    pub trips: Vec<Trip>,
}

/// How many fixed-width items fit in `width`.
fn per_row(width: f64, item: f64) -> usize {
    (((width + GAP) / (item + GAP)).floor() as usize).max(1)
}

/// Places `n` chips in rows inside `area` starting at its top-left.
fn chip_grid(n: usize, x: f64, y: f64, width: f64) -> (Vec<Rect>, f64) {
    let cols = per_row(width, CHIP_W);
    let rects = (0..n)
        .map(|i| Rect {
            x: x + (i % cols) as f64 * (CHIP_W + GAP),
            y: y + (i / cols) as f64 * (CHIP_H + GAP),
            w: CHIP_W,
            h: CHIP_H,
        })
        .collect();
    let rows = n.div_ceil(cols);
    (rects, rows as f64 * (CHIP_H + GAP))
}

/// Lays the snapshot out in a pane `width` wide (at least one card's width).
pub fn layout(snapshot: &ClusterSnapshot, width: f64) -> Layout {
    let width = width.max(CHIP_W + 4.0 * PAD);
    let total_pods = snapshot.pods().count();
    let chips = total_pods <= ANIMATED_PODS;
    let inner = width - 2.0 * PAD;
    let mut y = PAD;
    let mut pods = BTreeMap::new();

    let mut lane = None;
    if !snapshot.pending.is_empty() {
        let (rects, h) = if chips {
            chip_grid(
                snapshot.pending.len(),
                2.0 * PAD,
                y + LANE_HEAD,
                inner - 2.0 * PAD,
            )
        } else {
            (Vec::new(), CHIP_H)
        };
        for (p, r) in snapshot.pending.iter().zip(rects) {
            pods.insert(p.key(), r);
        }
        let rect = Rect {
            x: PAD,
            y,
            w: inner,
            h: LANE_HEAD + h + PAD / 2.0,
        };
        y += rect.h + PAD;
        lane = Some(rect);
    }

    let cols = per_row(inner, CARD_MIN_W).min(snapshot.nodes.len().max(1));
    let card_w = (inner - (cols as f64 - 1.0) * PAD) / cols as f64;
    let mut cards = Vec::with_capacity(snapshot.nodes.len());
    for row in snapshot.nodes.chunks(cols) {
        let mut row_h: f64 = 0.0;
        let mut placed = Vec::new();
        for (i, node) in row.iter().enumerate() {
            let x = PAD + i as f64 * (card_w + PAD);
            let body = if chips {
                let (rects, h) =
                    chip_grid(node.pods.len(), x + PAD, y + CARD_HEAD, card_w - 2.0 * PAD);
                for (p, r) in node.pods.iter().zip(rects) {
                    pods.insert(p.key(), r);
                }
                h.max(CHIP_H / 2.0)
            } else {
                CHIP_H
            };
            let h = CARD_HEAD + body + PAD / 2.0;
            row_h = row_h.max(h);
            placed.push(Rect { x, y, w: card_w, h });
        }
        // Cards of a row share its height, so the grid reads as a grid.
        cards.extend(placed.into_iter().map(|r| Rect { h: row_h, ..r }));
        y += row_h + PAD;
    }

    let mut services = Vec::new();
    let mut services_lane = None;
    let mut links = Vec::new();
    if !snapshot.services.is_empty() {
        let top = y + 2.0 * PAD;
        let cols = per_row(inner - 2.0 * PAD, SVC_W);
        for i in 0..snapshot.services.len() {
            services.push(Rect {
                x: 2.0 * PAD + (i % cols) as f64 * (SVC_W + GAP),
                y: top + LANE_HEAD + (i / cols) as f64 * (SVC_H + GAP),
                w: SVC_W,
                h: SVC_H,
            });
        }
        let rows = snapshot.services.len().div_ceil(cols) as f64;
        let rect = Rect {
            x: PAD,
            y: top,
            w: inner,
            h: LANE_HEAD + rows * (SVC_H + GAP) + PAD / 2.0,
        };
        y = top + rect.h + PAD;
        services_lane = Some(rect);
        for (svc, rect) in snapshot.services.iter().zip(&services) {
            for ep in &svc.endpoints {
                let Some(chip) = pods.get(&ep.pod) else {
                    continue;
                };
                links.push(Link {
                    service: svc.key(),
                    pod: ep.pod.clone(),
                    ready: ep.ready,
                    from: (rect.x + rect.w / 2.0, rect.y),
                    to: (chip.x + chip.w / 2.0, chip.y + chip.h),
                });
            }
        }
    }

    let centre = |r: &Rect| (r.x + r.w / 2.0, r.y + r.h / 2.0);
    let trips = snapshot
        .traffic
        .iter()
        .filter(|_| chips)
        .filter_map(|t| {
            let svc = snapshot
                .services
                .iter()
                .position(|s| Some(s.key()) == t.service)?;
            let (sx, sy) = centre(&services[svc]);
            let pod = t.pod.clone()?;
            let (px, py) = pods.get(&pod).map(centre)?;
            // A pod client starts at its chip; the learner's machine enters from the left edge.
            let (cx, cy) = pods.get(&t.client).map(centre).unwrap_or((0.0, sy));
            Some(Trip {
                seq: t.seq,
                service: snapshot.services[svc].key(),
                pod,
                path: format!("M{cx:.1},{cy:.1} L{sx:.1},{sy:.1} L{px:.1},{py:.1}"),
                answered: t.result.chars().all(|c| c.is_ascii_digit()),
            })
        })
        .collect();
    Layout {
        width,
        height: y,
        chips,
        lane,
        cards,
        pods,
        services_lane,
        services,
        links,
        trips,
    }
}

/// Density grid geometry for very large clusters: square cells in rows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Density {
    pub cell: f64,
    pub cols: usize,
    pub top: f64,
    pub height: f64,
}

/// Sizes the density grid for `nodes` cells in a pane `width` wide, below a header.
pub fn density(nodes: usize, width: f64) -> Density {
    let inner = (width - 2.0 * PAD).max(40.0);
    // Cells from 14 units down to 6, as many per row as fit.
    let cell = if nodes > 2000 {
        6.0
    } else if nodes > 500 {
        9.0
    } else {
        14.0
    };
    let cols = ((inner / cell).floor() as usize).max(1);
    let top = PAD + 40.0;
    let rows = nodes.div_ceil(cols) as f64;
    Density {
        cell,
        cols,
        top,
        height: top + rows * cell + PAD,
    }
}

/// The node index under a point of the density grid, if any.
pub fn density_hit(d: &Density, nodes: usize, x: f64, y: f64) -> Option<usize> {
    if x < PAD || y < d.top {
        return None;
    }
    let col = ((x - PAD) / d.cell).floor() as usize;
    let row = ((y - d.top) / d.cell).floor() as usize;
    let i = row * d.cols + col;
    (col < d.cols && i < nodes).then_some(i)
}
