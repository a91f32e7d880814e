//! The words of a recap post that whoiswho writes: the short alt text, the names by rows, the
//! slug, and the YAML strings of the front matter. Each is inert whatever the organizer or the
//! roster put in a name or caption.

use crate::faces::row_words;
use crate::login::profile_url;
use crate::publication::{Named, PublishedFace};

use crate::export::snippet::{is_bidi_control, markdown_text, Literal};
use crate::export::words::{capitalized, with_article};

/// The W3C's limit for a short text alternative; the long description goes in the caption.
pub const ALT_MAX_CHARS: usize = 150;

/// Photos with at least this many people get a "who is who" figure when someone is named.
pub const GROUP_SIZE: usize = 5;

/// "Group photo of 44 people at the Kubernetes Contributor Summit": what the photo is and how
/// many people are on it, never who (the caption says that), at most [`ALT_MAX_CHARS`]. A posed
/// or standing group is a group photo; a meeting, an audience or a talk only says how many
/// people can be seen there.
pub fn short_alt(faces: usize, posed: bool, event: Option<&str>) -> String {
    let event = event.map(str::trim).filter(|e| !e.is_empty());
    let what = match faces {
        0 => "Photo".to_string(),
        1 => "Photo of one person".to_string(),
        n if posed => format!("Group photo of {n} people"),
        n => format!("{n} people"),
    };
    let Some(event) = event else {
        return if faces > 1 && !posed {
            format!("Photo of {faces} people")
        } else {
            what
        };
    };
    let at = format!("{what} at ");
    let room = ALT_MAX_CHARS - at.chars().count();
    format!("{at}{}", shorten(&with_article(event), room))
}

/// The "who is who" figure's alt: what it shows, pointing to the names in the caption.
pub fn legend_alt(named: usize) -> String {
    let who = match named {
        1 => "the one person named, and the name".to_string(),
        n => format!("the {n} people named, and their names"),
    };
    format!("The same photo with numbered markers on {who} listed beneath")
}

/// `s` cut at a word to at most `max` characters, with an ellipsis when cut.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    let at_word = cut
        .rfind(char::is_whitespace)
        .filter(|&i| i > cut.len() / 2)
        .map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end())
}

/// `[Kevin Wang (@kevin-wangzefeng)](https://github.com/kevin-wangzefeng)`, shown literally.
pub fn person_link(p: &Named, how: Literal) -> String {
    format!(
        "[{}]({})",
        markdown_text(&p.label(), how),
        profile_url(&p.login)
    )
}

/// The long description of a photo, in Markdown: who is where, by rows when it has rows ("Back
/// row, from left: A, B and 3 others; middle row: 6 others; front row, from left: C and 5
/// others."), else "From left: …", each name linked to GitHub. People who may not be named
/// (blurred or unknown) are counted per row, never listed between names. `None` when nobody on
/// it is named.
pub fn names_by_rows(faces: &[&PublishedFace], how: Literal) -> Option<String> {
    if !faces.iter().any(|f| f.person.is_some()) {
        return None;
    }
    if let [only] = faces {
        return only
            .person
            .as_ref()
            .map(|p| format!("Pictured: {}.", person_link(p, how)));
    }
    let mut rows: Vec<(Option<u32>, Vec<&PublishedFace>)> = Vec::new();
    for f in faces {
        match rows.last_mut() {
            Some((row, members)) if *row == f.row => members.push(f),
            _ => rows.push((f.row, vec![f])),
        }
    }
    let n = rows.len();
    let parts: Vec<String> = rows
        .iter()
        .enumerate()
        .map(|(i, (row, members))| {
            let named = members.iter().any(|f| f.person.is_some());
            let label = match (row, named) {
                (Some(_), true) if n > 1 => {
                    format!("{}, from left: ", row_words(i as u32 + 1, n as u32))
                }
                (Some(_), false) if n > 1 => format!("{}: ", row_words(i as u32 + 1, n as u32)),
                (_, true) => "from left: ".to_string(),
                (_, false) => String::new(),
            };
            format!("{label}{}", row_names(members, how))
        })
        .collect();
    Some(capitalized(&format!("{}.", parts.join("; "))))
}

/// A row's people named, left to right, and how many others it holds.
fn row_names(members: &[&PublishedFace], how: Literal) -> String {
    let names: Vec<String> = members
        .iter()
        .filter_map(|f| f.person.as_ref())
        .map(|p| person_link(p, how))
        .collect();
    let others = members.len() - names.len();
    let others = match others {
        0 => None,
        1 if names.is_empty() => Some("one person".to_string()),
        1 => Some("one other".to_string()),
        k if names.is_empty() => Some(format!("{k} people")),
        k => Some(format!("{k} others")),
    };
    match (names.as_slice(), others) {
        ([], Some(o)) => o,
        ([], None) => String::new(),
        ([one], None) => one.clone(),
        (names, None) => {
            let (last, rest) = names.split_last().expect("two or more");
            format!("{} and {last}", rest.join(", "))
        }
        (names, Some(o)) => format!("{} and {o}", names.join(", ")),
    }
}

/// "1 photo", "2 photos".
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The post's address part: lowercase ASCII letters, digits and dashes, at most 80 characters;
/// `fallback` when nothing of `s` is left.
pub fn slug(s: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 80 {
            break;
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        fallback.to_string()
    } else {
        out
    }
}

