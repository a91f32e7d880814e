//! The three snippets a post can paste: Hugo's built-in `figure` shortcode, Markdown, and an
//! HTML `<figure>`. Each flavour escapes for its own reader, so a caption or name holding
//! quotes, `<script>`, Markdown or `{{< >}}` comes out as the same visible text, inert.

use serde::Serialize;

/// What a snippet shows.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureText<'a> {
    pub src: &'a str,
    pub alt: &'a str,
    pub caption: &'a str,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SnippetKind {
    Hugo,
    Markdown,
    Html,
}

/// Text for HTML element content and double-quoted attributes.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            c if is_bidi_control(c) => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Inside a quoted Hugo shortcode parameter only `\"` is an escape (Hugo drops other
/// backslashes), so quotes are escaped, a backslash becomes the look-alike U+FF3C, and line
/// breaks are folded (a parameter is one line).
pub(super) fn shortcode_param(s: &str) -> String {
    s.replace(is_bidi_control, "")
        .replace('\\', "\u{ff3c}")
        .replace('"', "\\\"")
        .replace(['\n', '\r'], " ")
}

/// Markdown text shown literally. Every character Markdown or HTML would act on becomes a
/// numeric entity: unlike backslash escapes, entities survive Hugo's shortcode parameters, and
/// braces as entities mean no `{{< >}}` reaches a page.
pub(super) fn markdown_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            c if is_bidi_control(c) => {}
            '&' | '<' | '>' | '{' | '}' | '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#'
            | '+' | '!' | '|' | '~' | '"' | '=' => out.push_str(&format!("&#{};", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The invisible controls that override or isolate the direction of the text after them: a name
/// carrying one would reorder the rest of a caption on the page, so whoiswho drops them (the
/// visible text, right-to-left scripts included, is unchanged).
pub(super) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text for an image's alt in Markdown `![alt](src)`.
fn markdown_alt(s: &str) -> String {
    markdown_text(s)
}

/// A URL path for Markdown and HTML: spaces and parentheses percent-encoded.
pub(super) fn url(s: &str) -> String {
    s.replace('%', "%25")
        .replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
        .replace('"', "%22")
        .replace('<', "%3C")
        .replace('>', "%3E")
}

pub fn snippet(kind: SnippetKind, f: &FigureText<'_>) -> String {
    match kind {
        SnippetKind::Hugo => format!(
            "{{{{< figure src=\"{}\" alt=\"{}\" caption=\"{}\" width=\"{}\" height=\"{}\" loading=\"lazy\" >}}}}",
            shortcode_param(f.src),
            shortcode_param(f.alt),
            // The caption is Markdown to Hugo: escape for Markdown, then for the parameter.
            shortcode_param(&markdown_text(f.caption)),
            f.width,
            f.height
        ),
        SnippetKind::Markdown => format!(
            "![{}]({})\n\n*{}*",
            markdown_alt(f.alt),
            url(f.src),
            markdown_text(f.caption)
        ),
        SnippetKind::Html => format!(
            "<figure>\n  <img src=\"{}\" alt=\"{}\" width=\"{}\" height=\"{}\" loading=\"lazy\">\n  <figcaption>{}</figcaption>\n</figure>",
            html_escape(&url(f.src)),
            html_escape(f.alt),
            f.width,
            f.height,
            html_escape(f.caption)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str =
        "Mona \"the cat\" <script>alert(1)</script> {{< x >}} *bold* [link](y) \\ end";

    fn fig() -> FigureText<'static> {
        FigureText {
            src: "group photo.jpg",
            alt: HOSTILE,
            caption: HOSTILE,
            width: 1600,
            height: 1067,
        }
    }

    #[test]
    fn html_is_inert() {
        let s = snippet(SnippetKind::Html, &fig());
        assert!(!s.contains("<script>"), "{s}");
        assert!(s.contains("&lt;script&gt;"));
        assert!(s.contains("src=\"group%20photo.jpg\""));
        assert_eq!(s.matches('"').count(), 2 * 5, "only attribute quotes: {s}");
    }

    #[test]
    fn hugo_parameters_are_escaped_and_shortcodes_cannot_open() {
        let s = snippet(SnippetKind::Hugo, &fig());
        assert!(s.starts_with("{{< figure ") && s.ends_with(">}}"));
        // Hugo takes `{{< x >}}` inside a quoted parameter as text (checked with Hugo itself
        // in tests/export.rs); the caption carries none at all.
        let caption = &s[s.find("caption=").unwrap()..];
        assert!(!caption.contains("{{<") && !caption.contains('\\'), "{s}");
        assert!(s.contains(r#"alt="Mona \"the cat\""#), "{s}");
    }

    #[test]
    fn markdown_shows_the_text_not_markup() {
        let s = snippet(SnippetKind::Markdown, &fig());
        assert!(
            s.starts_with("![Mona &#34;the cat&#34; &#60;script&#62;"),
            "{s}"
        );
        assert!(s.contains("(group%20photo.jpg)"));
        assert!(s.contains("&#42;bold&#42;") && !s.contains("<script>"));
    }
}
