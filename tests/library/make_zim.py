#!/usr/bin/env python3
"""Builds the small ZIM files that the library's tests read, with a real ZIM writer.

    python3 tests/library/make_zim.py DIR

PyPI's `libzim` (the openZIM project's own writer) writes:

- `zstd.zim`: zstd clusters of 16 KiB, so that the articles spread over several;
- `none.zim`: the same content, uncompressed clusters.

libzim 9 no longer writes xz (LZMA2) clusters, and writes extended clusters (64-bit blob offsets)
only past 4 GiB, yet older collections that schools still have use both. So this script also
rewrites `none.zim`, cluster by cluster, with Python's own xz encoder:

- `xz.zim`: every cluster xz-compressed (compression 4);
- `xz-extended.zim`: every cluster xz-compressed with 64-bit blob offsets (flag 0x10).

The rewritten clusters and their new pointer list are appended after the original ones (which
stay as unreferenced bytes), the header is pointed at them and the MD5 checksum recomputed.
As in libzim's own layout, something (the pointer list) lies between the last cluster and the
checksum, so a reader's xz decoder must stop at the end of its stream.

- `v5.zim`: `zstd.zim` in the old namespace scheme (version 5: articles and media in `A`, a
  title pointer list in the header), which libzim 9 no longer writes.
- `split.zimaa`, `split.zimab`, `split.zimac`: `zstd.zim` cut in three byte chunks, as Kiwix's
  `zimsplit` does (a split archive is only that).
- `expected.json`: what the tests compare against: each entry's path, title, MIME type and bytes
  (hex), the redirects, the metadata, the main page.

Content: articles with accents and Arabic, relative links between them (one in a sub-folder),
a redirect, a PNG image, an incompressible "audio" blob, ~200 filler articles, the usual
metadata and a 48x48 illustration.
"""

import hashlib
import json
import lzma
import os
import random
import struct
import sys
import zlib

from libzim.writer import Blob, Compression, ContentProvider, Creator, Hint, Item


class Bytes(ContentProvider):
    def __init__(self, data: bytes):
        super().__init__()
        self.data = data

    def get_size(self):
        return len(self.data)

    def gen_blob(self):
        yield Blob(self.data)


class Entry(Item):
    def __init__(self, path, title, mime, data: bytes, front: bool, compress: bool = True):
        super().__init__()
        self.path, self.title, self.mime, self.data = path, title, mime, data
        self.front, self.compress = front, compress

    def get_path(self):
        return self.path

    def get_title(self):
        return self.title

    def get_mimetype(self):
        return self.mime

    def get_contentprovider(self):
        return Bytes(self.data)

    def get_hints(self):
        return {Hint.FRONT_ARTICLE: self.front, Hint.COMPRESS: self.compress}


