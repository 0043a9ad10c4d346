"""Writes the two PDF fixtures of the legislation tests by hand (no PDF
library): a page with a text layer, and a "scanned" page with a picture
only. Run from this folder: python3 make_fixtures.py"""

def pdf(content: bytes, with_font: bool) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        + (b" /Resources << /Font << /F1 5 0 R >> >>" if with_font else b" /Resources << >>")
        + b" >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    if with_font:
        objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out

lines = [
    "Draft Law on Peaceful Assembly",
    "Chapter 1 General provisions",
    "Article 1",
    "This law guarantees the right of peaceful assembly.",
    "Article 2",
    "Organisers shall notify the authorities five days in advance.",
    "Article 3",
    "The authorities may prohibit an assembly that threatens public order.",
]
text = b"BT /F1 12 Tf 60 780 Td 16 TL\n" + b"".join(b"(" + l.encode() + b") Tj T*\n" for l in lines) + b"ET"
open("text-layer.pdf", "wb").write(pdf(text, True))
# A grey rectangle and nothing else: what a scanner's image-only page gives a text extractor.
open("scanned.pdf", "wb").write(pdf(b"0.6 g 60 400 475 380 re f", False))
