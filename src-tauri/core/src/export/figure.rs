//! `whoiswho export figure`: a web-sized, upright, metadata-free image of a photo, with
//! `no-publish` attendees' heads blurred, and a caption, alt text and snippets to paste.

use std::path::Path;

use serde::Serialize;

use super::legend::{render_legend, LegendEntry, LegendInput, LegendLayout, LegendText};
use super::snippet::{snippet, FigureText, SnippetKind};
use super::ExportError;
use crate::faces::markers;
use crate::imaging::{self, Orientation, PhotoFile, ThumbnailSize};
use crate::library::Library;
use crate::publication::{Named, Publication};
use crate::region::Region;

/// What the organizer chose; `None` fields are prefilled from the photo and its people.
#[derive(Debug, Clone, PartialEq)]
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
    /// The whole photo, or only its people, so a wide group's faces and markers are readable.
    pub crop: Crop,
}

/// How much of the photo a figure shows.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "to")]
pub enum Crop {
    #[default]
    Whole,
    /// The people head to toe (a face and a half above the highest face and beside the
    /// outermost, ten below the lowest), grown to `aspect` (width / height) when given.
    People { aspect: Option<f64> },
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
            crop: Crop::Whole,
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
pub fn default_caption(named: &[Named], faces: usize, posed: bool, event: Option<&str>) -> String {
    let event = event
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(super::words::with_article);
    let names = || and_list(&named.iter().map(Named::short).collect::<Vec<_>>());
    let few = !named.is_empty() && faces < 5;
    match event {
        Some(e) if posed => format!("Group photo at {e}"),
        Some(e) if few => format!("{} at {e}", names()),
        Some(e) => format!("At {e}"),
        None if few => names(),
        None if posed => format!("Group photo of {faces} people"),
        None => "Photo".to_string(),
    }
}

/// "Group photo of 44 contributors, including Kevin Wang (@kevin-wangzefeng), …": a few names
/// for a large group, everyone for a small one; unnamed people are counted, never named.
pub fn default_alt(named: &[Named], faces: usize, posed: bool) -> String {
    const LISTED: usize = 5;
    let faces = faces.max(named.len());
    let labels: Vec<String> = named.iter().take(LISTED).map(Named::label).collect();
    if faces >= 5 {
        let mut s = if posed {
            format!("Group photo of {faces} people")
        } else {
            format!("Photo of {faces} people")
        };
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

/// The part of a `width`×`height` photo that holds its people head to toe: from two and a half
/// faces above the highest face (room for the back row's numbers) to ten faces below the
/// lowest (the bodies), and a face and a half beside the outermost; grown to `aspect` (width / height) when one is asked for, and
/// kept inside the photo. `None` when there are no faces or the frame would be the whole photo.
fn people_frame(faces: &[Region], width: u32, height: u32, aspect: Option<f64>) -> Option<Region> {
    if faces.is_empty() || width == 0 || height == 0 {
        return None;
    }
    let (w, h) = (f64::from(width), f64::from(height));
    let mut heights: Vec<f64> = faces.iter().map(|f| f.h * h).collect();
    heights.sort_by(f64::total_cmp);
    let face = heights[heights.len() / 2];
    // In pixels from here on.
    let left = (faces.iter().map(|f| f.x * w).fold(f64::INFINITY, f64::min) - 1.5 * face).max(0.0);
    let right = (faces.iter().map(|f| (f.x + f.w) * w).fold(0.0, f64::max) + 1.5 * face).min(w);
    // Room above the back row for its numbers: two and a half faces.
    let top = (faces.iter().map(|f| f.y * h).fold(f64::INFINITY, f64::min) - 2.5 * face).max(0.0);
    let bottom = (faces.iter().map(|f| (f.y + f.h) * h).fold(0.0, f64::max) + 10.0 * face).min(h);
    let (mut cw, mut ch) = (right - left, bottom - top);
    if let Some(aspect) = aspect.filter(|a| a.is_finite() && *a > 0.05 && *a < 20.0) {
        if cw / ch < aspect {
            cw = ch * aspect;
        } else {
            ch = cw / aspect;
        }
    }
    // A frame larger than the photo shrinks to fit, keeping its aspect.
    let fit = (w / cw).min(h / ch).min(1.0);
    let (cw, ch) = (cw * fit, ch * fit);
    // `max(0.0)`: rounding can leave the frame a hair wider than the photo.
    let x = ((left + right) / 2.0 - cw / 2.0).clamp(0.0, (w - cw).max(0.0));
    let y = ((top + bottom) / 2.0 - ch / 2.0).clamp(0.0, (h - ch).max(0.0));
    if cw >= w * 0.98 && ch >= h * 0.98 {
        return None;
    }
    Some(Region {
        x: x / w,
        y: y / h,
        w: cw / w,
        h: ch / h,
    })
}

fn crop_to(img: &image::RgbImage, frame: Region) -> image::RgbImage {
    let (w, h) = (f64::from(img.width()), f64::from(img.height()));
    let x = (frame.x * w).round() as u32;
    let y = (frame.y * h).round() as u32;
    let cw = ((frame.w * w).round() as u32).clamp(1, img.width() - x.min(img.width() - 1));
    let ch = ((frame.h * h).round() as u32).clamp(1, img.height() - y.min(img.height() - 1));
    image::imageops::crop_imm(img, x, y, cw, ch).to_image()
}

/// `r` in the coordinates of `frame` (both normalized to the photo).
fn within(r: Region, frame: Region) -> Region {
    Region {
        x: (r.x - frame.x) / frame.w,
        y: (r.y - frame.y) / frame.h,
        w: r.w / frame.w,
        h: r.h / frame.h,
    }
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
        caption: default_caption(&named, faces, published.posed, event),
        alt: default_alt(&named, faces, published.posed),
        blurred: published.blurred().len() as u32,
        named: named.len() as u32,
        faces: faces as u32,
    })
}

/// The figure's pixels and texts, before anything is written.
pub(super) struct Rendered {
    pub(super) img: image::RgbImage,
    caption: String,
    alt: String,
    blurred: u32,
    legend: Option<LegendLayout>,
    pixels_from: PixelsFrom,
}

pub(super) fn render(
    library: &Library,
    photo_id: i64,
    opts: &FigureOptions,
) -> Result<Rendered, ExportError> {
    let published = Publication::load(library)?.photo_in(library, photo_id)?;
    let (named, faces, blur) = (published.people(), published.visible(), published.blurred());
    let caption = opts
        .caption
        .clone()
        .unwrap_or_else(|| default_caption(&named, faces, published.posed, opts.event.as_deref()));
    let alt = opts
        .alt
        .clone()
        .unwrap_or_else(|| default_alt(&named, faces, published.posed));
    let long_side = opts.long_side.clamp(64, 8192);
    let details = library.read(|c| c.photo_details(photo_id))?;
    let frame = match opts.crop {
        Crop::Whole => None,
        Crop::People { aspect } => {
            let faces: Vec<Region> = published.faces.iter().map(|f| f.region).collect();
            people_frame(&faces, details.width, details.height, aspect)
        }
    };
    let in_frame = |r: Region| frame.map_or(r, |f| within(r, f));
    // The legend's entries: the named faces in reading order, with their rows.
    let entries: Vec<LegendEntry> = published
        .in_reading_order()
        .into_iter()
        .filter_map(|f| Some((f, f.person.clone()?)))
        .enumerate()
        .map(|(i, (f, person))| LegendEntry {
            number: i as u32 + 1,
            face_id: f.face_id,
            face: in_frame(f.region),
            row: f.row,
            person,
        })
        .collect();
    // A band of people too wide for readable markers is shown in stacked panels, each a slice
    // of a photo decoded that many times larger.
    let panels = match &opts.legend {
        Some(_) => {
            let (fw, fh) = frame.map_or((1.0, 1.0), |f| (f.w, f.h));
            let (w, h) = (
                f64::from(details.width) * fw,
                f64::from(details.height) * fh,
            );
            let out_w = f64::from(long_side) * (w / w.max(h));
            let numbered: Vec<markers::ToNumber> = entries
                .iter()
                .map(|e| markers::ToNumber {
                    face_id: e.face_id,
                    number: e.number,
                    region: e.face,
                    row: e.row,
                })
                .collect();
            markers::panels_needed(out_w, &numbered)
        }
        None => 1,
    };
    let long_side_drawn = (long_side * panels).min(8192);
    // A crop is cut from pixels decoded that much larger, then brought to the size asked for,
    // so the people keep the detail of the original.
    let decode_side = frame.map_or(long_side_drawn, |f| {
        ((f64::from(long_side_drawn) / f.w.max(f.h)).ceil() as u32).min(8192)
    });
    let (mut img, pixels_from) = upright_pixels(library, photo_id, decode_side)?;
    imaging::blur_heads(&mut img, &blur);
    if let Some(frame) = frame {
        let imaging_err = |source| ExportError::Imaging {
            path: format!("photo {photo_id}"),
            source,
        };
        img = imaging::fit_within(crop_to(&img, frame), long_side_drawn).map_err(imaging_err)?;
    }
    let mut legend = None;
    if let Some(text) = &opts.legend {
        let text = LegendText {
            caption: text.caption.clone().or_else(|| Some(caption.clone())),
            ..text.clone()
        };
        let faces: Vec<(i64, Region)> = published
            .faces
            .iter()
            .map(|f| (f.face_id, in_frame(f.region)))
            .collect();
        let rows = published
            .faces
            .iter()
            .filter_map(|f| f.row)
            .max()
            .unwrap_or(0);
        let (with_legend, layout) = render_legend(LegendInput {
            photo: &img,
            faces: &faces,
            entries: &entries,
            text: &text,
            rows,
            panels,
        });
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
            default_caption(&many, 44, true, Some("2023 Kubernetes Contributor Summit")),
            "Group photo at the 2023 Kubernetes Contributor Summit"
        );
        assert_eq!(
            default_caption(&many, 30, false, Some("KubeCon China 2023")),
            "At KubeCon China 2023"
        );
        let alt = default_alt(&many, 44, true);
        assert!(
            alt.starts_with(
                "Group photo of 44 people, including Person 0 (@user-0), Person 1 (@user-1)"
            ),
            "{alt}"
        );
        assert!(alt.ends_with("and 39 more named in the caption"), "{alt}");
        let two = [n("kevin-wangzefeng", "Kevin Wang"), n("lixiang", "李想")];
        assert_eq!(
            default_caption(&two, 3, false, Some("KCD Shanghai")),
            "Kevin Wang and 李想 at KCD Shanghai"
        );
        assert_eq!(
            default_alt(&two, 3, false),
            "Photo of Kevin Wang (@kevin-wangzefeng), 李想 (@lixiang) and one other person"
        );
        assert_eq!(default_alt(&[], 0, false), "Photo");
    }

