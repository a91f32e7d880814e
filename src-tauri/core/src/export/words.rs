//! Small pieces of English the exports share: an event's name after "at", a capital first
//! letter.

/// An event's name as it reads after "at": "the Kubernetes Contributor Summit", "KubeCon China
/// 2023".
pub fn with_article(event: &str) -> String {
    const NOUNS: [&str; 16] = [
        "summit",
        "conference",
        "meetup",
        "day",
        "days",
        "festival",
        "sprint",
        "workshop",
        "forum",
        "gathering",
        "hackathon",
        "symposium",
        "week",
        "party",
        "meeting",
        "retreat",
    ];
    let lower = event.to_lowercase();
    if lower.starts_with("the ") {
        return event.to_string();
    }
    let is_noun = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| NOUNS.contains(&w));
    if is_noun {
        format!("the {event}")
    } else {
        event.to_string()
    }
}

/// `s` with its first letter capitalized.
pub(crate) fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
