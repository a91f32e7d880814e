//! EXIF orientation: the one place that knows how stored pixels map to what a person sees.

use image::RgbImage;

/// EXIF orientation tag values 1-8 (TIFF 6.0 / EXIF 2.32 §4.6.4). Out-of-spec values read as 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Orientation {
    #[default]
    Normal = 1,
    FlipHorizontal = 2,
    Rotate180 = 3,
    FlipVertical = 4,
    Transpose = 5,
    Rotate90 = 6,
    Transverse = 7,
    Rotate270 = 8,
}

impl Orientation {
    /// Reads a raw tag value; anything outside 1..=8 (0 appears in the wild) means "as stored".
    pub fn from_exif(value: u32) -> Self {
        match value {
            2 => Self::FlipHorizontal,
            3 => Self::Rotate180,
            4 => Self::FlipVertical,
            5 => Self::Transpose,
            6 => Self::Rotate90,
            7 => Self::Transverse,
            8 => Self::Rotate270,
            _ => Self::Normal,
        }
    }

    pub fn value(self) -> u8 {
        self as u8
    }

    /// Orientations 5-8 swap width and height on display.
    pub fn swaps_dimensions(self) -> bool {
        matches!(
            self,
            Self::Transpose | Self::Rotate90 | Self::Transverse | Self::Rotate270
        )
    }

    /// Displayed (width, height) for stored (width, height).
    pub fn displayed_size(self, width: u32, height: u32) -> (u32, u32) {
        if self.swaps_dimensions() {
            (height, width)
        } else {
            (width, height)
        }
    }

    /// Turns stored pixels into displayed pixels.
    pub fn apply(self, img: RgbImage) -> RgbImage {
        use image::imageops::{flip_horizontal, flip_vertical, rotate180, rotate270, rotate90};
        match self {
            Self::Normal => img,
            Self::FlipHorizontal => flip_horizontal(&img),
            Self::Rotate180 => rotate180(&img),
            Self::FlipVertical => flip_vertical(&img),
            Self::Transpose => flip_horizontal(&rotate90(&img)),
            Self::Rotate90 => rotate90(&img),
            Self::Transverse => flip_horizontal(&rotate270(&img)),
            Self::Rotate270 => rotate270(&img),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    /// A 3x2 image with distinct pixels, to follow where each corner goes.
    fn sample() -> RgbImage {
        RgbImage::from_fn(3, 2, |x, y| Rgb([(x * 10 + y) as u8, 0, 0]))
    }

    #[test]
    fn every_orientation_puts_the_stored_top_left_where_exif_says() {
        // Where the stored top-left pixel (value 0) ends up on display, per the EXIF spec.
        let cases = [
            (1, (0, 0)),
            (2, (2, 0)),
            (3, (2, 1)),
            (4, (0, 1)),
            (5, (0, 0)),
            (6, (1, 0)),
            (7, (1, 2)),
            (8, (0, 2)),
        ];
        for (value, (x, y)) in cases {
            let o = Orientation::from_exif(value);
            let out = o.apply(sample());
            let (w, h) = o.displayed_size(3, 2);
            assert_eq!((out.width(), out.height()), (w, h), "orientation {value}");
            assert_eq!(out.get_pixel(x, y)[0], 0, "orientation {value}");
        }
    }

    #[test]
    fn out_of_spec_values_mean_normal() {
        assert_eq!(Orientation::from_exif(0), Orientation::Normal);
        assert_eq!(Orientation::from_exif(9), Orientation::Normal);
    }
}
