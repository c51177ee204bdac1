//! The `kubelab bench` scenarios, in one place for both builds: the native `kubelab bench`
//! command and the page's benchmark route (`?bench=…`) run exactly this code, so their JSON
//! figures compare like for like.
//!
//! - [`store`]: throughput and footprint of the API store (`bench api`).
//! - [`scale`]: the scheduler and the whole cluster at 5,000 nodes.
//! - [`frames`]: the lab page's frame loop on a large preset (build, play, redraws).
//!
//! Time comes from a [`Clock`] the caller passes: natively the thread's CPU time (and the
//! wall clock beside it), in the browser `performance.now()` (wasm has no `Instant`). Heap
//! bytes come from [`CountingAlloc`], which each binary installs as its global allocator.
//! Figures only: nothing here asserts a timing.

pub mod frames;
pub mod scale;
pub mod store;

#[cfg(target_arch = "wasm32")]
use std::alloc::System;
use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicI64, Ordering};

pub use store::{ApiBench, api, render, to_json};

/// Counts live heap bytes, so a bench can report what the store keeps per pod.
pub struct CountingAlloc;

static LIVE: AtomicI64 = AtomicI64::new(0);

/// Live heap bytes, as counted by [`CountingAlloc`] (zero growth when it is not installed).
pub fn live_bytes() -> i64 {
    LIVE.load(Ordering::Relaxed)
}

/// The allocator under the counter: mimalloc natively (glibc's malloc merges its fast bins
/// on every request of 1 KB or more, and every stored object is one), the platform's own in
/// the page.
#[cfg(not(target_arch = "wasm32"))]
static BACKING: mimalloc::MiMalloc = mimalloc::MiMalloc;
#[cfg(target_arch = "wasm32")]
static BACKING: System = System;

/// Has the native allocator keep the pages it frees instead of returning them to the system.
///
/// mimalloc hands a page whose blocks are all free back to the system a second after (its
/// `purge_delay`), and the next allocation of that size faults it in again: the kernel zeroes
/// a fresh 2 MB page each time. A store that frees a decoded pod for every pod it compacts
/// churns thousands of such pages a second, and `bench api` saw four times the page faults
/// its peak heap needs (2,200 instead of 560), a fifth of a pod create spent zeroing them.
/// Call it first in `main`; the page keeps the platform's allocator and has nothing to set.
#[cfg(not(target_arch = "wasm32"))]
pub fn keep_freed_pages() {
    // SAFETY: `mi_option_set` only stores an option value; any thread may call it at any time.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

/// `mi_option_purge_delay` in the `mi_option_t` enum of the mimalloc (v3) that
/// libmimalloc-sys 0.1.49 builds (include/mimalloc.h); -1 means never purge. The crate
/// declares its option functions only behind a feature with a dependency of its own.
#[cfg(not(target_arch = "wasm32"))]
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

#[cfg(not(target_arch = "wasm32"))]
unsafe extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    fn mi_malloc(size: usize) -> *mut std::ffi::c_void;
    fn mi_realloc(ptr: *mut std::ffi::c_void, new_size: usize) -> *mut std::ffi::c_void;
    #[cfg(test)]
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
}

/// Whether mimalloc's plain `mi_malloc` meets `align`: its block sizes are multiples of a
/// word and its pages start 16-byte aligned, so every block is word-aligned (as Rust's
/// `System` relies on for `malloc`). `MiMalloc` asks `mi_malloc_aligned` for every layout,
/// and there a block of more than 1 KB whose size class is not a power of two (an
/// `api::Object` is 3,472 bytes) takes the generic path, which allocates `align - 1` bytes
/// more and aligns inside: a tenth of the rollout's instructions went to allocation, a
/// third of them on that path.
#[cfg(not(target_arch = "wasm32"))]
fn word_aligned(align: usize) -> bool {
    align <= std::mem::size_of::<usize>()
}

// SAFETY: every call forwards to the backing allocator unchanged (or to mimalloc's plain
// entry points, for alignments every mimalloc block meets); only a counter is added.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as i64, Ordering::Relaxed);
        #[cfg(not(target_arch = "wasm32"))]
        if word_aligned(layout.align()) {
            // SAFETY: `mi_malloc` takes any size; the block is word-aligned (above).
            return unsafe { mi_malloc(layout.size()).cast() };
        }
        // SAFETY: same contract as the caller's.
        unsafe { BACKING.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as i64, Ordering::Relaxed);
        // SAFETY: same contract as the caller's (`MiMalloc` frees any block with `mi_free`).
        unsafe { BACKING.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size as i64 - layout.size() as i64, Ordering::Relaxed);
        #[cfg(not(target_arch = "wasm32"))]
        if word_aligned(layout.align()) {
            // SAFETY: `ptr` is a mimalloc block of this allocator; the new block is
            // word-aligned as `mi_malloc`'s are.
            return unsafe { mi_realloc(ptr.cast(), new_size).cast() };
        }
        // SAFETY: same contract as the caller's.
        unsafe { BACKING.realloc(ptr, layout, new_size) }
    }
}

