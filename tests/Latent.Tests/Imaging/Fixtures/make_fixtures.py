#!/usr/bin/python3
"""Makes the PNG fixtures that PngReaderTests decode: tiny images written by other encoders, Pillow (Debian's
python3-pil) and ImageMagick 6 (Debian's imagemagick, /usr/bin/convert), plus expected.json with the pixels each
file must decode to. Run from any folder: /usr/bin/python3 make_fixtures.py (rewrites the files next to it).

The pixel values come from fixed formulas below, so the expectations do not depend on either encoder.
For palette files the expectation is the expanded colours (r, g, b[, a] per pixel, 8-bit), since an encoder may
reorder the palette; for the others it is the samples at the file's bit depth, channels interleaved.
"""
import json
import os
import subprocess
import tempfile

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
W, H = 13, 11          # odd sizes: every Adam7 pass is partial
CONVERT = "/usr/bin/convert"   # ImageMagick (a stand-in earlier on PATH may not be)


def value(x, y, c, maximum):
    """A deterministic pattern that uses the whole range of the depth."""
    return (x * 7919 + y * 104729 + c * 15485863 + x * y * 31) % (maximum + 1)


def samples(channels, depth):
    m = (1 << depth) - 1
    return [value(x, y, c, m) for y in range(H) for x in range(W) for c in range(channels)]


def netpbm(path, channels, depth, data):
    """A PAM file ImageMagick reads losslessly at 8 or 16 bits."""
    tupl = {1: "GRAYSCALE", 2: "GRAYSCALE_ALPHA", 3: "RGB", 4: "RGB_ALPHA"}[channels]
    m = (1 << depth) - 1 if depth >= 8 else 255
    header = f"P7\nWIDTH {W}\nHEIGHT {H}\nDEPTH {channels}\nMAXVAL {m}\nTUPLTYPE {tupl}\nENDHDR\n".encode()
    if depth == 16:
        body = b"".join(v.to_bytes(2, "big") for v in data)
    else:
        body = bytes(v * (255 // ((1 << depth) - 1)) if depth < 8 else v for v in data)
    with open(path, "wb") as f:
        f.write(header + body)


def magick(name, channels, depth, color_type, interlace):
    data = samples(channels, depth)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in.pam")
        netpbm(src, channels, depth, data)
        args = [CONVERT, src, "-define", f"png:bit-depth={depth}", "-define", f"png:color-type={color_type}"]
        args += ["-interlace", "PNG" if interlace else "None", "PNG:" + os.path.join(HERE, name)]
        subprocess.run(args, check=True)
    return {"file": name, "encoder": "imagemagick", "color_type": color_type, "bit_depth": depth,
            "interlaced": interlace, "expected": data}


def pillow(name, mode, channels, depth, color_type, **save):
    data = samples(channels, depth)
    if mode == "1":
        im = Image.new("1", (W, H))
        im.putdata([v * 255 for v in data])
    elif mode == "I;16":
        im = Image.new("I;16", (W, H))
        im.putdata(data)
    elif mode == "L":
        im = Image.new("L", (W, H))
        im.putdata(data)
    else:
        im = Image.frombytes(mode, (W, H), bytes(data))
    im.save(os.path.join(HERE, name), **save)
    return {"file": name, "encoder": "pillow", "color_type": color_type, "bit_depth": depth, "interlaced": False, "expected": data}


def pillow_palette(name, depth, transparent):
    colours = 1 << depth
    palette = []
    for i in range(colours):
        palette += [(i * 37) % 256, (i * 91 + 17) % 256, (255 - i * 53) % 256]
    indices = samples(1, depth)
    im = Image.new("P", (W, H))
    im.putpalette(palette)
    im.putdata(indices)
    save = {"bits": depth} if depth < 8 else {}
    expected = []
    alpha = [(i * 67) % 256 for i in range(colours)] if transparent else None
    if transparent:
        save["transparency"] = bytes(alpha)
    im.save(os.path.join(HERE, name), **save)
    for i in indices:
        expected += palette[3 * i:3 * i + 3] + ([alpha[i]] if transparent else [])
    return {"file": name, "encoder": "pillow", "color_type": 3, "bit_depth": depth, "interlaced": False,
            "expected_rgba": transparent, "expected": expected}


def main():
    cases = [
        pillow("gray1_pil.png", "1", 1, 1, 0),
        pillow("gray8_pil.png", "L", 1, 8, 0),
        pillow("gray16_pil.png", "I;16", 1, 16, 0),
        pillow("gray_alpha8_pil.png", "LA", 2, 8, 4),
        pillow("rgb8_pil.png", "RGB", 3, 8, 2),
        pillow("rgba8_pil.png", "RGBA", 4, 8, 6),
        pillow_palette("palette1_pil.png", 1, False),
        pillow_palette("palette2_pil.png", 2, False),
        pillow_palette("palette4_pil.png", 4, True),
        pillow_palette("palette8_pil.png", 8, True),
        magick("gray2_im.png", 1, 2, 0, False),
        magick("gray4_interlaced_im.png", 1, 4, 0, True),
        magick("gray8_interlaced_im.png", 1, 8, 0, True),
        magick("gray_alpha16_im.png", 2, 16, 4, False),
        magick("rgb16_im.png", 3, 16, 2, False),
        magick("rgb8_interlaced_im.png", 3, 8, 2, True),
        magick("rgba16_interlaced_im.png", 4, 16, 6, True),
    ]
    for case in cases:
        case["width"], case["height"] = W, H
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(cases, f, indent=0)
        f.write("\n")
    print(f"wrote {len(cases)} fixtures to {HERE}")


if __name__ == "__main__":
    main()
