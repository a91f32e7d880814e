#!/usr/bin/env python3
"""Makes the small HEIC/AVIF test files in src-tauri/core/tests/fixtures/phones/ (committed;
run again only to change them). Every file displays the same 120x80 picture, four coloured
corners on blue, through a different route: HEIF transforms (irot/imir, clap), EXIF that agrees
or conflicts, 10-bit and PQ/HLG. Each is checked as written by decoding it with heif-convert
(libheif applies the transforms), so the expected display does not rest on whoiswho's code.

Needs: pillow, pillow-heif (PyPI; writes irot/imir from an EXIF orientation), avifenc
(libavif-bin), heif-enc and heif-convert (libheif-examples), exiftool.
"""

import os
import subprocess
import sys
import tempfile

from PIL import Image, ImageDraw

OUT = os.path.join(os.path.dirname(__file__), "..", "src-tauri/core/tests/fixtures/phones")
W, H = 120, 80
CORNERS = {  # displayed corner -> colour; the test reads them back
    "top_left": (255, 0, 0),
    "top_right": (255, 255, 0),
    "bottom_left": (255, 255, 255),
    "bottom_right": (0, 255, 0),
}
BACKGROUND = (30, 40, 160)

# The PIL transpose that turns displayed pixels into those stored with EXIF orientation 6.
UNDO_6 = Image.ROTATE_90


def displayed():
    im = Image.new("RGB", (W, H), BACKGROUND)
    d = ImageDraw.Draw(im)
    bw, bh = 32, 24
    d.rectangle([0, 0, bw - 1, bh - 1], fill=CORNERS["top_left"])
    d.rectangle([W - bw, 0, W - 1, bh - 1], fill=CORNERS["top_right"])
    d.rectangle([0, H - bh, bw - 1, H - 1], fill=CORNERS["bottom_left"])
    d.rectangle([W - bw, H - bh, W - 1, H - 1], fill=CORNERS["bottom_right"])
    return im


def run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def shown_by_libheif(path):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "shown.png")
        run("heif-convert", path, out)
        return Image.open(out).convert("RGB")


def corners_of(im):
    w, h = im.size
    at = {"top_left": (6, 6), "top_right": (w - 7, 6), "bottom_left": (6, h - 7),
          "bottom_right": (w - 7, h - 7)}
    return {k: im.getpixel(p) for k, p in at.items()}


def check(path, expect_size=(W, H), expect=CORNERS):
    """Debian's libheif (heif-convert) shows the file as expected, and for HEIC so does
    pillow-heif's newer libheif."""
    shown = [shown_by_libheif(path)]
    if path.endswith(".heic"):
        import pillow_heif
        shown.append(pillow_heif.open_heif(path).to_pillow().convert("RGB"))
    for im in shown:
        assert im.size == expect_size, f"{path}: shown at {im.size}"
        for k, c in corners_of(im).items():
            want = expect[k]
            assert all(abs(a - b) < 40 for a, b in zip(c, want)), f"{path}: {k} {c} != {want}"


def pq(nits):
    """The SMPTE ST 2084 code value (0..1) of a luminance."""
    m1, m2, c1, c2, c3 = 0.1593017578125, 78.84375, 0.8359375, 18.8515625, 18.6875
    y = (nits / 10000.0) ** m1
    return ((c1 + c2 * y) / (1 + c3 * y)) ** m2


def exif_bytes(orientation):
    ex = Image.Exif()
    ex[0x0112] = orientation
    ex[0x010F] = "whoiswho"          # Make
    ex[0x0110] = "fixture phone"     # Model
    ex[0x8769] = {0x9003: "2024:05:06 07:08:09", 0x9011: "+08:00"}  # DateTimeOriginal, offset
    return ex.tobytes()


# The eight ways to lay a picture on its side or mirror it (PIL transposes).
DIHEDRAL = [None, Image.FLIP_LEFT_RIGHT, Image.ROTATE_180, Image.FLIP_TOP_BOTTOM,
            Image.TRANSPOSE, Image.ROTATE_270, Image.TRANSVERSE, Image.ROTATE_90]


def heic_with_orientation(n, name):
    """The iPhone layout: pixels stored turned, irot/imir to show them upright, and an EXIF
    orientation n that agrees. pillow-heif (libheif 1.23) records EXIF orientation n as
    irot/imir; what it stores for each n differs, so the picture it is given is chosen (among
    the eight layouts) as the one libheif then shows upright."""
    import pillow_heif
    path = os.path.join(OUT, name)
    for t in DIHEDRAL:
        given = displayed() if t is None else displayed().transpose(t)
        pillow_heif.from_pillow(given).save(path, quality=92, exif=exif_bytes(n))
        try:
            check(path)
        except AssertionError:
            continue
        data = open(path, "rb").read()
        assert n == 1 or b"irot" in data or b"imir" in data, f"{name}: no transform written"
        return path
    raise AssertionError(f"{name}: no layout displays upright")


