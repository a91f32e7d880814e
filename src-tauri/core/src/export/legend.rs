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

use crate::publication::Named;
use crate::region::Region;

/// One numbered entry: where its marker goes and what the legend says.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    pub number: u32,
    pub face: Region,
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

/// What the legend drew, and how many characters no installed font could show (tofu).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LegendLayout {
    pub lines: Vec<LegendLine>,
    pub missing_glyphs: u32,
}

/// The texts around the legend.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LegendText {
    pub title: Option<String>,
    pub date: Option<String>,
    pub caption: Option<String>,
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

/// Renders the photo (already upright, blurred where needed) with markers and the legend.
pub fn render_legend(
    photo: &RgbImage,
    entries: &[LegendEntry],
    text: &LegendText,
) -> (RgbImage, LegendLayout) {
    let mut guard = match fonts().lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    };
    let f = &mut *guard;
    let (pw, ph) = (photo.width() as f32, photo.height() as f32);
    let margin = (pw / 40.0).clamp(12.0, 64.0);
    let size = (pw / 62.0).clamp(13.0, 40.0);
    let inner = pw - 2.0 * margin;

    let title = [text.title.as_deref(), text.date.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let title =
        (!title.is_empty()).then(|| layout(f, &title, size * 1.35, true, Some(inner), true));
    let caption = text
        .caption
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|c| layout(f, c, size * 1.05, false, Some(inner), true));

    // Columns as wide as the longest entry needs, at most what fits; then rows top to bottom.
    let number_w = layout(
        f,
        &format!("{}", entries.len().max(1)),
        size,
        true,
        None,
        false,
    )
    .width
        + size * 0.6;
    let labels: Vec<Text> = entries
        .iter()
        .map(|e| {
            // A left-to-right mark first: a right-to-left name must not flip the login round.
            let label = match &e.person.name {
                Some(n) => format!("\u{200e}{n}\u{200e}  @{}", e.person.login),
                None => format!("@{}", e.person.login),
            };
            layout(f, &label, size, false, None, false)
        })
        .collect();
    let widest = labels.iter().map(|t| t.width).fold(0.0, f32::max);
    let col_w = (number_w + widest + size * 1.5).clamp(size * 8.0, inner.max(size * 8.0));
    let cols = ((inner / col_w).floor() as usize).clamp(1, 8);
    let col_w = inner / cols as f32;
    let rows = entries.len().div_ceil(cols);
    let line_h = size * 1.45;

    let mut height = ph + margin;
    height += title.as_ref().map_or(0.0, |t| t.height + size * 0.4);
    height += caption.as_ref().map_or(0.0, |t| t.height + size * 0.6);
    height += rows as f32 * line_h + margin;
    let mut report = LegendLayout {
        missing_glyphs: [&title, &caption]
            .into_iter()
            .flatten()
            .chain(labels.iter())
            .map(|t| t.missing)
            .sum(),
        ..LegendLayout::default()
    };
    let Some(mut canvas) = Pixmap::new(photo.width(), height.ceil() as u32) else {
        return (photo.clone(), report);
    };
    canvas.fill(tiny_skia::Color::WHITE);
    {
        let data = canvas.data_mut();
        for (i, p) in photo.pixels().enumerate() {
            data[i * 4..i * 4 + 3].copy_from_slice(&p.0);
        }
    }

    // Markers: a numbered disc above each face, kept inside the photo.
    for e in entries {
        let fw = e.face.w as f32 * pw;
        let r = (size * 0.8).max((fw * 0.28).min(size * 1.4));
        let cx = ((e.face.x + e.face.w / 2.0) as f32 * pw).clamp(r, pw - r);
        let top = e.face.y as f32 * ph;
        let cy = (top - r * 1.15).clamp(r, ph - r);
        circle(&mut canvas, cx, cy, r);
        let n = layout(f, &e.number.to_string(), r * 1.05, true, None, false);
        let clip = (0, 0, pw as i32, ph as i32);
        draw(
            f,
            &mut canvas,
            &n,
            cx - n.width / 2.0,
            cy - n.height / 2.0,
            [17, 17, 17],
            clip,
        );
    }

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
    for (i, (e, label)) in entries.iter().zip(&labels).enumerate() {
        let (col, row) = (i / rows.max(1), i % rows.max(1));
        let x = margin + col as f32 * col_w;
        let ly = y + row as f32 * line_h;
        let n = layout(f, &e.number.to_string(), size, true, None, false);
        let clip = (
            x as i32,
            0,
            (x + col_w - size * 0.5) as i32,
            canvas.height() as i32,
        );
        draw(
            f,
            &mut canvas,
            &n,
            x + number_w - size * 0.6 - n.width,
            ly,
            [17, 24, 39],
            clip,
        );
        draw(f, &mut canvas, label, x + number_w, ly, [31, 41, 55], clip);
        report.lines.push(LegendLine {
            number: e.number,
            login: e.person.login.clone(),
            name: e.person.name.clone(),
            x: x as u32,
            y: ly as u32,
            w: (number_w + label.width).min(col_w) as u32,
            h: line_h as u32,
        });
    }

    let mut out = RgbImage::new(canvas.width(), canvas.height());
    for (p, px) in out.pixels_mut().zip(canvas.data().chunks_exact(4)) {
        p.0 = [px[0], px[1], px[2]];
    }
    (out, report)
}
