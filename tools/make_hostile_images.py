#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes small image files whose headers disagree with what the decoding library will decode.

Each file is a few hundred KB at most but makes a naive reader decode far more than the 64-Mpixel limit
(issue 27, row 3). tests/cli/hostile_decoding.sh makes them at test time (nothing multi-MB is committed)
and checks that every command refuses them with exit 2, quickly and in little memory.

Usage: make_hostile_images.py OUTPUT_FOLDER        (Debian's python3-pil and python3-pydicom)
"""
import io
import struct
import sys
import zlib
from pathlib import Path

BIG = 10000  # 100 Mpixel: over the 64-Mpixel limit, yet its deflated zeros are ~100 KB


def tiff(pages):
    """A little-endian classic TIFF. `pages` is a list of tag lists [(tag, type, values)], in file
    order (duplicates kept); a value b'...' is a data block whose offset the tag receives."""
    out = bytearray(b"II*\0\0\0\0\0")
    blocks = {}
    for page in pages:  # data blocks first, so that their offsets are known
        for tag, kind, value in page:
            if isinstance(value, bytes):
                blocks[id(value)] = len(out)
                out += value
                if len(out) % 2:
                    out += b"\0"
    previous_link = 4
    for page in pages:
        struct.pack_into("<I", out, previous_link, len(out))
        out += struct.pack("<H", len(page))
        for tag, kind, value in page:
            if isinstance(value, bytes):
                value = blocks[id(value)]
            out += struct.pack("<HHI", tag, kind, 1)
            out += struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
        previous_link = len(out)
        out += b"\0\0\0\0"
    return bytes(out)


SHORT, LONG = 3, 4


def grey_strip_tags(width, height, strip):
    return [(256, LONG, width), (257, LONG, height), (258, SHORT, 8), (259, SHORT, 8), (262, SHORT, 1),
            (273, LONG, strip), (277, SHORT, 1), (278, LONG, height), (279, LONG, len(strip))]


def deflated_zeros(count):
    return zlib.compress(bytes(count), 9)


def tiff_duplicate_tags():
    """A real 10000² image with a second ImageWidth/ImageLength of 64: libtiff keeps the first."""
    strip = deflated_zeros(BIG * BIG)
    tags = grey_strip_tags(BIG, BIG, strip)
    tags.insert(1, (256, LONG, 64))
    tags.insert(3, (257, LONG, 64))
    return tiff([tags])


def tiff_huge_second_page():
    """A 64² first page, then a 10000² second page."""
    small = deflated_zeros(64 * 64)
    big = deflated_zeros(BIG * BIG)
    return tiff([grey_strip_tags(64, 64, small), grey_strip_tags(BIG, BIG, big)])


def tiff_huge_tile():
    """A 64² image stored as one 12288² tile: a decoder allocates and inflates the whole tile."""
    side = 12288
    tile = deflated_zeros(side * side)
    return tiff([[(256, LONG, 64), (257, LONG, 64), (258, SHORT, 8), (259, SHORT, 8), (262, SHORT, 1),
                  (277, SHORT, 1), (322, LONG, side), (323, LONG, side), (324, LONG, tile),
                  (325, LONG, len(tile))]])


def jpeg_fake_sof():
    """A real 10000² JPEG; after SOI a parameterless TEM marker, then an APP15 segment holding a fake
    16×16 SOF0 where a parser that reads a length after TEM lands."""
    from PIL import Image
    buffer = io.BytesIO()
    Image.new("L", (BIG, BIG), 0).save(buffer, "JPEG", quality=75)
    real = buffer.getvalue()
    assert real[:2] == b"\xff\xd8"
    tem = b"\xff\x01"
    # A parser treating TEM as a segment reads "FF EF" as its length and jumps to 2 + 2 + 0xFFEF.
    fake_at = 2 + 2 + 0xFFEF
    fake_sof = b"\xff\xc0\x00\x0b\x08\x00\x10\x00\x10\x01\x01\x11\x00"
    app_data_start = 2 + 2 + 4
    payload = bytearray(fake_at - app_data_start) + fake_sof
    app15 = b"\xff\xef" + struct.pack(">H", len(payload) + 2) + bytes(payload)
    return real[:2] + tem + app15 + real[2:]


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_big_ihdr():
    """A real 10000² grey PNG of ~100 KB (its rows are all zero)."""
    ihdr = struct.pack(">IIBBBBB", BIG, BIG, 8, 0, 0, 0, 0)
    raw = zlib.compress(bytes(BIG + 1) * BIG, 9)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", raw) +
            png_chunk(b"IEND", b""))


def png_second_ihdr():
    """A 64² IHDR, then a second IHDR of 10000² before the 10000² image data."""
    small = struct.pack(">IIBBBBB", 64, 64, 8, 0, 0, 0, 0)
    big = struct.pack(">IIBBBBB", BIG, BIG, 8, 0, 0, 0, 0)
    raw = zlib.compress(bytes(BIG + 1) * BIG, 9)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", small) + png_chunk(b"IHDR", big) +
            png_chunk(b"IDAT", raw) + png_chunk(b"IEND", b""))


def bmp_core_header():
    """An OS/2 BMP (12-byte BITMAPCOREHEADER: 16-bit width and height) of 10000², 8-bit, truncated:
    a reader that reads 32-bit fields sees other numbers; the decoder allocates 100 Mpixel first."""
    palette = bytes(b for i in range(256) for b in (i, i, i))
    header_size = 14 + 12 + len(palette)
    core = struct.pack("<IHHHH", 12, BIG, BIG, 1, 8)
    body = bytes(4096)
    return b"BM" + struct.pack("<IHHI", header_size + len(body), 0, 0, header_size) + core + palette + body


def bmp_big():
    """A BITMAPINFOHEADER BMP declaring 10000² (top-down), 8-bit, truncated."""
    palette = bytes(b for i in range(256) for b in (i, i, i, 0))
    header_size = 14 + 40 + len(palette)
    info = struct.pack("<IiiHHIIiiII", 40, BIG, -BIG, 1, 8, 0, 0, 2835, 2835, 256, 0)
    body = bytes(4096)
    return b"BM" + struct.pack("<IHHI", header_size + len(body), 0, 0, header_size) + info + palette + body


def dicom(rows, columns, frames, transfer_syntax, pixel_data):
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import generate_uid, SecondaryCaptureImageStorage
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = transfer_syntax
    ds = Dataset()
    ds.file_meta = meta
    ds.preamble = b"\0" * 128
    ds.SOPClassUID = SecondaryCaptureImageStorage
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = "OT"
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = rows
    ds.Columns = columns
    if frames is not None:
        ds.NumberOfFrames = frames
    ds.BitsAllocated = 8
    ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    ds.PixelData = pixel_data
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    buffer = io.BytesIO()
    ds.save_as(buffer, write_like_original=False)
    return buffer.getvalue()


def dicom_jpeg_bigger_than_rows():
    """Rows = Columns = 64 and JPEG Lossless (SV1) transfer syntax, but the encapsulated frame is a
    16000² progressive JPEG: DCMTK's codec buffers the whole stream at its own size before it compares
    it with Rows × Columns (14 s and 560 MB before MedVeil read the frame header first)."""
    from PIL import Image
    from pydicom.encaps import encapsulate
    buffer = io.BytesIO()
    Image.new("L", (16000, 16000), 0).save(buffer, "JPEG", quality=75, progressive=True)
    return dicom(64, 64, None, "1.2.840.10008.1.2.4.70", encapsulate([buffer.getvalue()]))


FILES = {
    "tiff-duplicate-tags.tif": tiff_duplicate_tags,
    "tiff-huge-second-page.tif": tiff_huge_second_page,
    "tiff-huge-tile.tif": tiff_huge_tile,
    "jpeg-fake-sof.jpg": jpeg_fake_sof,
    "png-big-ihdr.png": png_big_ihdr,
    "png-second-ihdr.png": png_second_ihdr,
    "bmp-core-header.bmp": bmp_core_header,
    "bmp-big.bmp": bmp_big,
    "dicom-jpeg-bigger-than-rows.dcm": dicom_jpeg_bigger_than_rows,
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    for name, make in FILES.items():
        (folder / name).write_bytes(make())


if __name__ == "__main__":
    main()
