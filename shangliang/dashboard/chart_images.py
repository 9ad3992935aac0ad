"""Charts of the annual report as PNG images, drawn with matplotlib (no browser involved).

Labels are Chinese, so a CJK font is needed: Debian's fonts-noto-cjk (Noto Sans CJK SC), which
``make run`` and ``make test`` install. Without one the charts are still drawn, with a warning in the
log, and Chinese labels show as empty boxes: a report with poor labels beats no report.
"""

import functools
import io
import logging
import warnings

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

logger = logging.getLogger(__name__)

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
)
RED, GREY, GREEN = "#c0392b", "#7f8c8d", "#1a7f37"
SERIES_COLOURS = (RED, GREY, GREEN, "#2c6fbb")
WIDTH, HEIGHT, DPI = 7.5, 3.4, 150


@functools.cache
def cjk_font() -> FontProperties | None:
    """The first CJK font matplotlib can find, or None (with a warning) when the system has none."""
    for family in CJK_FAMILIES:
        try:
            path = font_manager.findfont(FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        return FontProperties(fname=path)
    logger.warning("No CJK font found (install fonts-noto-cjk): chart labels in the annual report will not show.")
    return None


def _figure() -> tuple[Figure, object]:
    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#e5e7eb", linewidth=0.8)
    axes.set_axisbelow(True)
    return figure, axes


def _label_font(axes, font: FontProperties | None, title: str) -> None:
    if font is None:
        axes.set_title(title)
        return
    axes.set_title(title, fontproperties=font, fontsize=12)
    for label in axes.get_xticklabels() + axes.get_yticklabels():
        label.set_fontproperties(font)
    legend = axes.get_legend()
    if legend is not None:
        for text in legend.get_texts():
            text.set_fontproperties(font)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # Without a CJK font every Chinese glyph would warn once; the log already says why.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def line_chart(title: str, labels: list[str], values: list[int]) -> bytes:
    """A trend over the months of the period."""
    font = cjk_font()
    figure, axes = _figure()
    positions = range(len(labels))
    axes.plot(positions, values, marker="o", color=RED, linewidth=2)
    for x, y in zip(positions, values, strict=True):
        if y:
            axes.annotate(str(y), (x, y), textcoords="offset points", xytext=(0, 5), ha="center", fontsize=8)
    axes.set_xticks(list(positions), labels, rotation=45 if len(labels) > 6 else 0, fontsize=8)
    axes.set_ylim(bottom=0, top=max([*values, 1]) * 1.2)
    axes.yaxis.get_major_locator().set_params(integer=True)
    _label_font(axes, font, title)
    return _png(figure)


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[int]]]) -> bytes:
    """Bars per label; several series side by side (the townships compared)."""
    font = cjk_font()
    figure, axes = _figure()
    count = max(len(series), 1)
    width = 0.8 / count
    for index, (name, values) in enumerate(series):
        offset = (index - (count - 1) / 2) * width
        bars = axes.bar(
            [x + offset for x in range(len(labels))],
            values,
            width=width,
            label=name,
            color=SERIES_COLOURS[index % len(SERIES_COLOURS)],
        )
        axes.bar_label(bars, fontsize=7)
    axes.set_xticks(list(range(len(labels))), labels, rotation=30 if len(labels) > 5 else 0, fontsize=8)
    axes.yaxis.get_major_locator().set_params(integer=True)
    if len(series) > 1:
        axes.legend(frameon=False, fontsize=8)
    _label_font(axes, font, title)
    return _png(figure)
