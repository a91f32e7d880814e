//! The shareable "who is who" image: the photo with numbered markers on the tagged faces and a
//! legend beneath (`1 Name @login`, in reading order, in columns so 50-120 people fit), a
//! caption line, and optional event title and date. Text is shaped and rasterized by
//! cosmic-text with system font fallback (CJK, accents, emoji); shapes by tiny-skia.

use std::sync::{Mutex, OnceLock};

use cosmic_text::{
    Attrs, Buffer, Color, Family, FontSystem, Metrics, Shaping, SwashCache, Weight, Wrap,
};
use image::RgbImage;
use serde::Serialize;
use tiny_skia::{FillRule, Paint, PathBuilder, Pixmap, Stroke, Transform};

use super::words::capitalized;
use crate::faces::row_words;
use crate::publication::Named;
use crate::region::Region;

/// One numbered entry: where its marker goes and what the legend says.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    pub number: u32,
    pub face_id: i64,
    /// The face, normalized to the photo.
    pub face: Region,
    /// Its row, 1-based from the back; `None` on a photo read left to right.
    pub row: Option<u32>,
    pub person: Named,
}

/// Where an entry of the legend was drawn (pixels of the output image), for checking it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LegendLine {
    pub number: u32,
    pub login: String,
    pub name: Option<String>,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

/// A box drawn on the output image, in its pixels: a marker with its number, or a face.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DrawnBox {
    /// The legend's number, for a marker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    pub face: i64,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// An area of the output image that shows (part of) the photo.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Area {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// The photo's area: one, or stacked panels (left part above right).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(untagged)]
pub enum PhotoArea {
    Whole(Area),
    Panels(Vec<Area>),
}

impl Default for PhotoArea {
    fn default() -> Self {
        Self::Panels(Vec::new())
    }
}

/// What the legend drew, and how many characters no installed font could show (tofu); its
/// geometry in output pixels, so a reader (and the tests) can check that no marker overlaps
/// another or covers a face.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LegendLayout {
    pub lines: Vec<LegendLine>,
    pub missing_glyphs: u32,
    /// Each marker's box with its digits.
    pub markers: Vec<DrawnBox>,
    /// Every face box shown in the output.
    pub faces: Vec<DrawnBox>,
    pub photo: PhotoArea,
    /// Face ids by row, back to front (one list on a photo read left to right).
    pub rows: Vec<Vec<i64>>,
}

/// The texts around the legend.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LegendText {
    pub title: Option<String>,
    pub date: Option<String>,
    pub caption: Option<String>,
}

/// What a legend is drawn from.
pub struct LegendInput<'a> {
    /// The photo's pixels, upright and blurred where needed; with several panels, as many
    /// times as wide as the figure (each panel is a slice of it).
    pub photo: &'a RgbImage,
    /// Every visible face (numbered or not), normalized to the photo: no marker covers one.
    pub faces: &'a [(i64, Region)],
    pub entries: &'a [LegendEntry],
    pub text: &'a LegendText,
    /// How many rows the photo has (0: read left to right).
    pub rows: u32,
    /// Stacked panels (1: the photo whole).
    pub panels: u32,
}

struct Fonts {
    system: FontSystem,
    cache: SwashCache,
}

/// System fonts are scanned once per process (a few hundred ms); shaping then reuses them.
fn fonts() -> &'static Mutex<Fonts> {
    static FONTS: OnceLock<Mutex<Fonts>> = OnceLock::new();
    FONTS.get_or_init(|| {
        Mutex::new(Fonts {
            system: FontSystem::new(),
            cache: SwashCache::new(),
        })
    })
}

/// Laid-out text, ready to draw at a position.
struct Text {
    buffer: Buffer,
    width: f32,
    height: f32,
    /// Glyphs no font had (drawn as tofu boxes).
    missing: u32,
}

