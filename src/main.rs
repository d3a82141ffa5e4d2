//! The `starplan` binary: all work is in the library's `cli` module.

fn main() {
    std::process::exit(starplan::cli::run());
}
