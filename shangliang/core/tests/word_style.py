"""What every Word file of the platform must look like: the official style of ``core.documents.word``."""

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import RGBColor

from shangliang.core.documents import word

BLACK = RGBColor(0, 0, 0)
THEME_FONTS = [qn(a) for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")]


def _runs(document):
    for paragraph in document.paragraphs:
        yield from paragraph.runs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    yield from paragraph.runs


def assert_official_word_style(document, *, red_texts: tuple[str, ...] = ()) -> None:
    """No theme colour or colour other than black anywhere (red only on the runs of ``red_texts`` and in
    the page header), no theme font, East-Asian fonts named, the title centred."""
    styles = document.styles.element
    for colour in styles.iter(qn("w:color")):
        assert colour.get(qn("w:themeColor")) is None
        assert colour.get(qn("w:val")) in ("000000", "auto"), (
            colour.getparent().getparent().xpath("string(w:name/@w:val)")
        )
    for fonts in styles.iter(qn("w:rFonts")):
        assert not [a for a in THEME_FONTS if fonts.get(a)], fonts.attrib
    assert not list(styles.iter(qn("w:pBdr")))  # Word's blue rule under "Title"
    for name, font in (
        ("Normal", word.BODY_FONT),
        ("Title", word.TITLE_FONT),
        ("Heading 1", word.HEADING_FONT),
        ("Heading 2", word.SUBHEADING_FONT),
        ("Heading 3", word.BODY_FONT),
    ):
        style = document.styles[name]
        assert style.element.rPr.rFonts.get(qn("w:eastAsia")) == font, name
        assert style.font.color.rgb == BLACK, name
    assert document.styles["Title"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    for run in _runs(document):
        assert run.font.color.theme_color is None, run.text
        if run.font.color.rgb is not None and run.font.color.rgb != BLACK:
            assert run.font.color.rgb == word.RED and run.text in red_texts, run.text
    for paragraph in document.paragraphs:
        for colour in paragraph._p.iter(qn("w:color")):
            assert colour.get(qn("w:themeColor")) is None
