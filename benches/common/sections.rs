//! Writes one section of BENCHMARKS.md between its markers, leaving the other sections as they are (shared by the benchmark scripts).

use std::path::Path;

/// Replaces the text between `<!-- name:begin -->` and `<!-- name:end -->` in BENCHMARKS.md,
/// or appends the section when the markers are not there yet.
pub fn write_section(name: &str, body: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n".into());
    let (begin, end) = (
        format!("<!-- {name}:begin -->"),
        format!("<!-- {name}:end -->"),
    );
    let block = format!("{begin}\n{}\n{end}", body.trim_end());
    let new = match (old.find(&begin), old.find(&end)) {
        (Some(a), Some(b)) if a < b => format!("{}{block}{}", &old[..a], &old[b + end.len()..]),
        _ => format!("{}\n{block}\n", old.trim_end()),
    };
    std::fs::write(&path, new).expect("BENCHMARKS.md is writable");
}