/// Where a benchmark reads time.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// Wall-clock seconds since some fixed origin.
    pub wall_s: fn() -> f64,
    /// CPU seconds of the benchmark thread since some fixed origin, where the platform has
    /// them (Linux); otherwise the wall clock stands in.
    pub cpu_s: fn() -> Option<f64>,
}

#[cfg(not(target_arch = "wasm32"))]
impl Clock {
    /// The native clock: the thread's CPU clock (`CLOCK_THREAD_CPUTIME_ID`) for CPU time,
    /// `Instant` for the wall.
    pub fn native() -> Clock {
        fn wall_s() -> f64 {
            static ORIGIN: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
            ORIGIN
                .get_or_init(std::time::Instant::now)
                .elapsed()
                .as_secs_f64()
        }
        fn cpu_s() -> Option<f64> {
            let mut t = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            // SAFETY: `t` is a valid timespec for the call to write.
            let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0;
            ok.then(|| t.tv_sec as f64 + t.tv_nsec as f64 / 1e9)
        }
        Clock { wall_s, cpu_s }
    }
}

/// A stopwatch reading both the thread's CPU time and the wall clock.
pub(crate) struct Stopwatch {
    clock: Clock,
    cpu: Option<f64>,
    wall: f64,
}

impl Stopwatch {
    pub(crate) fn start(clock: Clock) -> Stopwatch {
        Stopwatch {
            clock,
            cpu: (clock.cpu_s)(),
            wall: (clock.wall_s)(),
        }
    }

    /// (seconds on an idle core, elapsed wall seconds). The CPU time is what an idle core's
    /// wall clock shows: on a shared machine the wall clock mostly measures the neighbours.
    pub(crate) fn read(&self) -> (f64, f64) {
        let wall = (self.clock.wall_s)() - self.wall;
        let cpu = match (self.cpu, (self.clock.cpu_s)()) {
            (Some(a), Some(b)) => (b - a).max(0.0),
            _ => wall,
        };
        (cpu, wall)
    }
}

/// One benchmark run with its sizes, as `kubelab bench <name> --…` and the page's route
/// `?bench=<name>&…` name them (the same defaults as the command's flags).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scenario {
    Api {
        pods: usize,
    },
    Sched {
        nodes: usize,
        pods: usize,
    },
    Cluster {
        nodes: usize,
        deployments: usize,
        replicas: usize,
    },
    Frames {
        nodes: usize,
        seconds: usize,
    },
}