fn layout(
    f: &mut Fonts,
    text: &str,
    size: f32,
    bold: bool,
    max_width: Option<f32>,
    wrap: bool,
) -> Text {
    let mut buffer = Buffer::new(&mut f.system, Metrics::new(size, size * 1.3));
    buffer.set_wrap(
        &mut f.system,
        if wrap { Wrap::WordOrGlyph } else { Wrap::None },
    );
    buffer.set_size(&mut f.system, max_width, None);
    let attrs = Attrs::new().family(Family::SansSerif).weight(if bold {
        Weight::BOLD
    } else {
        Weight::NORMAL
    });
    buffer.set_text(&mut f.system, text, &attrs, Shaping::Advanced);
    buffer.shape_until_scroll(&mut f.system, false);
    let (mut width, mut height, mut missing) = (0f32, 0f32, 0u32);
    for run in buffer.layout_runs() {
        width = width.max(run.line_w);
        height = height.max(run.line_top + run.line_height);
        missing += run.glyphs.iter().filter(|g| g.glyph_id == 0).count() as u32;
    }
    Text {
        buffer,
        width,
        height,
        missing,
    }
}

/// Composites laid-out text onto the canvas at (x, y), clipped to `clip` (x0, y0, x1, y1).
fn draw(
    f: &mut Fonts,
    canvas: &mut Pixmap,
    text: &Text,
    x: f32,
    y: f32,
    rgb: [u8; 3],
    clip: (i32, i32, i32, i32),
) {
    let (cw, ch) = (canvas.width() as i32, canvas.height() as i32);
    let data = canvas.data_mut();
    let Fonts { system, cache } = f;
    text.buffer.draw(
        system,
        cache,
        Color::rgb(rgb[0], rgb[1], rgb[2]),
        |gx, gy, w, h, color| {
            let a = color.a() as u32;
            if a == 0 {
                return;
            }
            for py in gy..gy + h as i32 {
                for px in gx..gx + w as i32 {
                    let (cx, cy) = (px + x as i32, py + y as i32);
                    if cx < clip.0.max(0)
                        || cy < clip.1.max(0)
                        || cx >= clip.2.min(cw)
                        || cy >= clip.3.min(ch)
                    {
                        continue;
                    }
                    let i = ((cy * cw + cx) * 4) as usize;
                    // Source-over onto an opaque canvas.
                    for (k, c) in [color.r(), color.g(), color.b()].into_iter().enumerate() {
                        let d = data[i + k] as u32;
                        data[i + k] = ((c as u32 * a + d * (255 - a)) / 255) as u8;
                    }
                    data[i + 3] = 255;
                }
            }
        },
    );
}

fn circle(canvas: &mut Pixmap, cx: f32, cy: f32, r: f32) {
    let Some(path) = PathBuilder::from_circle(cx, cy, r) else {
        return;
    };
    let mut fill = Paint::default();
    fill.set_color_rgba8(250, 204, 21, 255);
    fill.anti_alias = true;
    canvas.fill_path(&path, &fill, FillRule::Winding, Transform::identity(), None);
    let mut edge = Paint::default();
    edge.set_color_rgba8(17, 17, 17, 230);
    edge.anti_alias = true;
    let stroke = Stroke {
        width: (r / 7.0).max(1.5),
        ..Stroke::default()
    };
    canvas.stroke_path(&path, &edge, &stroke, Transform::identity(), None);
}

/// Where the photo is cut into panels: near each equal part's edge, in the widest gap between
/// faces there, so no face is cut (x in photo pixels, from 0 to the width).
fn panel_cuts(width: f64, faces: &[Region], panels: u32) -> Vec<f64> {
    let mut edges: Vec<(f64, f64)> = faces
        .iter()
        .map(|f| (f.x * width, (f.x + f.w) * width))
        .collect();
    edges.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut cuts = vec![0.0];
    for k in 1..panels {
        let ideal = width * f64::from(k) / f64::from(panels);
        let window = width / f64::from(panels) / 4.0;
        // The middle of the widest face-free gap within the window, else the ideal place.
        let mut best = (0.0, ideal);
        let mut reach = f64::NEG_INFINITY;
        for (left, right) in &edges {
            if *left > reach && reach > ideal - window && *left < ideal + window {
                let gap = left - reach;
                let mid = (left + reach) / 2.0;
                if gap > best.0 {
                    best = (gap, mid);
                }
            }
            reach = reach.max(*right);
        }
        cuts.push(best.1);
    }
    cuts.push(width);
    cuts
}

