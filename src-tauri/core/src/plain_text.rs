//! Text that came from elsewhere (an issue, a file name, a roster cell) made safe to show where
//! it could deceive: no control characters (a terminal obeys them) and no bidirectional or
//! invisible formatting characters (a right-to-left override turns "gpj.exe" into "exe.jpg").

/// Whether `c` steers how text is shown rather than being shown.
fn steers(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// `s` on one line: every control or formatting character dropped, line breaks and tabs made
/// spaces.
pub fn plain_text(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if steers(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Whether `s` holds anything [`plain_text`] would drop or change.
pub fn is_plain(s: &str) -> bool {
    !s.chars().any(steers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_direction_overrides_are_dropped() {
        assert_eq!(plain_text("ab\u{202e}gpj.exe"), "abgpj.exe");
        assert_eq!(plain_text("a\x1b[31mred\x07\nb"), "a[31mred b");
        assert_eq!(plain_text("名前 Zoë 👋"), "名前 Zoë 👋");
        assert!(!is_plain("x\u{2066}y"));
        assert!(is_plain("plain"));
    }
}
