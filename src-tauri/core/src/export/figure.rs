//! `whoiswho export figure`: a web-sized, upright, metadata-free image of a photo, with
//! `no-publish` attendees' heads blurred, and a caption, alt text and snippets to paste.

use std::path::Path;

use serde::Serialize;

use super::legend::{render_legend, LegendEntry, LegendLayout, LegendText};
use super::snippet::{snippet, FigureText, SnippetKind};
use super::ExportError;
use crate::imaging::{self, Orientation, PhotoFile, ThumbnailSize};
use crate::library::Library;
use crate::publication::{Named, Publication};

/// What the organizer chose; `None` fields are prefilled from the photo and its people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureOptions {
    pub caption: Option<String>,
    pub alt: Option<String>,
    /// The event, for the prefilled caption ("All participants in the …").
    pub event: Option<String>,
    /// Long side of the exported image, in pixels.
    pub long_side: u32,
    /// JPEG quality, 1-100.
    pub quality: u8,
    /// Burn in numbered markers and a "who is who" legend beneath, with these texts (the
    /// caption defaults to the figure's).
    pub legend: Option<LegendText>,
}

impl Default for FigureOptions {
    fn default() -> Self {
        Self {
            caption: None,
            alt: None,
            event: None,
            long_side: 1600,
            quality: 85,
            legend: None,
        }
    }
}

/// What was written, and the text to paste (the JSON of `whoiswho export figure`).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FigureExport {
    pub image: String,
    pub width: u32,
    pub height: u32,
    pub caption: String,
    pub alt: String,
    /// Heads blurred because their attendee chose `no-publish`.
    pub blurred: u32,
    pub hugo: String,
    pub markdown: String,
    pub html: String,
    /// The legend's entries and any characters no font could show, when one was drawn.
    pub legend: Option<LegendLayout>,
    /// The original, or the cached preview when the original is missing from disk.
    pub pixels_from: PixelsFrom,
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "All participants in the 2023 Kubernetes Contributor Summit" for a group, names for a few.
pub fn default_caption(named: &[Named], faces: usize, event: Option<&str>) -> String {
    let event = event.map(str::trim).filter(|e| !e.is_empty());
    let the = |e: &str| {
        if e.to_lowercase().starts_with("the ") {
            e.to_string()
        } else {
            format!("the {e}")
        }
    };
    match event {
        Some(e) if faces >= 8 => format!("All participants in {}", the(e)),
        Some(e) if !named.is_empty() => {
            let names: Vec<String> = named.iter().map(Named::short).collect();
            format!("{} at {}", and_list(&names), the(e))
        }
        Some(e) => format!("At {}", the(e)),
        None if !named.is_empty() && faces < 8 => {
            and_list(&named.iter().map(Named::short).collect::<Vec<_>>())
        }
        None if faces > 1 => format!("Group photo of {faces} people"),
        None => "Photo".to_string(),
    }
}

/// "Group photo of 44 contributors, including Kevin Wang (@kevin-wangzefeng), …": a few names
/// for a large group, everyone for a small one; unnamed people are counted, never named.
pub fn default_alt(named: &[Named], faces: usize) -> String {
    const LISTED: usize = 5;
    let faces = faces.max(named.len());
    let labels: Vec<String> = named.iter().take(LISTED).map(Named::label).collect();
    if faces >= 5 {
        let mut s = format!("Group photo of {faces} contributors");
        if !labels.is_empty() {
            s.push_str(", including ");
            s.push_str(&labels.join(", "));
            if named.len() > LISTED {
                s.push_str(&format!(
                    " and {} more named in the caption",
                    named.len() - LISTED
                ));
            }
        }
        return s;
    }
    let others = faces - named.len();
    let mut parts = labels;
    match others {
        0 => {}
        1 => parts.push("one other person".into()),
        n => parts.push(format!("{n} other people")),
    }
    if parts.is_empty() {
        "Photo".into()
    } else {
        format!("Photo of {}", and_list(&parts))
    }
}

/// Where a figure's pixels came from.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PixelsFrom {
    /// The original file, at the size asked for.
    Original,
    /// The cached preview (at most 1600 px): the original is missing from disk.
    Preview,
}

/// The photo upright at `long_side`: from the original, or from the cached preview when the
/// library knows the original is missing. An original that is there but cannot be read is an
/// error, never replaced by the preview unsaid.
pub(super) fn upright_pixels(
    library: &Library,
    photo_id: i64,
    long_side: u32,
) -> Result<(image::RgbImage, PixelsFrom), ExportError> {
    let details = library.read(|c| c.photo_details(photo_id))?;
    let imaging_err = |source| ExportError::Imaging {
        path: details.path.clone(),
        source,
    };
    if !details.missing {
        let orientation = Orientation::from_exif(details.orientation.into());
        let img = PhotoFile::read(Path::new(&details.path), orientation)
            .and_then(|file| file.decode_displayed(long_side))
            .map_err(imaging_err)?;
        return Ok((img, PixelsFrom::Original));
    }
    let preview = library
        .thumbnail(photo_id, ThumbnailSize::Preview)
        .map_err(ExportError::Rendition)?;
    let img = imaging::decode_at_least(&preview, imaging::ImageFormat::Jpeg, long_side)
        .map_err(imaging_err)?;
    Ok((
        imaging::fit_within(img, long_side).map_err(imaging_err)?,
        PixelsFrom::Preview,
    ))
}