def main():
    os.makedirs(OUT, exist_ok=True)
    upright = displayed()

    for n in range(1, 9):
        heic_with_orientation(n, f"heic-orientation-{n}.heic")

    # Android's layout: irot 270 (orientation 6) but EXIF says 1. The transforms decide.
    p = heic_with_orientation(6, "heic-irot270-exif1.heic")
    assert b"irot" in open(p, "rb").read()
    run("exiftool", "-q", "-overwrite_original", "-Orientation#=1", p)
    check(p)

    # EXIF 6 and no transform at all (an edited iOS photo): HEIF readers show the pixels as
    # stored; EXIF does not rotate a HEIF.
    with tempfile.TemporaryDirectory() as tmp:
        jpg = os.path.join(tmp, "stored.jpg")
        sideways = upright.transpose(UNDO_6)
        ex = Image.Exif()
        ex[0x0112] = 6
        sideways.save(jpg, quality=95, exif=ex.tobytes())
        p = os.path.join(OUT, "heic-exif6-no-irot.heic")
        run("heif-enc", "-q", "92", jpg, "-o", p)
        check(p, expect_size=(H, W), expect=corners_of(sideways))

    # AVIF: every irot (0-3, anticlockwise quarter turns) with no imir and each imir mode
    # (0: top-to-bottom, 1: left-to-right), applied in that order (MIAF 7.3.6.7).
    with tempfile.TemporaryDirectory() as tmp:
        for angle in range(4):
            for mode in (None, 0, 1):
                stored = upright
                if mode is not None:
                    stored = stored.transpose(Image.FLIP_TOP_BOTTOM if mode == 0 else Image.FLIP_LEFT_RIGHT)
                stored = stored.rotate(-90 * angle, expand=True)
                src = os.path.join(tmp, "stored.png")
                stored.save(src)
                name = f"avif-irot{angle}-imir{'none' if mode is None else mode}.avif"
                p = os.path.join(OUT, name)
                args = ["avifenc", "--min", "8", "--max", "16", "-s", "8", "--irot", str(angle)]
                if mode is not None:
                    args += ["--imir", str(mode)]
                run(*args, src, p)
                check(p)

        # Clean aperture: a 16-pixel margin of black around the picture is cropped away.
        framed = Image.new("RGB", (W + 32, H + 32), (0, 0, 0))
        framed.paste(upright, (16, 16))
        src = os.path.join(tmp, "framed.png")
        framed.save(src)
        p = os.path.join(OUT, "avif-clap.avif")
        run("avifenc", "--min", "8", "--max", "16", "-s", "8", "--crop", f"16,16,{W},{H}", src, p)
        check(p)

        # 10 bits per sample.
        upright.save(src)
        p = os.path.join(OUT, "avif-10bit.avif")
        run("avifenc", "--min", "8", "--max", "16", "-s", "8", "-d", "10", src, p)
        check(p)
        import pillow_heif
        wide = b"".join(
            (v * 257).to_bytes(2, "little") for px in upright.get_flattened_data() for v in px
        )
        p = os.path.join(OUT, "heic-10bit.heic")
        pillow_heif.from_bytes("RGB;16", upright.size, wide).save(p, quality=92)
        check(p)

        # HDR: three bands of grey coded with PQ (SMPTE ST 2084) and with HLG (ARIB STD-B67),
        # at black, a dim grey and reference white (203 nits, BT.2408). BT.2020 primaries.
        for name, cicp, codes in (
            ("avif-pq.avif", "9/16/9", (0.0, pq(20.0), pq(203.0))),
            ("avif-hlg.avif", "9/18/9", (0.0, 0.5, 0.75)),
        ):
            bands = Image.new("RGB", (W, H))
            d = ImageDraw.Draw(bands)
            for i, code in enumerate(codes):
                v = round(code * 255)
                d.rectangle([i * W // 3, 0, (i + 1) * W // 3 - 1, H - 1], fill=(v, v, v))
            bands.save(src)
            p = os.path.join(OUT, name)
            run("avifenc", "--min", "8", "--max", "16", "-s", "8", "-d", "10", "--cicp", cicp, src, p)
            assert shown_by_libheif(p).size == (W, H)
    # An animation (brand avis): two frames, no still image to show.
    with tempfile.TemporaryDirectory() as tmp:
        frames = []
        for i, colour in enumerate(((200, 0, 0), (0, 0, 200))):
            f = os.path.join(tmp, f"frame{i}.png")
            Image.new("RGB", (32, 32), colour).save(f)
            frames.append(f)
        run("avifenc", "--min", "20", "--max", "30", "-s", "8", *frames,
            os.path.join(OUT, "avif-sequence.avif"))

    print("made", len(os.listdir(OUT)), "files in", os.path.normpath(OUT))


if __name__ == "__main__":
    sys.exit(main())
