#!/usr/bin/python3
"""Image decoding fixtures (src/core/io/fixtures/): small TIFFs of every pixel type, compression,
layout (strips, tiles), sample layout (grey, RGB) and byte order, PNGs of every colour type and
depth, two JPEGs, plus the arrays they hold. Deterministic: rerunning rewrites the same bytes.

Independent writers: the TIFF matrix is written by libtiff itself (the reference TIFF library,
called through ctypes: the libtiff 4.x that Pillow links), because tifffile without imagecodecs
cannot write LZW or PackBits. A few files come from tifffile (ImageJ stack, planar RGB, thumbnail)
and Pillow (palette, CCITT). Every file is read back and checked against its numpy source before
it is kept: by tifffile, or by libtiff where tifffile lacks the codec (LZW, float predictor).
PNGs come from Pillow, and from a small encoder below for what Pillow cannot write (16-bit colour,
16-bit grey + alpha, Adam7), checked by Pillow as far as Pillow reads them exactly.

Outputs:
  tiff/, png/, jpeg/    the fixtures
  expected.bin          the arrays, little-endian, 8-byte aligned
  manifest.json         arrays: key -> dtype, shape [slices, height, width, channels], byte offset;
                        fixtures / pngs / jpegs: file -> array key (and a note);
                        failures: TIFFs that must be refused, with the error code and a phrase
                        the message must contain.

Run with Debian's interpreter: /usr/bin/python3 scripts/make_io_fixtures.py
"""
import ctypes
import json
import pathlib
import shutil
import struct
import zlib

import numpy as np
import tifffile
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "core" / "io" / "fixtures"

WIDTH, HEIGHT, SLICES = 7, 5, 2
ROWS_PER_STRIP = 2  # 5 rows -> 3 strips, the last one short
TILE = 16  # TIFF tiles are multiples of 16

DTYPES = ["uint8", "int8", "uint16", "int16", "uint32", "int32", "float32", "float64"]
# name -> (TIFF compression code, predictor or None); predictor 2 is horizontal differencing
# (integers), 3 the floating-point predictor (floats).
COMPRESSIONS = {
    "none": (1, None),
    "lzw": (5, None),
    "lzwpred": (5, "pred"),
    "deflate": (8, None),
    "deflatepred": (8, "pred"),
    "olddeflate": (32946, None),
    "packbits": (32773, None),
}

# TIFF tags
T_WIDTH, T_LENGTH, T_BPS, T_COMPRESSION, T_PHOTOMETRIC = 256, 257, 258, 259, 262
T_SPP, T_ROWSPERSTRIP, T_PLANAR, T_PREDICTOR = 277, 278, 284, 317
T_TILEWIDTH, T_TILELENGTH, T_EXTRASAMPLES, T_SAMPLEFORMAT = 322, 323, 338, 339
SAMPLEFORMAT = {"u": 1, "i": 2, "f": 3}

lib = ctypes.CDLL("libtiff.so.6")
lib.TIFFOpen.restype = ctypes.c_void_p
lib.TIFFOpen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
for fn in ("TIFFWriteDirectory", "TIFFClose"):
    getattr(lib, fn).argtypes = [ctypes.c_void_p]
lib.TIFFWriteEncodedStrip.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_void_p, ctypes.c_ssize_t]
lib.TIFFWriteEncodedTile.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_void_p, ctypes.c_ssize_t]
lib.TIFFWriteEncodedStrip.restype = ctypes.c_ssize_t
lib.TIFFWriteEncodedTile.restype = ctypes.c_ssize_t
lib.TIFFReadEncodedStrip.argtypes = lib.TIFFWriteEncodedStrip.argtypes
lib.TIFFReadEncodedTile.argtypes = lib.TIFFWriteEncodedTile.argtypes
lib.TIFFReadEncodedStrip.restype = ctypes.c_ssize_t
lib.TIFFReadEncodedTile.restype = ctypes.c_ssize_t
lib.TIFFSetWarningHandler.argtypes = [ctypes.c_void_p]
lib.TIFFSetWarningHandler(None)  # libtiff warns about unknown tags on stderr; quiet


