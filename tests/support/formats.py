"""Real files of every article format, written by the tests: one news article as .txt (any encoding),
.md, .html, .pdf (reportlab) and .docx (python-docx), plus hand-built PDFs for hostile cases."""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from xml.sax.saxutils import escape

TITLE = "Rutte warns Moscow of a fatal offensive"
URL = "https://news.example.com/2024/12/20/rutte-warns-moscow"
AUTHOR = "Jane Reporter"
DATE = "2024-12-20"
PARAGRAPHS = (
    "NATO Secretary General Mark Rutte issued a stark warning on Tuesday that the next major Russian "
    "offensive against Ukraine could prove ‘fatal’ for Moscow itself.",
    "Speaking at a summit in Brussels, Rutte said Europe was facing its most perilous moment since the end "
    "of World War II. “We cannot afford to be naïve,” he told reporters. The U.S. delegation, led by "
    "Mr. Blinken, agreed with his assessment.",
    "During a live broadcast on Dec. 19, Vladimir Putin characterized Rutte as “intelligent and "
    "systematic” but dismissed the warning as rhetoric. He said Russia would continue its operations "
    "regardless of what NATO decided.",
    "Analysts in Kyiv were divided. Some argued that the alliance had finally found its voice; others "
    "warned that words without weapons would change nothing on the front line.",
    "The negotiations over the next aid package are expected to resume in January, when ministers meet "
    "again in Brussels to discuss air defence, artillery shells and the training of Ukrainian pilots.",
    "Rutte ended his remarks with a question: “If not now, when?” The room fell silent.",
)


def article_text(newline: str = "\n") -> str:
    """The article as a newsroom's .txt export: headline, blank line, one paragraph per line."""
    return newline.join([TITLE, "", *PARAGRAPHS]) + newline


def article_html() -> bytes:
    """A real-looking article page: menus, cookie banner, scripts, styles, footer around the article."""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(TITLE)} | Example News</title>
<meta property="og:title" content="{escape(TITLE)}">
<link rel="canonical" href="{URL}">
<meta name="author" content="{AUTHOR}">
<meta property="article:published_time" content="{DATE}T09:30:00Z">
<script>window.dataLayer = ["Subscribe now for only $1 a week"];</script>
<style>.menu {{ color: red }}</style>
</head><body>
<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li>
<li><a href="/login">Sign in to your account</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<main><article>
<h1>{escape(TITLE)}</h1>
{body}
<script>document.write("Tracking pixel loaded, advertisement inserted");</script>
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Celebrity chef opens a new restaurant</a></li></ul></aside>
<footer><p>© 2024 Example News. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>""".encode()


def article_markdown() -> bytes:
    """The article in Markdown with YAML front matter and some markup on the way."""
    first, second, *rest = PARAGRAPHS
    second_md = second.replace("Brussels", "[Brussels](https://example.com/brussels)").replace(
        "perilous", "*perilous*"
    )
    body = "\n\n".join([first, second_md, *rest])
    return (
        f"---\ntitle: \"{TITLE}\"\nurl: {URL}\ndate: {DATE}\nauthor: {AUTHOR}\ntags: [nato, ukraine]\n---\n"
        f"# {TITLE}\n\n<!-- editor's note: check the quote -->\n\n![Rutte at the podium](rutte.jpg)\n\n{body}\n"
    ).encode()


def article_docx() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.author = AUTHOR
    document.core_properties.title = "Draft 3 (core properties)"
    document.add_paragraph(TITLE, style="Title")
    for paragraph in PARAGRAPHS:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def article_pdf(pagesize: tuple[float, float] = (298.0, 420.0)) -> bytes:
    """The article set by reportlab on small (A6) pages, so that paragraphs wrap and run across pages,
    with a running header and "Page N" footer on every page."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()

    def furniture(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(40, pagesize[1] - 30, "Example News · World edition")
        canvas.drawString(pagesize[0] / 2, 20, f"Page {doc.page}")
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=pagesize, title=TITLE, author=AUTHOR, leftMargin=30, rightMargin=30,
                            topMargin=45, bottomMargin=40)
    story = [Paragraph(escape(TITLE), styles["Title"])]
    story += [Paragraph(escape(p), styles["BodyText"]) for p in PARAGRAPHS]
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return out.getvalue()


def pdf_lines(pages: Sequence[Sequence[str]], *, size: float = 11, leading: float = 14) -> bytes:
    """A PDF whose pages show exactly these lines, top down, drawn with reportlab's canvas."""
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(420, 595))
    for lines in pages:
        canvas.setFont("Helvetica", size)
        y = 560.0
        for line in lines:
            if line:
                canvas.drawString(40, y, line)
            y -= leading
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def raw_pdf(objects: Sequence[bytes], root: int = 1) -> bytes:
    """A PDF file from object bodies (object 1 first), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def pdf_stream(data: bytes, *, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
PAGE_RESOURCES = b"/Resources << /Font << /F1 %d 0 R >> >> /MediaBox [0 0 612 792]"


def one_page_pdf(content: bytes, *, count: int = 1, compress: bool = False) -> bytes:
    """Catalog, a page tree that says it has ``count`` pages, one page drawing ``content``."""
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R " + PAGE_RESOURCES % 5 + b" >>",
        pdf_stream(content, compress=compress),
        HELVETICA,
    ])


def nested_page_tree_pdf(depth: int) -> bytes:
    """A page tree ``depth`` levels deep around one page (each /Pages node holding the next)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        number = 2 + level
        parent = b"" if level == 0 else b"/Parent %d 0 R " % (number - 1)
        objects.append(b"<< /Type /Pages %s/Kids [%d 0 R] /Count 1 >>" % (parent, number + 1))
    page = 2 + depth
    objects.append(b"<< /Type /Page /Parent %d 0 R /Contents %d 0 R " % (page - 1, page + 1)
                   + PAGE_RESOURCES % (page + 2) + b" >>")
    objects.append(pdf_stream(b"BT /F1 12 Tf 72 700 Td (Deep) Tj ET"))
    objects.append(HELVETICA)
    return raw_pdf(objects)