/// A YAML double-quoted scalar: every character YAML would read as syntax, or could not carry
/// (controls, line and paragraph separators, byte order marks), escaped.
pub fn yaml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if is_bidi_control(c) => {}
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether a `YYYY-MM-DD` date is a real day.
pub fn is_date(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() && s.len() == 10
}

/// Whether `text` mentions `needle` as a word of its own (case-insensitive): `@login` in a
/// caption, or a name.
pub fn mentions(text: &str, needle: &str) -> bool {
    let needle = needle.trim().to_lowercase();
    if needle.is_empty() {
        return false;
    }
    let text = text.to_lowercase();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_');
    text.match_indices(&needle).any(|(i, m)| {
        !word(text[..i].chars().next_back()) && !word(text[i + m.len()..].chars().next())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::Region;

    fn face(place: usize, row: Option<u32>, who: Option<(&str, &str)>) -> PublishedFace {
        PublishedFace {
            face_id: place as i64,
            region: Region {
                x: 0.0,
                y: 0.0,
                w: 0.1,
                h: 0.1,
            },
            person: who.map(|(login, name)| Named {
                login: login.into(),
                name: Some(name.into()),
            }),
            blurred: false,
            row,
            place,
            claimable: true,
        }
    }

    #[test]
    fn names_read_by_rows_with_the_unidentified_counted_in_place() {
        let faces = [
            face(0, Some(1), Some(("RainbowMango", "Hongcai Ren"))),
            face(1, Some(1), None),
            face(2, Some(1), None),
            face(3, Some(1), Some(("a", "Ann"))),
            face(4, Some(2), None),
            face(5, Some(2), Some(("b", "Bo"))),
        ];
        let refs: Vec<&PublishedFace> = faces.iter().collect();
        assert_eq!(
            names_by_rows(&refs, Literal::Backslash).unwrap(),
            "Back row, from left: [Hongcai Ren (@RainbowMango)](https://github.com/RainbowMango), [Ann (@a)](https://github.com/a) and 2 others; front row, from left: [Bo (@b)](https://github.com/b) and one other."
        );
        let flat = [
            face(0, None, None),
            face(1, None, Some(("b", "Bo_x"))),
            face(2, None, Some(("c", "C*"))),
        ];
        let refs: Vec<&PublishedFace> = flat.iter().collect();
        assert_eq!(
            names_by_rows(&refs, Literal::Backslash).unwrap(),
            r"From left: [Bo\_x (@b)](https://github.com/b), [C\* (@c)](https://github.com/c) and one other."
        );
        assert_eq!(
            names_by_rows(&refs, Literal::Reference).unwrap(),
            "From left: [Bo&#95;x (@b)](https://github.com/b), [C&#42; (@c)](https://github.com/c) and one other."
        );
        let unnamed_row = [
            face(0, Some(1), Some(("a", "Ann"))),
            face(1, Some(2), None),
            face(2, Some(2), None),
        ];
        let refs: Vec<&PublishedFace> = unnamed_row.iter().collect();
        assert_eq!(
            names_by_rows(&refs, Literal::Backslash).unwrap(),
            "Back row, from left: [Ann (@a)](https://github.com/a); front row: 2 people."
        );
        assert_eq!(
            names_by_rows(&[&face(0, None, None)], Literal::Backslash),
            None
        );
        assert_eq!(row_words(2, 3), "middle row");
        assert_eq!(row_words(3, 5), "third row from the back");
        assert_eq!(row_words(5, 5), "front row");
    }

    #[test]
    fn alt_text_stays_short_and_names_nobody() {
        let long = "KubeCon + CloudNativeCon + Open Source Summit + AI_dev China 2026 Kubernetes Contributor Summit, with a very long subtitle that goes on";
        let alt = short_alt(44, true, Some(long));
        assert!(alt.chars().count() <= ALT_MAX_CHARS, "{alt}");
        assert!(
            alt.starts_with("Group photo of 44 people at the KubeCon"),
            "{alt}"
        );
        assert!(alt.ends_with('…'));
        assert_eq!(short_alt(1, false, None), "Photo of one person");
        assert_eq!(short_alt(3, false, Some("KCD")), "3 people at KCD");
        assert_eq!(
            short_alt(26, false, Some("Kubernetes Contributor Summit")),
            "26 people at the Kubernetes Contributor Summit"
        );
        assert_eq!(
            short_alt(44, true, Some("The Summit")),
            "Group photo of 44 people at The Summit"
        );
    }

    #[test]
    fn front_matter_strings_and_slugs_are_inert() {
        assert_eq!(
            yaml_string("a \"b\" \\ c\n\u{2028}\u{7}"),
            "\"a \\\"b\\\" \\\\ c\\n\\u2028\\u0007\""
        );
        assert_eq!(
            slug("KubeCon China 2026: Contributor Summit!", "x"),
            "kubecon-china-2026-contributor-summit"
        );
        assert_eq!(slug("上海峰会", "recap-2026-12-05"), "recap-2026-12-05");
        assert!(is_date("2026-02-28") && !is_date("2026-02-30") && !is_date("2026-2-3"));
        assert!(mentions("Thanks @Mallory!", "@mallory"));
        assert!(mentions("with Mallory Smith.", "mallory smith"));
        assert!(!mentions("malloryx", "mallory"));
    }
}