def set_field(tif, tag, *values):
    # TIFFSetField is variadic: integers travel as int, pointers as pointers.
    args = [ctypes.c_void_p(tif), ctypes.c_uint32(tag)]
    args += [v if isinstance(v, (ctypes.c_char_p, ctypes.c_void_p, ctypes.Array)) else ctypes.c_int(v) for v in values]
    if lib.TIFFSetField(*args) != 1:
        raise RuntimeError(f"TIFFSetField {tag} {values} failed")


def libtiff_write(path, stack, compression, predictor=None, tiles=False, big_endian=False, bigtiff=False,
                  photometric=None, extra_samples=(), rows_per_strip=ROWS_PER_STRIP, tile=TILE):
    """stack: (slices, height, width, samples) numpy array in native order; libtiff swaps bytes itself."""
    slices, height, width, samples = stack.shape
    mode = "w" + ("b" if big_endian else "l") + ("8" if bigtiff else "")
    tif = lib.TIFFOpen(str(path).encode(), mode.encode())
    if not tif:
        raise RuntimeError(f"TIFFOpen {path} failed")
    for z in range(slices):
        page = stack[z].copy()
        set_field(tif, T_WIDTH, width)
        set_field(tif, T_LENGTH, height)
        set_field(tif, T_BPS, page.dtype.itemsize * 8)
        set_field(tif, T_SAMPLEFORMAT, SAMPLEFORMAT[page.dtype.kind])
        set_field(tif, T_SPP, samples)
        set_field(tif, T_PLANAR, 1)
        set_field(tif, T_PHOTOMETRIC, photometric if photometric is not None else (2 if samples >= 3 else 1))
        if extra_samples:
            arr = (ctypes.c_uint16 * len(extra_samples))(*extra_samples)
            set_field(tif, T_EXTRASAMPLES, len(extra_samples), arr)
        set_field(tif, T_COMPRESSION, compression)
        if predictor is not None:
            set_field(tif, T_PREDICTOR, predictor)
        if tiles:
            set_field(tif, T_TILEWIDTH, tile)
            set_field(tif, T_TILELENGTH, tile)
            n = 0
            for ty in range(0, height, tile):
                for tx in range(0, width, tile):
                    buf = np.zeros((tile, tile, samples), page.dtype)
                    part = page[ty:ty + tile, tx:tx + tile]
                    buf[:part.shape[0], :part.shape[1]] = part
                    if lib.TIFFWriteEncodedTile(tif, n, buf.ctypes.data, buf.nbytes) < 0:
                        raise RuntimeError("TIFFWriteEncodedTile failed")
                    n += 1
        else:
            set_field(tif, T_ROWSPERSTRIP, rows_per_strip)
            for n, y in enumerate(range(0, height, rows_per_strip)):
                buf = page[y:y + rows_per_strip].copy()  # libtiff byte-swaps and encodes in place
                if lib.TIFFWriteEncodedStrip(tif, n, buf.ctypes.data, buf.nbytes) < 0:
                    raise RuntimeError("TIFFWriteEncodedStrip failed")
        if lib.TIFFWriteDirectory(tif) != 1:
            raise RuntimeError("TIFFWriteDirectory failed")
    lib.TIFFClose(tif)


