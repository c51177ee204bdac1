//! Entry point of the lab page: mounts `web::App` into the page body.

fn main() {
    web::mount();
}