def png(size: int, rgb=(200, 40, 40)) -> bytes:
    """A plain square PNG, valid enough for any viewer."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * size
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


def html(title: str, body: str, lang: str = "fr", rtl: bool = False) -> bytes:
    direction = ' dir="rtl"' if rtl else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"{direction}><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body><h1>{title}</h1>\n{body}\n</body></html>\n"
    ).encode("utf-8")


def entries():
    rng = random.Random(18)
    items = [
        Entry(
            "Accueil",
            "Accueil",
            "text/html",
            html(
                "Accueil",
                '<p>Bienvenue. Lire <a href="École_primaire">École primaire</a>, '
                '<a href="Garçon">Garçon</a>, <a href="مدرسة">مدرسة</a> et '
                '<a href="dossier/Sous_page">une sous-page</a>.</p>'
                '<img src="images/logo.png" alt="logo">',
            ),
            True,
        ),
        Entry(
            "École_primaire",
            "École primaire",
            "text/html",
            html(
                "École primaire",
                "<p>L'école primaire accueille les élèves de six à onze ans : leçons, "
                'récréation, cantine. Voir aussi <a href="Garçon">Garçon</a>.</p>',
            ),
            True,
        ),
        Entry(
            "Garçon",
            "Garçon",
            "text/html",
            html("Garçon", '<p>Un garçon va à l\'<a href="École_primaire">école</a>. Ça commence tôt.</p>'),
            True,
        ),
        Entry(
            "مدرسة",
            "مدرسة",
            "text/html",
            html("مدرسة", "<p>المدرسة مكان للتعلم. يذهب التلاميذ إلى المدرسة كل صباح.</p>", "ar", True),
            True,
        ),
        Entry(
            "dossier/Sous_page",
            "Sous-page",
            "text/html",
            html("Sous-page", '<p>Retour à l\'<a href="../Accueil">accueil</a>.</p>'),
            True,
        ),
        Entry("images/logo.png", "", "image/png", png(16), False, compress=False),
        # Incompressible, and not compressed: libzim puts it in an uncompressed cluster, the way
        # real collections keep audio and video.
        Entry("media/son.ogg", "", "audio/ogg", rng.randbytes(300_000), False, compress=False),
        Entry("style.css", "", "text/css", b"body { font-family: sans-serif; }\n", False),
    ]
    words = "lune soleil étoile rivière forêt montagne cahier crayon règle trousse".split()
    for i in range(200):
        text = " ".join(rng.choice(words) for _ in range(150))
        items.append(Entry(f"Article_{i:03}", f"Article {i:03}", "text/html", html(f"Article {i:03}", f"<p>{text}</p>"), True))
    return items


METADATA = {
    "Title": "Petite encyclopédie de test",
    "Description": "Une collection minuscule pour les tests de Cartable",
    "Language": "fra",
    "Creator": "Cartable",
    "Publisher": "Cartable tests",
    "Date": "2026-12-07",
    "Name": "cartable_test_fr",
}
REDIRECTS = [("Ecole", "Ecole", "École_primaire"), ("Boucle/A", "Vers accueil", "Accueil")]
MAIN = "Accueil"


def write(path: str, compression, cluster_size: int):
    items = entries()
    with Creator(path).config_compression(compression).config_clustersize(cluster_size) as creator:
        creator.set_mainpath(MAIN)
        # Metadata and illustration first: libzim's Python binding keeps the GIL in these calls,
        # which wait for a free slot in the workers' queue, while the workers need the GIL to
        # read the items' content: added after the items, they deadlock now and then.
        for name, value in METADATA.items():
            creator.add_metadata(name, value)
        creator.add_illustration(48, png(48, (40, 120, 200)))
        for item in items:
            creator.add_item(item)
        for src, title, target in REDIRECTS:
            creator.add_redirection(src, title, target, {Hint.FRONT_ARTICLE: True})
    return items


HEADER = struct.Struct("<IHH16sIIQQQQIIQ")


def rewrite_xz(src: str, dst: str, extended: bool):
    """Re-encodes every (uncompressed) cluster of `src` as xz, optionally with 64-bit offsets."""
    data = bytearray(open(src, "rb").read())
    (magic, major, minor, uuid, entries_, clusters, url_pos, title_pos, cluster_pos, mime_pos,
     main, layout, checksum_pos) = HEADER.unpack_from(data, 0)
    ptrs = list(struct.unpack_from(f"<{clusters}Q", data, cluster_pos))
    ends = ptrs[1:] + [cluster_pos if cluster_pos > ptrs[-1] else checksum_pos]
    body = data[:checksum_pos]
    new_ptrs = []
    for start, end in zip(ptrs, ends):
        info = data[start]
        if info & 0x0F not in (0, 1):
            raise SystemExit(f"{src}: cluster at {start} is already compressed ({info:#x})")
        raw = bytes(data[start + 1 : end])
        first = struct.unpack_from("<I", raw, 0)[0]
        count = first // 4
        offsets = struct.unpack_from(f"<{count}I", raw, 0)
        blobs = raw[first : offsets[-1]]
        if extended:
            table = struct.pack(f"<{count}Q", *(o - first + 8 * count for o in offsets))
        else:
            table = raw[:first]
        new_ptrs.append(len(body))
        body += bytes([0x04 | (0x10 if extended else 0)])
        body += lzma.compress(table + blobs, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64)
    # The pointer list after the clusters, as libzim lays its directory after them: the last
    # cluster "ends" at the checksum, so its decoder must stop at its own stream's end.
    new_ptr_pos = len(body)
    body += struct.pack(f"<{clusters}Q", *new_ptrs)
    new_checksum = len(body)
    struct.pack_into("<Q", body, 48, new_ptr_pos)
    struct.pack_into("<Q", body, 72, new_checksum)
    if extended:
        struct.pack_into("<H", body, 4, 6)
    body += hashlib.md5(body).digest()
    open(dst, "wb").write(body)


def rewrite_v5(src: str, dst: str):
    """The old namespace scheme (ZIM 5): content in `A`, and a title pointer list in the header.

    `C` sorts before `M`, `W` and `X` as `A` does, so renaming the namespace in place keeps the
    URL pointer list sorted; the title list (every entry, by namespace then title) is appended.
    """
    data = bytearray(open(src, "rb").read())
    (magic, major, minor, uuid, entries_, clusters, url_pos, title_pos, cluster_pos, mime_pos,
     main, layout, checksum_pos) = HEADER.unpack_from(data, 0)
    keys = []
    for i in range(entries_):
        at = struct.unpack_from("<Q", data, url_pos + 8 * i)[0]
        if data[at + 3] == ord("C"):
            data[at + 3] = ord("A")
        strings = at + (12 if struct.unpack_from("<H", data, at)[0] == 0xFFFF else 16)
        path_end = data.index(0, strings)
        title_end = data.index(0, path_end + 1)
        title = bytes(data[path_end + 1 : title_end]) or bytes(data[strings:path_end])
        keys.append((data[at + 3], title, i))
    body = data[:checksum_pos]
    struct.pack_into("<HH", body, 4, 5, 0)
    struct.pack_into("<Q", body, 40, len(body))
    body += struct.pack(f"<{entries_}I", *(i for _, _, i in sorted(keys)))
    struct.pack_into("<Q", body, 72, len(body))
    body += hashlib.md5(body).digest()
    open(dst, "wb").write(body)


def split(src: str, base: str, parts: int):
    data = open(src, "rb").read()
    size = -(-len(data) // parts)
    for i in range(parts):
        with open(f"{base}.zima{chr(ord('a') + i)}", "wb") as f:
            f.write(data[i * size : (i + 1) * size])


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    items = write(os.path.join(out, "zstd.zim"), Compression.zstd, 16 * 1024)
    # libzim 9.x hangs writing an uncompressed archive whose blob (the "audio") is larger than
    # the cluster size: keep that size above it.
    write(os.path.join(out, "none.zim"), Compression.none, 512 * 1024)
    rewrite_xz(os.path.join(out, "none.zim"), os.path.join(out, "xz.zim"), extended=False)
    rewrite_xz(os.path.join(out, "none.zim"), os.path.join(out, "xz-extended.zim"), extended=True)
    rewrite_v5(os.path.join(out, "zstd.zim"), os.path.join(out, "v5.zim"))
    split(os.path.join(out, "zstd.zim"), os.path.join(out, "split"), 3)
    expected = {
        "main": MAIN,
        "entries": [
            {"path": i.path, "title": i.title or i.path, "mime": i.mime, "hex": i.data.hex()} for i in items
        ],
        "redirects": [{"path": p, "title": t, "target": target} for p, t, target in REDIRECTS],
        "metadata": METADATA,
        "illustration_48_hex": png(48, (40, 120, 200)).hex(),
    }
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