def libtiff_read(path, shape, dtype):
    """Reads back what libtiff_write wrote (one IFD per slice, contiguous samples), for the files
    tifffile cannot decode without imagecodecs (LZW, the floating-point predictor)."""
    slices, height, width, samples = shape
    out = np.zeros(shape, dtype)
    tif = lib.TIFFOpen(str(path).encode(), b"r")
    tiled = lib.TIFFIsTiled(ctypes.c_void_p(tif))
    for z in range(slices):
        n = 0
        step_y, step_x = (TILE, TILE) if tiled else (ROWS_PER_STRIP, width)
        for y in range(0, height, step_y):
            for x in range(0, width, step_x):
                buf = np.zeros((step_y, step_x, samples), dtype)
                read = lib.TIFFReadEncodedTile if tiled else lib.TIFFReadEncodedStrip
                if read(ctypes.c_void_p(tif), n, buf.ctypes.data_as(ctypes.c_void_p), ctypes.c_ssize_t(-1)) < 0:
                    raise RuntimeError(f"{path}: libtiff cannot read segment {n}")
                part = out[z, y:y + step_y, x:x + step_x]
                part[...] = buf[: part.shape[0], : part.shape[1], :samples]
                n += 1
        if z + 1 < slices and lib.TIFFReadDirectory(ctypes.c_void_p(tif)) != 1:
            raise RuntimeError(f"{path}: no page {z + 1}")
    lib.TIFFClose(tif)
    return out


def values(dtype, shape, seed):
    """Deterministic values spanning the type's range (min, max and 0 included), shuffled so that
    predictors and compressors see unsmooth data. Floats add infinities, NaN, -0 and subnormals."""
    n = int(np.prod(shape))
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    if dt.kind in "ui":
        info = np.iinfo(dt)
        v = np.linspace(float(info.min), float(info.max), n).round()
        v = np.clip(v, info.min, info.max).astype(dt)
        v[0], v[1], v[2] = info.min, info.max, 0
    else:
        info = np.finfo(dt)
        v = (np.linspace(-1.0, 1.0, n) * rng.uniform(0, 1, n) * 10.0 ** rng.integers(-30, 30, n)).astype(dt)
        specials = [info.min, info.max, 0.0, -0.0, np.inf, -np.inf, np.nan, info.tiny, info.smallest_subnormal, 1.0, -1.0, 0.5]
        v[: len(specials)] = np.array(specials, dt)
    return rng.permutation(v).reshape(shape)


def same_bits(a, b):
    return a.shape == b.shape and a.dtype == b.dtype and np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes()


class Fixtures:
    def __init__(self):
        self.arrays = {}  # key -> array (slices, height, width, channels)
        self.entries = []
        self.failures = []
        self.pngs = []
        self.jpegs = []

    def array(self, key, a):
        if key in self.arrays:
            assert same_bits(self.arrays[key], a), key
        self.arrays[key] = a
        return key

    def add(self, name, key, note="", check=True, planar=False):
        """Check the written file against the expected array (as tifffile reads it) and record it."""
        expected = self.arrays[key]
        path = OUT / "tiff" / f"{name}.tif"
        if check == "libtiff":
            assert same_bits(libtiff_read(path, expected.shape, expected.dtype), expected), f"{name}: libtiff reads something else"
        elif check:
            got = tifffile.imread(path)
            if planar:  # tifffile returns (slices, samples, height, width)
                got = np.moveaxis(got, 1, -1)
            got = got.reshape(expected.shape[0], expected.shape[1], expected.shape[2], -1)[..., : expected.shape[3]]
            got = got.astype(got.dtype.newbyteorder("="))  # big-endian files read as '>u2' etc.
            assert same_bits(got, expected), f"{name}: tifffile reads something else"
        entry = {"file": f"tiff/{name}.tif", "array": key}
        if note:
            entry["note"] = note
        self.entries.append(entry)

    def fail(self, name, code, detail, note):
        self.failures.append({"file": f"tiff/{name}.tif", "code": code, "detail": detail, "note": note})

    def write(self):
        blob = bytearray()
        arrays = {}
        for key, a in self.arrays.items():
            while len(blob) % 8:
                blob.append(0)
            arrays[key] = {"dtype": str(a.dtype), "shape": list(a.shape), "offset": len(blob)}
            blob += np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tobytes()
        (OUT / "expected.bin").write_bytes(bytes(blob))
        # One line per entry: small, and diffs stay readable.
        lines = ['{"arrays": {'] + [",\n".join(f" {json.dumps(k)}: {json.dumps(v)}" for k, v in arrays.items())]
        lines += ['}, "fixtures": ['] + [",\n".join(f" {json.dumps(e)}" for e in self.entries)]
        lines += ['], "failures": ['] + [",\n".join(f" {json.dumps(e)}" for e in self.failures)]
        lines += ['], "pngs": ['] + [",\n".join(f" {json.dumps(e)}" for e in self.pngs)]
        lines += ['], "jpegs": ['] + [",\n".join(f" {json.dumps(e)}" for e in self.jpegs)] + [']}']
        (OUT / "manifest.json").write_text("\n".join(lines) + "\n")


