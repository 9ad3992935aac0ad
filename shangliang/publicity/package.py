"""The media-centre package (融媒体中心素材包) of one consultation whose results are public.

A ZIP the district's media centre can work from: the story as Word, plain text and HTML (title, date,
platform, topic, the public summary, each item and what became of it, the ratings when any), the photos
that are already public, and ``说明.txt`` saying where each piece comes from. Only what the public pages
already show goes in: no participant, no responsible person, no supervisor; any mobile number typed into
a public text is masked.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from html import escape

from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.consultations.models import Consultation
from shangliang.core.documents import word
from shangliang.core.documents.formats import chinese_date, percent
from shangliang.core.phones import mask_mobile
from shangliang.evaluation import selectors as evaluation_selectors
from shangliang.outcomes import public_results
from shangliang.outcomes.permissions import is_public_evidence
from shangliang.outcomes.states import AssignmentStatus
from shangliang.publicity import selectors

# An 11-digit mainland mobile number standing alone in a text.
MOBILE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
STORY = "稿件"
NOTE = "说明.txt"
PHOTO_DIR = "照片"


def scrub(text: str) -> str:
    """``text`` with every mobile number masked (138****0000)."""
    return MOBILE_IN_TEXT.sub(lambda match: mask_mobile(match.group()), text or "")


@dataclass
class Photo:
    name: str  # inside the ZIP
    source: str  # what it shows and where it was published
    content: bytes


@dataclass
class Story:
    title: str
    facts: list[tuple[str, str]]
    summary: str
    items: list[str]
    ratings: str
    case_title: str = ""
    case_story: str = ""
    photos: list[Photo] = field(default_factory=list)


def _read(file_field) -> bytes | None:
    try:
        with file_field.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None


def _item_line(item: public_results.PublicItem) -> str:
    line = f"{item.number}. {scrub(item.text)}（{item.status_label}"
    if item.unit:
        line += _("，责任单位：%(unit)s") % {"unit": item.unit}
    line += "）"
    if item.result:
        line += _("落实情况：%(result)s") % {"result": scrub(item.result)}
    if item.deferral_reason:
        line += _("暂缓原因：%(reason)s") % {"reason": scrub(item.deferral_reason)}
    if item.decision_reason:
        line += _("说明：%(reason)s") % {"reason": scrub(item.decision_reason)}
    return line


def _evidence_photos(consultation: Consultation) -> list[Photo]:
    photos = []
    for number, suggestion in enumerate(consultation.suggestions.all(), start=1):
        for assignment in suggestion.assignments.all():
            if assignment.status != AssignmentStatus.DONE or not is_public_evidence(assignment):
                continue
            content = _read(assignment.evidence)
            if content is None:
                continue
            extension = assignment.evidence.name.rsplit(".", 1)[-1].lower()
            photos.append(
                Photo(
                    f"{PHOTO_DIR}/{_('第%(n)d条建议落实佐证') % {'n': number}}.{extension}",
                    _("第%(n)d条建议的落实佐证照片，由%(unit)s同意公开，见协商结果公开页面")
                    % {"n": number, "unit": assignment.lead_unit.name},
                    content,
                )
            )
    return photos


def build_story(consultation: Consultation) -> Story:
    """What the package tells, from the public records only (``consultation`` from ``board_consultations``)."""
    topic, platform = consultation.topic, consultation.platform
    publication = public_results.publication_of(consultation)
    items = public_results.public_items(consultation)
    figures = evaluation_selectors.satisfaction_of(consultation.ratings.counted())
    ratings = ""
    if figures.total:
        ratings = _("群众评议：共%(total)d人参与评议，协商过程满意率%(process)s，落实结果满意率%(result)s。") % {
            "total": figures.total,
            "process": percent(figures.process_rate),
            "result": percent(figures.result_rate),
        }
    facts = [
        (_("协商议题"), topic.title),
        (_("协商时间"), chinese_date(timezone.localtime(consultation.starts_at))),
        (_("协商平台"), platform.name),
        (_("协商形式"), consultation.session_format.name),
    ]
    if publication is not None:
        facts.append((_("结果公开时间"), chinese_date(timezone.localtime(publication.published_at))))
    counts = "；".join(f"{label}{count}条" for _status, label, count in public_results.status_counts(items))
    if counts:
        facts.append((_("建议落实情况"), counts))
    story = Story(
        title=scrub(topic.title),
        facts=[(label, scrub(value)) for label, value in facts],
        summary=scrub(publication.summary if publication else ""),
        items=[_item_line(item) for item in items],
        ratings=ratings,
        photos=_evidence_photos(consultation),
    )
    case = evaluation_selectors.case_of(consultation)
    if case is not None and case.is_published and not case.is_archived:
        story.case_title, story.case_story = scrub(case.title), scrub(case.story)
        for number, photo in enumerate(case.shown_photos, start=1):
            content = _read(photo.image)
            if content is not None:
                story.photos.append(
                    Photo(
                        f"{PHOTO_DIR}/{_('典型案例照片%(n)d') % {'n': number}}.jpg",
                        _("典型案例“%(title)s”的照片") % {"title": story.case_title},
                        content,
                    )
                )
    for article in selectors.announcements_with_photos(consultation):
        for number, photo in enumerate(article.shown_photos, start=1):
            content = _read(photo.image)
            if content is not None:
                story.photos.append(
                    Photo(
                        f"{PHOTO_DIR}/{_('新闻%(article)d-照片%(n)d') % {'article': article.pk, 'n': number}}.jpg",
                        _("已发布的%(kind)s“%(title)s”的照片")
                        % {"kind": article.get_kind_display(), "title": article.title},
                        content,
                    )
                )
    return story


def _text(story: Story) -> str:
    lines = [story.title, ""]
    lines += [f"{label}：{value}" for label, value in story.facts]
    if story.summary:
        lines += ["", _("一、协商结果"), story.summary]
    if story.items:
        lines += ["", _("二、协商建议及落实情况"), *story.items]
    if story.ratings:
        lines += ["", _("三、群众评议"), story.ratings]
    if story.case_story:
        lines += ["", _("典型案例：%(title)s") % {"title": story.case_title}, story.case_story]
    return "\n".join(lines) + "\n"


def _html(story: Story) -> str:
    def paragraphs(text: str) -> str:
        return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())

    parts = [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(story.title)}</title></head><body>",
        f"<h1>{escape(story.title)}</h1><dl>",
        *(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in story.facts),
        "</dl>",
    ]
    if story.summary:
        parts += [f"<h2>{escape(_('一、协商结果'))}</h2>", paragraphs(story.summary)]
    if story.items:
        parts += [f"<h2>{escape(_('二、协商建议及落实情况'))}</h2><ol>"]
        parts += [f"<li>{escape(line.split('. ', 1)[-1])}</li>" for line in story.items]
        parts += ["</ol>"]
    if story.ratings:
        parts += [f"<h2>{escape(_('三、群众评议'))}</h2><p>{escape(story.ratings)}</p>"]
    if story.case_story:
        parts += [f"<h2>{escape(story.case_title)}</h2>", paragraphs(story.case_story)]
    for photo in story.photos:
        name, source = escape(photo.name), escape(photo.source)
        parts.append(f'<figure><img src="{name}" alt="{source}"><figcaption>{source}</figcaption></figure>')
    parts.append("</body></html>")
    return "\n".join(parts)


def _docx(story: Story) -> bytes:
    document = word.a4_document()
    word.set_title(document, story.title)
    word.add_heading(document, story.title, level=0)
    for label, value in story.facts:
        word.add_paragraph(document, f"{label}：{value}")
    sections = [
        (_("一、协商结果"), story.summary.splitlines()),
        (_("二、协商建议及落实情况"), story.items),
        (_("三、群众评议"), [story.ratings] if story.ratings else []),
    ]
    if story.case_story:
        sections.append((_("典型案例：%(title)s") % {"title": story.case_title}, story.case_story.splitlines()))
    for heading, lines in sections:
        lines = [line for line in lines if line.strip()]
        if not lines:
            continue
        word.add_heading(document, heading, level=1)
        for line in lines:
            word.add_paragraph(document, line)
    return word.document_bytes(document)


def _note(story: Story, consultation: Consultation, result_url: str) -> str:
    lines = [
        _("融媒体中心素材包：%(title)s") % {"title": story.title},
        _("生成时间：%(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        _("来源：%(platform)s，协商结果公开页面 %(url)s") % {"platform": consultation.platform.name, "url": result_url},
        _(
            "本素材包只含已经公开的内容：结果说明、各条建议及办理情况、群众评议汇总和已公开的照片；不含任何群众的姓名和电话。"
        ),
        "",
        _("文件清单："),
        _("%(name)s.docx、%(name)s.txt、%(name)s.html：稿件（同一内容的三种格式）") % {"name": STORY},
    ]
    lines += [f"{photo.name}：{photo.source}" for photo in story.photos]
    if not story.photos:
        lines.append(_("（没有已公开的照片）"))
    return "\n".join(lines) + "\n"


def package_zip(consultation: Consultation, result_url: str) -> bytes:
    """The ZIP of ``consultation`` (from ``board_consultations``, with its publication)."""
    story = build_story(consultation)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{STORY}.docx", _docx(story))
        archive.writestr(f"{STORY}.txt", _text(story))
        archive.writestr(f"{STORY}.html", _html(story))
        for photo in story.photos:
            archive.writestr(photo.name, photo.content, compress_type=zipfile.ZIP_STORED)
        archive.writestr(NOTE, _note(story, consultation, result_url))
    return buffer.getvalue()
