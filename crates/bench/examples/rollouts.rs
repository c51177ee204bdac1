//! Runs the `bench cluster` rollout on many fresh clusters, for profiling it:
//! `cargo run --release -p bench --example rollouts -- [COUNT] [DUMP_FILE]`.
//!
//! Prints the median wall milliseconds per virtual second; with a dump file, writes the last
//! cluster's `Cluster::dump` there, so two builds' runs can be compared byte for byte.

#[global_allocator]
static ALLOC: bench::CountingAlloc = bench::CountingAlloc;

fn main() {
    bench::keep_freed_pages();
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);
    let dump_file = args.next();
    let mut per_virtual_s = Vec::with_capacity(count);
    let mut last = None;
    for _ in 0..count.max(1) {
        let (measured, cluster) = bench::scale::rollout(bench::Clock::native());
        per_virtual_s.push(measured.wall_ms / measured.virtual_s);
        last = Some((measured, cluster));
    }
    per_virtual_s.sort_by(f64::total_cmp);
    let Some((measured, cluster)) = last else { return };
    println!(
        "{} rollouts of {:.3} virtual s: median {:.3} ms wall per virtual second (min {:.3}, max {:.3})",
        per_virtual_s.len(),
        measured.virtual_s,
        per_virtual_s[per_virtual_s.len() / 2],
        per_virtual_s[0],
        per_virtual_s[per_virtual_s.len() - 1],
    );
    if let Some(path) = dump_file
        && let Err(e) = std::fs::write(&path, cluster.dump())
    {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    }
}