def matrix(fx):
    """Strips: every dtype x compression x (grey, RGB) x byte order. Tiles (bigger: a 16x16 tile
    holds a 7x5 page) and the old Deflate code 32946: every dtype x compression, with the four
    (grey/RGB, byte order) pairs taking turns, so that each dtype and each compression meets all four.
    The whole product would not fit the fixture budget (~300 KB)."""
    turns = [(1, False), (3, True), (3, False), (1, True)]
    for d_i, dtype in enumerate(DTYPES):
        keys = {c: fx.array(f"{dtype}-c{c}", values(dtype, (SLICES, HEIGHT, WIDTH, c), seed=d_i * 10 + c)) for c in (1, 3)}
        for c_i, (cname, (code, pred)) in enumerate(COMPRESSIONS.items()):
            predictor = None if pred is None else (3 if dtype.startswith("float") else 2)
            combos = [(False, c, big) for c in (1, 3) for big in (False, True)] if cname != "olddeflate" else []
            channels, big = turns[(d_i + c_i) % 4]
            combos.append((cname != "olddeflate", channels, big))
            for tiles, channels, big in combos:
                if predictor == 3 and big:
                    # libtiff 4.5 swaps the bytes twice here (checked by hand); tifffile needs imagecodecs
                    if tiles:
                        big = False
                    else:
                        continue
                name = f"{dtype}-{'grey' if channels == 1 else 'rgb'}-{cname}-{'tiles' if tiles else 'strips'}-{'be' if big else 'le'}"
                libtiff_write(OUT / "tiff" / f"{name}.tif", fx.arrays[keys[channels]], code, predictor, tiles, big)
                # tifffile decodes neither LZW nor the float predictor without imagecodecs
                fx.add(name, keys[channels], check="libtiff" if cname.startswith("lzw") or predictor == 3 else True)