    #[test]
    fn the_people_frame_holds_every_face_head_to_toe() {
        // A wide photo with a row of faces in its middle third.
        let faces: Vec<Region> = (0..10)
            .map(|i| Region {
                x: 0.3 + f64::from(i) * 0.04,
                y: 0.45,
                w: 0.03,
                h: 0.06,
            })
            .collect();
        let f = people_frame(&faces, 3000, 1000, None).expect("a frame");
        for face in &faces {
            assert!(face.x >= f.x && face.x + face.w <= f.x + f.w, "{f:?}");
            assert!(face.y >= f.y && face.y + face.h <= f.y + f.h, "{f:?}");
        }
        // Two and a half faces above the faces (room for the numbers), the bodies below to the
        // photo's edge, a face and a half beside.
        assert!((f.y - (0.45 - 2.5 * 0.06)).abs() < 0.01, "{f:?}");
        assert!((f.y + f.h - 1.0).abs() < 0.01, "{f:?}");
        assert!(f.w < 0.7, "cropped: {f:?}");
        let square = people_frame(&faces, 3000, 1000, Some(1.0)).expect("a frame");
        assert!(
            (square.w * 3000.0 - square.h * 1000.0).abs() < 1.0,
            "{square:?}"
        );
        assert!(square.x >= 0.0 && square.x + square.w <= 1.0 + 1e-9);
        assert_eq!(people_frame(&[], 3000, 1000, None), None);
        let inside = within(faces[0], f);
        assert!(inside.x >= 0.0 && inside.x <= 1.0 && inside.w > faces[0].w);
    }
}
