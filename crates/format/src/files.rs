//! File names made from ids (regions, scenarios, runs): one safe, injective mapping, so that a file named after any id stays inside the folder the user named.
//!
//! Every place that names a file after an id (`solve --export-mps`, what-if runs, per-region
//! outputs) goes through [`file_in`] (or [`file_stem`]). An id is data from the input: it
//! may be `../x`, an absolute path, contain NUL or a newline, be a device name that Windows
//! reserves (`CON`, `nul`), or be thousands of characters long.
//!
//! The stem keeps ASCII letters and digits, `-`, `_` and other Unicode letters and digits as
//! they are (so `HZ` stays `HZ` and `杭州` stays `杭州`), and writes every other byte of the
//! id's UTF-8 as `%XX` (upper-case hex). `%` itself is escaped, so the mapping decodes back:
//! two different ids never share a stem. A stem never contains `.`, `/`, `\` or a control
//! character, so it cannot climb out of the folder, hide a file or clash with a suffix
//! (`.mps`, `.relaxed.mps`, `.plan.json`). The first character of a reserved device name is
//! escaped (`CON` → `%43ON`). An empty id gives `%`, which no other id gives.
//!
//! A stem longer than [`MAX_STEM_BYTES`] keeps a readable prefix and ends in `~` and the
//! first 128 bits of the SHA-256 of the id, in hex. `~` never occurs in a short stem, so a
//! long id can only share a stem with another long id of the same hash (a 2⁻¹²⁸ chance).
//! The bound leaves room for the longest suffix and a temporary-file prefix within the 255
//! bytes most file systems allow per name.
//!
//! The mapping is case-preserving: on a case-insensitive file system (macOS, Windows) ids that
//! differ only in case (`hz`, `HZ`) name the same file. starplan's own platform is Linux.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The longest stem in bytes; longer ones are shortened and end in a hash.
pub const MAX_STEM_BYTES: usize = 120;

/// Bytes of the readable prefix kept before the hash of a long id.
const LONG_PREFIX_BYTES: usize = MAX_STEM_BYTES - 1 - 32;

/// Device names Windows reserves in any folder, with any extension, in any case.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

fn kept(c: char) -> bool {
    c == '-' || c == '_' || c.is_alphanumeric()
}

fn escape(c: char, out: &mut String) {
    let mut buf = [0u8; 4];
    for b in c.encode_utf8(&mut buf).bytes() {
        out.push_str(&format!("%{b:02X}"));
    }
}

/// The file stem for an id: safe in any folder, and different for different ids.
pub fn file_stem(id: &str) -> String {
    if id.is_empty() {
        return "%".into();
    }
    let reserved = RESERVED.iter().any(|r| r.eq_ignore_ascii_case(id));
    let mut out = String::with_capacity(id.len());
    // Where each character's encoding ends, to cut a long stem on a boundary.
    let mut ends = Vec::new();
    for (i, c) in id.chars().enumerate() {
        if kept(c) && !(reserved && i == 0) {
            out.push(c);
        } else {
            escape(c, &mut out);
        }
        ends.push(out.len());
    }
    if out.len() <= MAX_STEM_BYTES {
        return out;
    }
    let cut = ends
        .into_iter()
        .take_while(|&e| e <= LONG_PREFIX_BYTES)
        .last()
        .unwrap_or(0);
    let hash = Sha256::digest(id.as_bytes());
    let hex: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}~{hex}", &out[..cut])
}

/// `dir/<stem of id><suffix>`. The suffix is the program's own (`.plan.json`), and starts
/// with `.`, so that stem and suffix never run into each other.
pub fn file_in(dir: &Path, id: &str, suffix: &str) -> PathBuf {
    debug_assert!(
        suffix.is_empty() || (suffix.starts_with('.') && !suffix.contains(['/', '\\'])),
        "a file suffix starts with '.' and names no folder"
    );
    dir.join(format!("{}{suffix}", file_stem(id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn plain_ids_stay_readable() {
        assert_eq!(file_stem("HZ"), "HZ");
        assert_eq!(file_stem("span-1100"), "span-1100");
        assert_eq!(file_stem("杭州_1"), "杭州_1");
    }

    #[test]
    fn hostile_ids_stay_in_the_folder() {
        for id in [
            "../escaped",
            "/etc/passwd",
            "a\0b",
            "..",
            ".",
            "C:\\x",
            "a/../../b",
        ] {
            let stem = file_stem(id);
            assert!(!stem.contains(['/', '\\', '.', '\0']), "{id:?} → {stem}");
            let p = file_in(Path::new("out"), id, ".mps");
            assert_eq!(p.parent(), Some(Path::new("out")), "{id:?} → {p:?}");
        }
        assert_eq!(file_stem("../x"), "%2E%2E%2Fx");
        assert_eq!(file_stem("CON"), "%43ON");
        assert_eq!(file_stem("nul"), "%6Eul");
        assert_eq!(file_stem("CONSOLE"), "CONSOLE");
    }

    #[test]
    fn long_ids_are_bounded_and_distinct() {
        let a = "x".repeat(5000);
        let b = format!("{}y", "x".repeat(4999));
        let (sa, sb) = (file_stem(&a), file_stem(&b));
        assert!(sa.len() <= MAX_STEM_BYTES && sb.len() <= MAX_STEM_BYTES);
        assert_ne!(sa, sb);
        let wide = "/".repeat(300);
        assert!(file_stem(&wide).len() <= MAX_STEM_BYTES);
        assert!(file_stem(&"杭".repeat(100)).len() <= MAX_STEM_BYTES);
    }

    #[test]
    fn different_ids_give_different_names() {
        let ids = [
            "",
            "%",
            "%25",
            "a.b",
            "a%2Eb",
            "a",
            "A",
            "CON",
            "%43ON",
            "a b",
            "a_b",
            "a-b",
            "é",
            "%C3%A9",
            "HZ.relaxed",
            "HZ",
        ];
        let stems: HashSet<String> = ids.iter().map(|i| file_stem(i)).collect();
        assert_eq!(stems.len(), ids.len());
        // A suffix never makes one id's file another's.
        assert_ne!(
            file_in(Path::new("d"), "HZ.relaxed", ".mps"),
            file_in(Path::new("d"), "HZ", ".relaxed.mps")
        );
    }
}