def extras(fx):
    """Layouts the matrix does not reach."""
    # Several tiles per page, edge tiles partly outside the image.
    for dtype, cname in (("uint8", "none"), ("uint16", "deflatepred"), ("float32", "deflatepred"), ("int16", "packbits")):
        key = fx.array(f"{dtype}-c1-wide", values(dtype, (1, 20, 35, 1), seed=77 + DTYPES.index(dtype)))
        code, _ = COMPRESSIONS[cname]
        pred = None if cname in ("none", "packbits") else (3 if dtype == "float32" else 2)
        libtiff_write(OUT / "tiff" / f"multitile-{dtype}-{cname}.tif", fx.arrays[key], code, pred, tiles=True, big_endian=dtype == "uint16")
        fx.add(f"multitile-{dtype}-{cname}", key, "3x2 tiles of 16x16 on a 35x20 image", check="libtiff" if pred == 3 or cname == "lzwpred" else True)
    # BigTIFF (64-bit offsets).
    key = fx.array("uint16-c1", values("uint16", (SLICES, HEIGHT, WIDTH, 1), seed=21))
    for big in (False, True):
        name = f"bigtiff-uint16-grey-deflate-{'be' if big else 'le'}"
        libtiff_write(OUT / "tiff" / f"{name}.tif", fx.arrays[key], 8, 2, big_endian=big, bigtiff=True)
        fx.add(name, key, "BigTIFF")
    # RGBA (unassociated alpha) -> 4 channels; grey + alpha -> grey only; RGB + 2 unspecified extras -> RGB.
    rgba = fx.array("uint8-c4", values("uint8", (2, HEIGHT, WIDTH, 4), seed=31))
    libtiff_write(OUT / "tiff" / "rgba-uint8-lzw.tif", fx.arrays[rgba], 5, 2, extra_samples=(2,))
    fx.add("rgba-uint8-lzw", rgba, "RGBA with unassociated alpha", check="libtiff")
    ga = values("uint16", (2, HEIGHT, WIDTH, 2), seed=32)
    libtiff_write(OUT / "tiff" / "greyalpha-uint16-deflate.tif", ga, 8, extra_samples=(2,))
    fx.array("uint16-greyalpha-grey", np.ascontiguousarray(ga[..., :1]))
    fx.add("greyalpha-uint16-deflate", "uint16-greyalpha-grey", "grey + alpha: the alpha is dropped")
    five = values("uint8", (2, HEIGHT, WIDTH, 5), seed=33)
    libtiff_write(OUT / "tiff" / "rgb2extra-uint8-none.tif", five, 1, extra_samples=(0, 0))
    fx.array("uint8-rgb2extra-rgb", np.ascontiguousarray(five[..., :3]))
    fx.add("rgb2extra-uint8-none", "uint8-rgb2extra-rgb", "RGB + 2 unspecified extra samples: the extras are dropped")
    # A reduced-resolution page (a thumbnail, NewSubfileType 1) after the image: skipped.
    key = fx.array("uint8-c1", values("uint8", (SLICES, HEIGHT, WIDTH, 1), seed=1))
    with tifffile.TiffWriter(OUT / "tiff" / "thumbnail-skipped.tif") as tw:
        tw.write(fx.arrays[key][..., 0], photometric="minisblack")
        tw.write(fx.arrays[key][0, ::2, ::2, 0], subfiletype=1)
    assert len(tifffile.TiffFile(OUT / "tiff" / "thumbnail-skipped.tif").pages) == SLICES + 1
    fx.add("thumbnail-skipped", key, "the reduced-resolution page at the end is skipped", check=False)
    # 1-bit masks (as MATLAB writes logical arrays), 9 px wide so rows end mid-byte: 0/1 as uint8.
    bits = (values("uint8", (1, HEIGHT, 9, 1), seed=34) > 127).astype(np.uint8)
    key = fx.array("uint8-c1-bits", bits)
    for name, compression in (("bits1-none", None), ("bits1-packbits", "packbits")):
        Image.fromarray(bits[0, ..., 0].astype(bool)).save(OUT / "tiff" / f"{name}.tif", compression=compression)
        assert np.array_equal(tifffile.imread(OUT / "tiff" / f"{name}.tif").astype(np.uint8), bits[0, ..., 0]), name
        fx.add(name, key, "1-bit, Pillow", check=False)
    # One strip per page (the common case for uncompressed files) and one row per strip.
    key = fx.array("uint8-c1", values("uint8", (SLICES, HEIGHT, WIDTH, 1), seed=1))
    libtiff_write(OUT / "tiff" / "uint8-grey-onestrip.tif", fx.arrays[key], 1, rows_per_strip=HEIGHT)
    fx.add("uint8-grey-onestrip", key)
    libtiff_write(OUT / "tiff" / "uint8-grey-rowstrips-packbits.tif", fx.arrays[key], 32773, rows_per_strip=1)
    fx.add("uint8-grey-rowstrips-packbits", key)


