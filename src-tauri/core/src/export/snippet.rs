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

/// How Markdown text is kept literal where it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Literal {
    /// In the page's text: a backslash before a character that would act (CommonMark's own
    /// escape, which Goldmark and every CommonMark renderer read).
    Backslash,
    /// In a Hugo shortcode's parameter, which drops every backslash: a numeric character
    /// reference for a character that would act, and no other.
    Reference,
}

/// Markdown that shows `s` exactly as written, escaping only the characters that would act
/// where they stand: emphasis, code, links and images, raw HTML, character references, a
/// shortcode's or template's opening, an address a renderer would link, and a block marker at
/// the start. Line breaks become spaces (a caption or a name is one line).
pub(crate) fn markdown_text(s: &str, how: Literal) -> String {
    let chars: Vec<char> = s
        .chars()
        .filter(|c| !is_bidi_control(*c))
        .map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c })
        .collect();
    let mut out = String::with_capacity(s.len() + 8);
    let first = chars.iter().position(|c| *c != ' ');
    // "1. " or "1) " at the start would begin a list: where its digits and its marker are.
    let list = first.and_then(|i| {
        let digits = chars[i..].iter().take_while(|d| d.is_ascii_digit()).count();
        (digits > 0 && matches!(chars.get(i + digits), Some('.' | ')'))).then_some((i, i + digits))
    });
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let acts = match c {
            '*' | '_' | '`' | '[' | ']' | '<' | '~' => true,
            // Hugo's typographer would curl quotes and join dashes and dots: kept as written.
            '"' | '\'' => true,
            '-' | '.' | '>' if next == Some(c) => true,
            // A list is broken by a backslash before its marker, or by a reference for its
            // first digit (a parameter drops backslashes).
            _ if list.is_some_and(|(digit, marker)| match how {
                Literal::Backslash => i == marker,
                Literal::Reference => i == digit,
            }) =>
            {
                true
            }
            // A backslash only escapes for a renderer; in a parameter it becomes a look-alike.
            '\\' => how == Literal::Backslash,
            '&' => starts_reference(&chars[i + 1..]),
            // No two braces stay side by side: neither a shortcode nor a Liquid tag opens.
            '{' => matches!(next, Some('{' | '%')) || (i > 0 && chars[i - 1] == '{'),
            ':' => chars[i + 1..].starts_with(&['/', '/']) && i > 0,
            '.' => {
                i >= 3
                    && chars[i - 3..i]
                        .iter()
                        .collect::<String>()
                        .eq_ignore_ascii_case("www")
            }
            '#' | '>' | '+' | '-' | '=' | '|' => Some(i) == first,
            _ => false,
        };
        match (acts, how) {
            (false, Literal::Reference) if c == '\\' => out.push('\u{ff3c}'),
            (false, _) => out.push(c),
            (true, Literal::Backslash) => {
                out.push('\\');
                out.push(c);
            }
            (true, Literal::Reference) => match c {
                '<' => out.push_str("&lt;"),
                '&' => out.push_str("&amp;"),
                c => out.push_str(&format!("&#{};", c as u32)),
            },
        }
    }
    out
}

/// Markdown written by the organizer (an author with a link, say), kept as written but for a
/// shortcode's or a template's opening, which a byline rendered with `markdownify` would run.
pub(crate) fn no_template_openers(s: &str) -> String {
    s.replace(is_bidi_control, "")
        .replace("{{", "{&#123;")
        .replace("{%", "{&#37;")
}

/// Whether the text after an `&` would make it a character reference: `&amp;`, `&#34;`.
fn starts_reference(after: &[char]) -> bool {
    let name = after
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    name > 0 && after.get(name) == Some(&';')
}

/// The invisible controls that override or isolate the direction of the text after them: a name
/// carrying one would reorder the rest of a caption on the page, so whoiswho drops them (the
/// visible text, right-to-left scripts included, is unchanged).
pub(super) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
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
            shortcode_param(&markdown_text(f.caption, Literal::Reference)),
            f.width,
            f.height
        ),
        SnippetKind::Markdown => format!(
            "![{}]({})\n\n*{}*",
            markdown_text(f.alt, Literal::Backslash),
            url(f.src),
            markdown_text(f.caption, Literal::Backslash)
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
        assert!(
            !caption.contains("{{<") && !caption.replace("\\\"", "").contains('\\'),
            "{s}"
        );
        assert!(s.contains(r#"alt="Mona \"the cat\""#), "{s}");
    }

    #[test]
    fn markdown_shows_the_text_not_markup() {
        let s = snippet(SnippetKind::Markdown, &fig());
        assert!(
            s.starts_with(r#"![Mona \"the cat\" \<script>alert(1)\</script> \{\{\< x >}} \*bold\* \[link\](y) \\ end]"#),
            "{s}"
        );
        assert!(s.contains("(group%20photo.jpg)"));
        assert!(!s.contains("&#"), "no character reference: {s}");
    }

    #[test]
    fn only_what_would_act_is_escaped() {
        let b = |s| markdown_text(s, Literal::Backslash);
        let r = |s| markdown_text(s, Literal::Reference);
        assert_eq!(b("Tom & Jerry (2023) café"), "Tom & Jerry (2023) café");
        assert_eq!(b("it's \"q\""), "it\\'s \\\"q\\\"");
        assert_eq!(
            r("it's \"q\" -- ..."),
            "it&#39;s &#34;q&#34; &#45;- &#46;&#46;."
        );
        assert_eq!(b("a &amp; b"), "a \\&amp; b");
        assert_eq!(r("a &amp; b &"), "a &amp;amp; b &");
        assert_eq!(b("# not a heading"), "\\# not a heading");
        assert_eq!(b("1. not a list"), "1\\. not a list");
        assert_eq!(r("1. not a list"), "&#49;. not a list");
        assert_eq!(
            b("see http://evil and www.x"),
            "see http\\://evil and www\\.x"
        );
        assert_eq!(r("{{< x >}}"), "&#123;&#123;&lt; x >}}");
        assert_eq!(b("{{% x %}}"), "\\{\\{% x %}}");
        assert_eq!(
            b("kevin-wangzefeng 2023-10-20"),
            "kevin-wangzefeng 2023-10-20"
        );
    }
}
