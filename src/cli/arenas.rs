//! Bounds glibc's malloc arenas to the solve's workers plus one: each thread that allocates gets an arena of its own by default (up to 8 per core), and memory freed in one (the parsed input, a finished HiGHS model) is not reused by another: a 5 000 × 500 region's peak was 1 038 MB with glibc's default and 861 MB with two arenas (models/assignment.md, "Time and memory").

/// Caps the arenas at `workers + 1` (the region workers and the thread that reads and
/// writes files), unless `MALLOC_ARENA_MAX` already says how many. No effect off glibc.
pub fn bound(workers: usize) {
    if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
        return;
    }
    let workers = if workers == 0 {
        std::thread::available_parallelism().map_or(1, usize::from)
    } else {
        workers
    };
    set(i32::try_from(workers + 1).unwrap_or(i32::MAX));
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn set(arenas: i32) {
    // SAFETY: mallopt only sets a parameter of the allocator; M_ARENA_MAX takes effect for
    // arenas created from now on and is safe to call while other threads allocate.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, arenas);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn set(_arenas: i32) {}