def tifffile_and_pillow(fx):
    # tifffile's ImageJ hyperstack layout (what Fiji writes): 4 slices, uint16.
    key = fx.array("uint16-c1-imagej", values("uint16", (4, HEIGHT, WIDTH, 1), seed=41))
    tifffile.imwrite(OUT / "tiff" / "imagej-uint16.tif", fx.arrays[key][..., 0], imagej=True, metadata={"axes": "ZYX"})
    fx.add("imagej-uint16", key, "tifffile imagej=True")
    # tifffile, planar configuration 2 (one plane per colour), deflate with predictor, big-endian.
    key = fx.array("uint16-c3-planar", values("uint16", (2, HEIGHT, WIDTH, 3), seed=42))
    tifffile.imwrite(OUT / "tiff" / "planar-uint16-rgb-deflate-be.tif", np.moveaxis(fx.arrays[key], -1, 1), photometric="rgb",
                     planarconfig="separate", compression="zlib", predictor=True, byteorder=">")
    fx.add("planar-uint16-rgb-deflate-be", key, "tifffile, PlanarConfiguration=2", planar=True)
    # tifffile, float32 tiles with deflate, one page (a probability map as a user would save it).
    key = fx.array("float32-c1-single", values("float32", (1, 20, 35, 1), seed=43))
    tifffile.imwrite(OUT / "tiff" / "tifffile-float32-tiles-deflate.tif", fx.arrays[key][0, ..., 0], tile=(16, 16), compression="zlib")
    fx.add("tifffile-float32-tiles-deflate", key, "tifffile, single page")
    # Pillow, palette (photometric 3): the indices are kept (label maps with a LUT), not the colours.
    idx = (np.arange(HEIGHT * WIDTH).reshape(HEIGHT, WIDTH) * 7 % 256).astype(np.uint8)
    im = Image.fromarray(idx, mode="P")
    im.putpalette([(i * 37) % 256 for i in range(768)])
    im.save(OUT / "tiff" / "palette-uint8-pillow.tif")
    fx.array("uint8-c1-palette", idx.reshape(1, HEIGHT, WIDTH, 1))
    fx.add("palette-uint8-pillow", "uint8-c1-palette", "palette: the indices, not the colours")


def failures(fx):
    """Valid TIFFs in variants the studio does not read: the error must name the compression."""
    grey = values("uint8", (1, 16, 16, 1), seed=51)
    libtiff_write(OUT / "tiff" / "unsupported-jpeg.tif", grey, 7, rows_per_strip=16)
    fx.fail("unsupported-jpeg", "unsupported-format", "JPEG", "JPEG-in-TIFF (compression 7)")
    libtiff_write(OUT / "tiff" / "unsupported-lzma.tif", grey, 34925)
    fx.fail("unsupported-lzma", "unsupported-format", "LZMA", "LZMA (compression 34925)")
    libtiff_write(OUT / "tiff" / "unsupported-zstd.tif", grey, 50000)
    fx.fail("unsupported-zstd", "unsupported-format", "Zstandard", "ZSTD (compression 50000)")
    bits = Image.fromarray((grey[0, ..., 0] > 127))
    bits.save(OUT / "tiff" / "unsupported-ccitt-g4.tif", compression="group4")
    fx.fail("unsupported-ccitt-g4", "unsupported-format", "CCITT", "1-bit, CCITT Group 4 fax (compression 4)")
    # Two pages of different sizes.
    a = values("uint8", (1, 5, 7, 1), seed=52)
    b = values("uint8", (1, 6, 7, 1), seed=53)
    with tifffile.TiffWriter(OUT / "tiff" / "pages-differ.tif") as tw:
        tw.write(a[0, ..., 0])
        tw.write(b[0, ..., 0])
    fx.fail("pages-differ", "size-mismatch", "page 2", "page 1 is 7x5, page 2 is 7x6")


