//! Entry point of the lab page: mounts `web::App` into the page body, or runs a benchmark
//! when the URL asks for one (`?bench=…`, see `web::bench_page`).

/// Counts live heap bytes for the benchmarks' bytes-per-pod figures (one add per allocation).
#[global_allocator]
static ALLOC: bench::CountingAlloc = bench::CountingAlloc;

fn main() {
    match web::bench_page::requested() {
        Some(query) => web::bench_page::run(query),
        // The field descriptions first (fetched beside the wasm, see `web::field_descriptions`),
        // so `kubectl explain` and the editor's docs have them from the first command.
        None => wasm_bindgen_futures::spawn_local(async {
            web::field_descriptions::load().await;
            web::mount();
        }),
    }
}
