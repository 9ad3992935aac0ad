"""What fonts a PDF uses, and which of them it carries inside: for the embedded-font tests of every document."""

import io

from pypdf import PdfReader

FONT_FILE_KEYS = ("/FontFile", "/FontFile2", "/FontFile3")
STANDARD_14 = {
    *(f"{family}{style}" for family in ("Helvetica", "Courier") for style in ("", "-Bold", "-Oblique", "-BoldOblique")),
    *("Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats"),
}


def _font_file_kinds(font) -> set[str]:
    descriptors = [font.get("/FontDescriptor")]
    descriptors += [descendant.get_object().get("/FontDescriptor") for descendant in font.get("/DescendantFonts", [])]
    return {key for d in descriptors if d is not None for key in FONT_FILE_KEYS if key in d.get_object()}


def fonts_of(content: bytes) -> dict[str, set[str]]:
    """Each font the pages use (its BaseFont name) and the kinds of font file embedded for it (empty: none)."""
    fonts = {}
    for page in PdfReader(io.BytesIO(content)).pages:
        resources = page["/Resources"].get_object()
        for reference in resources.get("/Font", {}).values():
            font = reference.get_object()
            fonts.setdefault(str(font["/BaseFont"]), set()).update(_font_file_kinds(font))
    return fonts


def cjk_fonts_of(content: bytes) -> dict[str, set[str]]:
    """The fonts other than the 14 every PDF reader has (ReportLab names Helvetica on each page): the Chinese ones."""
    return {name: kinds for name, kinds in fonts_of(content).items() if name.lstrip("/") not in STANDARD_14}


def assert_cjk_font_embedded(content: bytes) -> None:
    """The Chinese text is drawn only with a TrueType font the file carries (a printer never shows boxes)."""
    cjk = cjk_fonts_of(content)
    assert cjk, f"no CJK font among {sorted(fonts_of(content))}"
    assert all("/FontFile2" in kinds for kinds in cjk.values()), cjk