/// What the export dialog starts from: the prefilled caption and alt text, and how many heads
/// will be blurred.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FigureDraft {
    pub caption: String,
    pub alt: String,
    pub blurred: u32,
    pub named: u32,
    pub faces: u32,
}

pub fn figure_draft(
    library: &Library,
    photo_id: i64,
    event: Option<&str>,
) -> Result<FigureDraft, ExportError> {
    let published = Publication::load(library)?.photo_in(library, photo_id)?;
    let (named, faces) = (published.people(), published.visible());
    Ok(FigureDraft {
        caption: default_caption(&named, faces, event),
        alt: default_alt(&named, faces),
        blurred: published.blurred().len() as u32,
        named: named.len() as u32,
        faces: faces as u32,
    })
}

/// The figure's pixels and texts, before anything is written.
struct Rendered {
    img: image::RgbImage,
    caption: String,
    alt: String,
    blurred: u32,
    legend: Option<LegendLayout>,
    pixels_from: PixelsFrom,
}

fn render(library: &Library, photo_id: i64, opts: &FigureOptions) -> Result<Rendered, ExportError> {
    let published = Publication::load(library)?.photo_in(library, photo_id)?;
    let (named, faces, blur) = (published.people(), published.visible(), published.blurred());
    let caption = opts
        .caption
        .clone()
        .unwrap_or_else(|| default_caption(&named, faces, opts.event.as_deref()));
    let alt = opts
        .alt
        .clone()
        .unwrap_or_else(|| default_alt(&named, faces));
    let (mut img, pixels_from) = upright_pixels(library, photo_id, opts.long_side.clamp(64, 8192))?;
    imaging::blur_heads(&mut img, &blur);
    let mut legend = None;
    if let Some(text) = &opts.legend {
        let entries: Vec<LegendEntry> = published
            .named
            .iter()
            .enumerate()
            .map(|(i, (person, face))| LegendEntry {
                number: i as u32 + 1,
                face: *face,
                person: person.clone(),
            })
            .collect();
        let text = LegendText {
            caption: text.caption.clone().or_else(|| Some(caption.clone())),
            ..text.clone()
        };
        let (with_legend, layout) = render_legend(&img, &entries, &text);
        img = with_legend;
        legend = Some(layout);
    }
    Ok(Rendered {
        img,
        caption,
        alt,
        blurred: blur.len() as u32,
        legend,
        pixels_from,
    })
}

/// A JPEG of what `export_figure` would write, at `long_side`, for the dialog's preview.
pub fn preview_figure(
    library: &Library,
    photo_id: i64,
    opts: &FigureOptions,
    long_side: u32,
) -> Result<Vec<u8>, ExportError> {
    let opts = FigureOptions {
        long_side: long_side.min(opts.long_side),
        ..opts.clone()
    };
    let r = render(library, photo_id, &opts)?;
    imaging::encode_jpeg(&r.img, 80).map_err(|source| ExportError::Imaging {
        path: "preview".into(),
        source,
    })
}

pub fn export_figure(
    library: &Library,
    photo_id: i64,
    out_file: &Path,
    opts: &FigureOptions,
) -> Result<FigureExport, ExportError> {
    let Rendered {
        img,
        caption,
        alt,
        blurred,
        legend,
        pixels_from,
    } = render(library, photo_id, opts)?;
    let bytes = super::encode_for(out_file, &img, opts.quality)?;
    super::write_file(out_file, &bytes)?;
    let src = out_file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = FigureText {
        src: &src,
        alt: &alt,
        caption: &caption,
        width: img.width(),
        height: img.height(),
    };
    Ok(FigureExport {
        image: out_file.display().to_string(),
        width: img.width(),
        height: img.height(),
        blurred,
        hugo: snippet(SnippetKind::Hugo, &text),
        markdown: snippet(SnippetKind::Markdown, &text),
        html: snippet(SnippetKind::Html, &text),
        caption,
        alt,
        legend,
        pixels_from,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(login: &str, name: &str) -> Named {
        Named {
            login: login.into(),
            name: Some(name.into()),
        }
    }

    #[test]
    fn captions_and_alt_text_read_well_for_groups_and_for_a_few() {
        let many: Vec<Named> = (0..44)
            .map(|i| n(&format!("user-{i}"), &format!("Person {i}")))
            .collect();
        assert_eq!(
            default_caption(&many, 44, Some("2023 Kubernetes Contributor Summit")),
            "All participants in the 2023 Kubernetes Contributor Summit"
        );
        let alt = default_alt(&many, 44);
        assert!(
            alt.starts_with(
                "Group photo of 44 contributors, including Person 0 (@user-0), Person 1 (@user-1)"
            ),
            "{alt}"
        );
        assert!(alt.ends_with("and 39 more named in the caption"), "{alt}");
        let two = [n("kevin-wangzefeng", "Kevin Wang"), n("lixiang", "李想")];
        assert_eq!(
            default_caption(&two, 3, Some("KCD Shanghai")),
            "Kevin Wang and 李想 at the KCD Shanghai"
        );
        assert_eq!(
            default_alt(&two, 3),
            "Photo of Kevin Wang (@kevin-wangzefeng), 李想 (@lixiang) and one other person"
        );
        assert_eq!(default_alt(&[], 0), "Photo");
    }
}
