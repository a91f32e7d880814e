//! Names for exported files: whatever a photo is called, the name stays one plain path
//! component inside the folder the organizer chose.

/// A file name safe on every platform: no separators, no control or reserved characters, no
/// leading dots, not a reserved Windows device name, at most 120 bytes.
pub fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = cleaned
        .trim()
        .trim_start_matches('.')
        .trim_end_matches(['.', ' ']);
    let mut out = String::new();
    for c in trimmed.chars() {
        if out.len() + c.len_utf8() > 120 {
            break;
        }
        out.push(c);
    }
    let stem = out.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = ["CON", "PRN", "AUX", "NUL"].contains(&stem.as_str())
        || ((stem.starts_with("COM") || stem.starts_with("LPT")) && stem.len() == 4);
    if out.is_empty() || reserved {
        format!("photo_{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_stay_inside_the_folder() {
        for (raw, want) in [
            ("../../etc/passwd", "_.._etc_passwd"),
            ("..", "photo_"),
            ("a\u{0}b.jpg", "a_b.jpg"),
            ("CON.jpg", "photo_CON.jpg"),
            ("李想 的照片.jpg", "李想 的照片.jpg"),
            ("C:\\x.jpg", "C__x.jpg"),
        ] {
            assert_eq!(safe_file_name(raw), want, "{raw}");
        }
        let long = "é".repeat(200);
        assert!(safe_file_name(&long).len() <= 120);
    }
}