def png_chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_filter(raw, prev, bpp, kind):
    """One scanline filtered with PNG filter `kind` (PNG spec section 9)."""
    out = bytearray(len(raw))
    for i, x in enumerate(raw):
        a = raw[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if kind == 0:
            pred = 0
        elif kind == 1:
            pred = a
        elif kind == 2:
            pred = b
        elif kind == 3:
            pred = (a + b) // 2
        else:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        out[i] = (x - pred) & 0xFF
    return bytes(out)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def png_bytes(a, interlace=False):
    """A hand-written PNG encoder for what Pillow cannot write (16-bit colour, grey + alpha):
    (height, width, channels) uint8/uint16, each row with the next of the five filters in turn."""
    h, w, c = a.shape
    depth = a.dtype.itemsize * 8
    colour_type = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    big = a.astype(a.dtype.newbyteorder(">"))
    bpp = c * a.dtype.itemsize
    passes = [big[y0::dy, x0::dx] for x0, y0, dx, dy in ADAM7] if interlace else [big]
    raw = bytearray()
    row_index = 0
    for sub in passes:
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        prev = bytes(sub.shape[1] * bpp)
        for row in sub:
            line = row.tobytes()
            kind = row_index % 5
            raw += bytes([kind]) + png_filter(line, prev, bpp, kind)
            prev = line
            row_index += 1
    ihdr = struct.pack(">IIBBBBB", w, h, depth, colour_type, 0, 0, 1 if interlace else 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + png_chunk(b"IEND", b"")


def pngs(fx):
    """PNG fixtures: Pillow for the 8-bit modes, 16-bit grey, palette and 1-bit; the encoder above for 16-bit
    colour, grey + alpha and interlacing (checked against Pillow where Pillow reads exactly)."""
    (OUT / "png").mkdir()
    entries = []

    def add(name, key, note):
        entries.append({"file": f"png/{name}.png", "array": key, "note": note})

    def pillow(name, a, mode, key, **save):
        Image.fromarray(a[0] if a.shape[-1] > 1 else a[0, ..., 0], mode=mode).save(OUT / "png" / f"{name}.png", **save)
        back = np.array(Image.open(OUT / "png" / f"{name}.png"))
        assert np.array_equal(back.reshape(fx.arrays[key].shape[1:]), fx.arrays[key][0]), name

    for c, mode in ((1, "L"), (3, "RGB"), (4, "RGBA")):
        key = fx.array(f"png-uint8-c{c}", values("uint8", (1, HEIGHT, WIDTH, c), seed=60 + c))
        pillow(f"uint8-{mode.lower()}", fx.arrays[key], mode, key)
        add(f"uint8-{mode.lower()}", key, f"Pillow mode {mode}")
    la = values("uint8", (1, HEIGHT, WIDTH, 2), seed=62)
    Image.fromarray(la[0], mode="LA").save(OUT / "png" / "uint8-la.png")
    assert np.array_equal(np.array(Image.open(OUT / "png" / "uint8-la.png")), la[0])
    key = fx.array("png-uint8-la-grey", np.ascontiguousarray(la[..., :1]))
    add("uint8-la", key, "Pillow mode LA: the alpha is dropped")
    key = fx.array("png-uint16-c1", values("uint16", (1, HEIGHT, WIDTH, 1), seed=65))
    Image.fromarray(fx.arrays[key][0, ..., 0]).save(OUT / "png" / "uint16-grey.png")
    assert np.array_equal(np.array(Image.open(OUT / "png" / "uint16-grey.png")).astype(np.uint16), fx.arrays[key][0, ..., 0])
    add("uint16-grey", key, "Pillow mode I;16")
    # Palette, 8-bit and 4-bit indices: the indices are kept.
    for bits, n in ((8, 256), (4, 16)):
        idx = (np.arange(HEIGHT * WIDTH).reshape(1, HEIGHT, WIDTH, 1) * 7 % n).astype(np.uint8)
        key = fx.array(f"png-palette{bits}", idx)
        im = Image.fromarray(idx[0, ..., 0], mode="P")
        im.putpalette([(i * 53) % 256 for i in range(3 * n)])
        im.save(OUT / "png" / f"palette{bits}.png", bits=bits)
        assert np.array_equal(np.array(Image.open(OUT / "png" / f"palette{bits}.png")), idx[0, ..., 0])
        add(f"palette{bits}", key, f"{bits}-bit palette: the indices")
    # 1-bit grey: 0/1 as stored.
    bits1 = (values("uint8", (1, HEIGHT, WIDTH, 1), seed=66) > 127).astype(np.uint8)
    key = fx.array("png-bits1", bits1)
    Image.fromarray(bits1[0, ..., 0].astype(bool)).save(OUT / "png" / "grey1.png")
    assert np.array_equal(np.array(Image.open(OUT / "png" / "grey1.png")).astype(np.uint8), bits1[0, ..., 0])
    add("grey1", key, "1-bit grey: 0 and 1 as stored")
    # Hand-written: 16-bit grey + alpha, RGB, RGBA; 8-bit RGB with all filters; interlaced.
    for c, name in ((2, "uint16-greyalpha"), (3, "uint16-rgb"), (4, "uint16-rgba")):
        a = values("uint16", (1, HEIGHT, WIDTH, c), seed=70 + c)
        (OUT / "png" / f"{name}.png").write_bytes(png_bytes(a[0]))
        back = np.array(Image.open(OUT / "png" / f"{name}.png"))
        if c > 2:  # Pillow reads 16-bit colour as 8-bit: the high bytes must match
            assert np.array_equal(back, (a[0] >> 8).astype(np.uint8)), name
        key = fx.array(f"png-{name}", np.ascontiguousarray(a[..., :1] if c == 2 else a))
        add(name, key, "hand-written encoder, rows cycle through the five filters" + (": the alpha is dropped" if c == 2 else ""))
    rgb = fx.arrays["png-uint8-c3"]
    (OUT / "png" / "uint8-rgb-filters.png").write_bytes(png_bytes(rgb[0]))
    assert np.array_equal(np.array(Image.open(OUT / "png" / "uint8-rgb-filters.png")), rgb[0])
    add("uint8-rgb-filters", "png-uint8-c3", "hand-written encoder, all five filters (checked by Pillow)")
    (OUT / "png" / "uint8-rgb-adam7.png").write_bytes(png_bytes(rgb[0], interlace=True))
    assert np.array_equal(np.array(Image.open(OUT / "png" / "uint8-rgb-adam7.png")), rgb[0])
    add("uint8-rgb-adam7", "png-uint8-c3", "Adam7 interlaced (checked by Pillow)")
    key = fx.array("png-uint16-c1-adam7", values("uint16", (1, 9, 11, 1), seed=75))
    (OUT / "png" / "uint16-grey-adam7.png").write_bytes(png_bytes(fx.arrays[key][0], interlace=True))
    assert np.array_equal(np.array(Image.open(OUT / "png" / "uint16-grey-adam7.png")).astype(np.uint16), fx.arrays[key][0, ..., 0])
    add("uint16-grey-adam7", key, "Adam7 interlaced, 16-bit (checked by Pillow)")
    fx.pngs = entries


def jpegs(fx):
    """JPEG fixtures from Pillow (libjpeg), with Pillow's own decoding as the expected array. Decoders may
    differ by rounding (IDCT, upsampling): the test allows a small tolerance. 4:4:4, smooth content."""
    (OUT / "jpeg").mkdir()
    y, x = np.mgrid[0:24, 0:32]
    grey = (128 + 100 * np.sin(x / 5.0) * np.cos(y / 7.0)).astype(np.uint8)
    rgb = np.stack([grey, (x * 8).astype(np.uint8), (y * 10).astype(np.uint8)], axis=-1)
    for name, a, mode in (("grey", grey, "L"), ("rgb", rgb, "RGB")):
        Image.fromarray(a, mode=mode).save(OUT / "jpeg" / f"{name}.jpg", quality=92, subsampling=0)
        decoded = np.array(Image.open(OUT / "jpeg" / f"{name}.jpg"))
        key = fx.array(f"jpeg-{name}", decoded.reshape(1, decoded.shape[0], decoded.shape[1], -1))
        fx.jpegs.append({"file": f"jpeg/{name}.jpg", "array": key, "note": "expected: Pillow's decoding"})


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    (OUT / "tiff").mkdir(parents=True)
    fx = Fixtures()
    matrix(fx)
    extras(fx)
    tifffile_and_pillow(fx)
    failures(fx)
    pngs(fx)
    jpegs(fx)
    fx.write()
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"{len(fx.entries)} TIFF fixtures, {len(fx.failures)} TIFF failure cases, {len(fx.pngs)} PNG and {len(fx.jpegs)} JPEG fixtures, {total / 1024:.0f} KiB in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