impl Scenario {
    /// Reads a URL query such as `bench=sched&nodes=500&pods=1000` (leading `?` allowed).
    /// Unknown keys are refused so a typo cannot silently run the default size.
    pub fn from_query(query: &str) -> Result<Scenario, String> {
        let mut name = None;
        let mut sizes: Vec<(String, usize)> = Vec::new();
        for pair in query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            if k == "bench" {
                name = Some(v.to_string());
            } else {
                let n = v
                    .parse::<usize>()
                    .map_err(|_| format!("{k}: not a whole number: {v:?}"))?;
                sizes.push((k.to_string(), n));
            }
        }
        let name = name.ok_or("no bench=api|sched|cluster|frames in the query")?;
        let mut take = |key: &str, default: usize| {
            let at = sizes.iter().position(|(k, _)| k == key);
            at.map_or(default, |i| sizes.remove(i).1)
        };
        let scenario = match name.as_str() {
            "api" => Scenario::Api {
                pods: take("pods", 150_000),
            },
            "sched" => Scenario::Sched {
                nodes: take("nodes", 5_000),
                pods: take("pods", 10_000),
            },
            "cluster" => Scenario::Cluster {
                nodes: take("nodes", 5_000),
                deployments: take("deployments", 1_500),
                replicas: take("replicas", 100),
            },
            "frames" => Scenario::Frames {
                nodes: take("nodes", 5_000),
                seconds: take("seconds", 60),
            },
            other => return Err(format!("unknown bench {other:?} (api, sched, cluster, frames)")),
        };
        match sizes.first() {
            Some((k, _)) => Err(format!("unknown size {k:?} for bench {name}")),
            None => Ok(scenario),
        }
    }

    /// Runs the scenario and returns its figures as the command's `--json` prints them.
    pub fn run(&self, clock: Clock) -> serde_json::Value {
        let value = match *self {
            Scenario::Api { pods } => serde_json::to_value(store::api(pods, clock)),
            Scenario::Sched { nodes, pods } => serde_json::to_value(scale::sched(nodes, pods, clock)),
            Scenario::Cluster {
                nodes,
                deployments,
                replicas,
            } => serde_json::to_value(scale::cluster(nodes, deployments, replicas, clock)),
            Scenario::Frames { nodes, seconds } => serde_json::to_value(frames::frames(nodes, seconds as u64, clock)),
        };
        value.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::Scenario;

    /// The option `keep_freed_pages` sets is mimalloc's purge delay: it reads as that
    /// option's default (1,000 ms in mimalloc v3, unless the environment sets it) before,
    /// and as "never" after.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_allocator_option_set_is_the_purge_delay() {
        let from_env = std::env::var("MIMALLOC_PURGE_DELAY").ok();
        let default = from_env.and_then(|v| v.parse().ok()).unwrap_or(1000);
        // SAFETY: reading an option value has no preconditions.
        assert_eq!(unsafe { super::mi_option_get(super::MI_OPTION_PURGE_DELAY) }, default);
        super::keep_freed_pages();
        // SAFETY: as above.
        assert_eq!(unsafe { super::mi_option_get(super::MI_OPTION_PURGE_DELAY) }, -1);
    }

    /// Blocks from the plain entry points are aligned as their layouts ask, across the
    /// size classes (small, the generic path above 1 KB, large), grown and shrunk.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn word_aligned_blocks_meet_their_layouts() {
        use std::alloc::{GlobalAlloc, Layout};
        let alloc = super::CountingAlloc;
        for size in [1, 7, 8, 24, 40, 1_000, 1_032, 3_472, 70_000, 5 << 20] {
            for align in [1, 2, 4, 8, 16, 64, 4_096] {
                let layout = Layout::from_size_align(size, align).expect("a layout");
                // SAFETY: a non-zero size; each block is freed once with its layout.
                unsafe {
                    let p = alloc.alloc(layout);
                    assert!(!p.is_null() && p.align_offset(align) == 0, "{size} {align}");
                    p.write_bytes(0xa5, size);
                    let grown = alloc.realloc(p, layout, size * 3);
                    assert!(grown.align_offset(align) == 0, "{size} {align} grown");
                    assert_eq!(*grown.add(size - 1), 0xa5);
                    let bigger = Layout::from_size_align(size * 3, align).expect("a layout");
                    let shrunk = alloc.realloc(grown, bigger, size);
                    assert!(shrunk.align_offset(align) == 0, "{size} {align} shrunk");
                    alloc.dealloc(shrunk, layout);
                }
            }
        }
    }

    #[test]
    fn a_query_names_the_scenario_and_overrides_sizes() {
        assert_eq!(
            Scenario::from_query("?bench=sched&nodes=500"),
            Ok(Scenario::Sched {
                nodes: 500,
                pods: 10_000
            })
        );
        assert_eq!(
            Scenario::from_query("bench=api"),
            Ok(Scenario::Api { pods: 150_000 })
        );
    }

    #[test]
    fn a_bad_query_is_refused_with_its_reason() {
        assert!(Scenario::from_query("nodes=5").unwrap_err().contains("no bench="));
        assert!(Scenario::from_query("bench=disk").unwrap_err().contains("unknown bench"));
        assert!(
            Scenario::from_query("bench=api&nodes=5")
                .unwrap_err()
                .contains("unknown size \"nodes\"")
        );
        assert!(Scenario::from_query("bench=api&pods=x").unwrap_err().contains("not a whole number"));
    }

    #[test]
    fn a_small_frames_run_builds_plays_and_redraws() {
        let v = Scenario::from_query("bench=frames&nodes=60&seconds=3").expect("query").run(super::Clock::native());
        assert_eq!(v["nodes"], 60);
        assert_eq!(v["virtual_s"], 3);
        assert!(v["build_longest_frame_ms"].as_f64().is_some_and(|x| x > 0.0));
        assert!(v["redraw_longest_ms"].as_f64().is_some_and(|x| x > 0.0));
        assert!(v["play_longest_frame_ms"].as_f64().is_some_and(|x| x > 0.0));
    }

    #[test]
    fn a_small_run_reports_every_figure() {
        let v = Scenario::Sched { nodes: 20, pods: 40 }.run(super::Clock::native());
        assert_eq!(v["nodes"], 20);
        assert_eq!(v["pods"], 40);
        assert!(v["sched_pods_per_s_5000_nodes"].as_f64().is_some_and(|x| x > 0.0));
    }
}