/// Renders the photo (or its panels) with markers placed by `faces::markers`, and the legend
/// beneath, the names grouped by rows ("Back row: 1 Name @login, 2 …") and wrapped to the width.
pub fn render_legend(input: LegendInput<'_>) -> (RgbImage, LegendLayout) {
    let mut guard = match fonts().lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    };
    let f = &mut *guard;
    let photo = input.photo;
    let panels = input.panels.max(1);
    let (bw, bh) = (f64::from(photo.width()), f64::from(photo.height()));
    let regions: Vec<Region> = input.faces.iter().map(|(_, r)| *r).collect();
    let cuts = panel_cuts(bw, &regions, panels);
    // Each panel: its slice of the photo (x from, x to), with the faces whose centres are in it;
    // a little of each neighbour shows, so a face near the cut is whole.
    let overlap = if panels > 1 {
        let mut widths: Vec<f64> = regions.iter().map(|r| r.w * bw).collect();
        widths.sort_by(f64::total_cmp);
        widths.get(widths.len() / 2).copied().unwrap_or(0.0) * 1.5
    } else {
        0.0
    };
    let slices: Vec<(f64, f64)> = (0..panels as usize)
        .map(|i| {
            (
                (cuts[i] - overlap).max(0.0).floor(),
                (cuts[i + 1] + overlap).min(bw).ceil(),
            )
        })
        .collect();
    let pw = slices.iter().map(|(a, b)| b - a).fold(0.0, f64::max);
    let separator = if panels > 1 {
        (pw / 80.0).max(6.0)
    } else {
        0.0
    };
    let ph_total = bh * f64::from(panels) + separator * f64::from(panels - 1);
    let (pw32, ph) = (pw as f32, ph_total as f32);
    let margin = (pw32 / 40.0).clamp(12.0, 64.0);
    let size = (pw32 / 62.0).clamp(13.0, 40.0);
    let inner = pw32 - 2.0 * margin;

    let title = [input.text.title.as_deref(), input.text.date.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let title =
        (!title.is_empty()).then(|| layout(f, &title, size * 1.35, true, Some(inner), true));
    let caption = input
        .text
        .caption
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|c| layout(f, c, size * 1.05, false, Some(inner), true));

    // The names, grouped by rows, flowed into lines no wider than the image.
    let groups: Vec<(String, Vec<&LegendEntry>)> = if input.rows > 1 {
        (1..=input.rows)
            .map(|r| {
                (
                    format!("{}:", capitalized(&row_words(r, input.rows))),
                    input.entries.iter().filter(|e| e.row == Some(r)).collect(),
                )
            })
            .filter(|(_, g): &(String, Vec<&LegendEntry>)| !g.is_empty())
            .collect()
    } else {
        vec![("From left:".to_string(), input.entries.iter().collect())]
    };
    let line_h = size * 1.45;
    let space = size * 0.9;
    struct Placed {
        text: Text,
        number: Option<u32>,
        bold: bool,
        x: f32,
        line: usize,
    }
    let mut flowed: Vec<Placed> = Vec::new();
    let mut line = 0usize;
    for (label, entries) in &groups {
        if entries.is_empty() {
            continue;
        }
        if !flowed.is_empty() {
            line += 1;
        }
        let head = layout(f, label, size, true, None, false);
        let mut x = head.width + space * 0.6;
        flowed.push(Placed {
            text: head,
            number: None,
            bold: true,
            x: 0.0,
            line,
        });
        for e in entries {
            // A left-to-right mark first: a right-to-left name must not flip the login round.
            let label = match &e.person.name {
                Some(n) => format!("{}\u{200e} {n}\u{200e} @{}", e.number, e.person.login),
                None => format!("{} @{}", e.number, e.person.login),
            };
            let t = layout(f, &label, size, false, Some(inner), true);
            if x > 0.0 && x + t.width > inner {
                line += 1;
                x = 0.0;
            }
            let w = t.width;
            flowed.push(Placed {
                text: t,
                number: Some(e.number),
                bold: false,
                x,
                line,
            });
            x += w + space;
        }
    }
    let legend_lines = if flowed.is_empty() { 0 } else { line + 1 };

    let mut height = ph + margin;
    height += title.as_ref().map_or(0.0, |t| t.height + size * 0.4);
    height += caption.as_ref().map_or(0.0, |t| t.height + size * 0.6);
    height += legend_lines as f32 * line_h + margin;
    let mut report = LegendLayout {
        missing_glyphs: [&title, &caption]
            .into_iter()
            .flatten()
            .map(|t| t.missing)
            .sum::<u32>()
            + flowed.iter().map(|p| p.text.missing).sum::<u32>(),
        ..LegendLayout::default()
    };
    let Some(mut canvas) = Pixmap::new(pw.ceil() as u32, height.ceil() as u32) else {
        return (photo.clone(), report);
    };
    canvas.fill(tiny_skia::Color::WHITE);

    // The photo, or its panels one above the other, and every face in output pixels.
    let mut areas = Vec::new();
    let numbered: Vec<(usize, crate::faces::markers::ToNumber)> = input
        .entries
        .iter()
        .map(|e| {
            let cx = (e.face.x + e.face.w / 2.0) * bw;
            let panel = cuts
                .windows(2)
                .position(|c| cx >= c[0] && cx <= c[1])
                .unwrap_or(0);
            (
                panel,
                crate::faces::markers::ToNumber {
                    face_id: e.face_id,
                    number: e.number,
                    region: e.face,
                    row: e.row,
                },
            )
        })
        .collect();
    let diameter = crate::faces::markers::min_diameter(pw).max(f64::from(size) * 1.6);
    for (i, (from, to)) in slices.iter().enumerate() {
        let top = i as f64 * (bh + separator);
        let sw = to - from;
        areas.push(Area {
            x: 0.0,
            y: top,
            w: sw,
            h: bh,
        });
        {
            let data = canvas.data_mut();
            let cw = canvas_width(pw);
            for yy in 0..photo.height() {
                for xx in (*from as u32)..(*to as u32).min(photo.width()) {
                    let p = photo.get_pixel(xx, yy);
                    let o = ((yy as usize + top as usize) * cw + (xx - *from as u32) as usize) * 4;
                    data[o..o + 3].copy_from_slice(&p.0);
                }
            }
        }
        // Faces and the entries of this panel, in its pixels.
        let local = |r: &Region| Region {
            x: (r.x * bw - from) / sw,
            y: r.y,
            w: r.w * bw / sw,
            h: r.h,
        };
        let shown: Vec<(i64, Region)> = input
            .faces
            .iter()
            .filter(|(_, r)| (r.x + r.w) * bw > *from && r.x * bw < *to)
            .map(|(id, r)| (*id, local(r)))
            .collect();
        for (id, r) in &shown {
            report.faces.push(DrawnBox {
                number: None,
                face: *id,
                x: r.x * sw,
                y: top + r.y * bh,
                w: r.w * sw,
                h: r.h * bh,
            });
        }
        let mine: Vec<crate::faces::markers::ToNumber> = numbered
            .iter()
            .filter(|(p, _)| *p == i)
            .map(|(_, n)| crate::faces::markers::ToNumber {
                region: local(&n.region),
                ..*n
            })
            .collect();
        let obstacles: Vec<Region> = shown.iter().map(|(_, r)| *r).collect();
        let markers = crate::faces::markers::place(sw, bh, &obstacles, &mine, diameter);
        for m in &markers {
            let (cx, cy) = (m.cx as f32, (m.cy + top) as f32);
            if let Some([x0, y0, x1, y1]) = m.leader {
                line_segment(
                    &mut canvas,
                    x0 as f32,
                    (y0 + top) as f32,
                    x1 as f32,
                    (y1 + top) as f32,
                    (m.r as f32 / 8.0).max(1.5),
                );
            }
            circle(&mut canvas, cx, cy, m.r as f32);
            let n = layout(
                f,
                &m.number.to_string(),
                m.r as f32 * 1.05,
                true,
                None,
                false,
            );
            let clip = (0, top as i32, sw as i32, (top + bh) as i32);
            draw(
                f,
                &mut canvas,
                &n,
                cx - n.width / 2.0,
                cy - n.height / 2.0,
                [17, 17, 17],
                clip,
            );
            let [x, y, w, h] = m.rect();
            report.markers.push(DrawnBox {
                number: Some(m.number),
                face: m.face_id,
                x,
                y: y + top,
                w,
                h,
            });
        }
    }
    report.photo = if panels > 1 {
        PhotoArea::Panels(areas)
    } else {
        PhotoArea::Whole(areas[0])
    };
    report.rows = if input.rows > 1 {
        (1..=input.rows)
            .map(|r| {
                input
                    .entries
                    .iter()
                    .filter(|e| e.row == Some(r))
                    .map(|e| e.face_id)
                    .collect()
            })
            .collect()
    } else {
        vec![input.entries.iter().map(|e| e.face_id).collect()]
    };

    let full = (0, 0, canvas.width() as i32, canvas.height() as i32);
    let mut y = ph + margin;
    if let Some(t) = &title {
        draw(f, &mut canvas, t, margin, y, [17, 24, 39], full);
        y += t.height + size * 0.4;
    }
    if let Some(c) = &caption {
        draw(f, &mut canvas, c, margin, y, [55, 65, 81], full);
        y += c.height + size * 0.6;
    }
    for p in &flowed {
        let (lx, ly) = (margin + p.x, y + p.line as f32 * line_h);
        let color = if p.bold { [17, 24, 39] } else { [31, 41, 55] };
        draw(f, &mut canvas, &p.text, lx, ly, color, full);
        if let Some(number) = p.number {
            let e = input.entries.iter().find(|e| e.number == number);
            if let Some(e) = e {
                report.lines.push(LegendLine {
                    number,
                    login: e.person.login.clone(),
                    name: e.person.name.clone(),
                    x: lx as u32,
                    y: ly as u32,
                    w: p.text.width.ceil() as u32,
                    h: line_h as u32,
                });
            }
        }
    }
    report.lines.sort_by_key(|l| l.number);

    let mut out = RgbImage::new(canvas.width(), canvas.height());
    for (p, px) in out.pixels_mut().zip(canvas.data().chunks_exact(4)) {
        p.0 = [px[0], px[1], px[2]];
    }
    (out, report)
}

fn canvas_width(pw: f64) -> usize {
    pw.ceil() as usize
}

fn line_segment(canvas: &mut Pixmap, x0: f32, y0: f32, x1: f32, y1: f32, width: f32) {
    let mut pb = PathBuilder::new();
    pb.move_to(x0, y0);
    pb.line_to(x1, y1);
    let Some(path) = pb.finish() else {
        return;
    };
    let mut paint = Paint::default();
    paint.set_color_rgba8(250, 204, 21, 255);
    paint.anti_alias = true;
    let outline = Stroke {
        width: width + 2.0,
        ..Stroke::default()
    };
    let mut dark = Paint::default();
    dark.set_color_rgba8(17, 17, 17, 200);
    dark.anti_alias = true;
    canvas.stroke_path(&path, &dark, &outline, Transform::identity(), None);
    let stroke = Stroke {
        width,
        ..Stroke::default()
    };
    canvas.stroke_path(&path, &paint, &stroke, Transform::identity(), None);
}
