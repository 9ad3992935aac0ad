"""Printable documents of a consultation: the advance notice (PDF) and the minutes (PDF and Word).

Typography, fonts and page layout come from ``core.documents``.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.shared import Pt
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Spacer, Table, TableStyle

from shangliang.consultations import safeguards
from shangliang.consultations.models import Consultation
from shangliang.consultations.services import last_rescheduled_at, session_when
from shangliang.consultations.states import ExplanationOutcome, Mode
from shangliang.core.documents import pdf, word
from shangliang.core.documents.formats import chinese_date, chinese_date_time
from shangliang.core.documents.pdf import BODY, HEADING, INDENTED, LISTED, PLAIN, RED, RIGHT, SMALL, TEXT_WIDTH, TITLE
from shangliang.core.documents.pdf import paragraph as _p
from shangliang.core.links import absolute_url

# Literal calls, so makemessages finds each name.
WEEKDAYS = [
    gettext_lazy("星期一"),
    gettext_lazy("星期二"),
    gettext_lazy("星期三"),
    gettext_lazy("星期四"),
    gettext_lazy("星期五"),
    gettext_lazy("星期六"),
    gettext_lazy("星期日"),
]


def public_url(request, consultation: Consultation) -> str:
    return absolute_url(reverse("consultations:public_page", args=[consultation.pk]), request)


def door_url(request, consultation: Consultation, code: str) -> str:
    """The address the door QR opens (``door.py``); shown at the session only, never on the notice."""
    return absolute_url(reverse("consultations:door", args=[consultation.pk, code]), request)


def _when(consultation: Consultation) -> str:
    start, end = timezone.localtime(consultation.starts_at), timezone.localtime(consultation.ends_at)
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{chinese_date(end)} {end:%H:%M}"
    return f"{chinese_date(start)}（{WEEKDAYS[start.weekday()]}）{start:%H:%M}–{until}"


def research_findings(consultation: Consultation) -> list[str]:
    """What the fact-finding found, for the notice (知情明政): the day, the place and the findings, in the
    order of the research; no names of the people who researched."""
    return [
        _("%(number)d. %(date)s在%(place)s调研：%(findings)s")
        % {
            "number": number,
            "date": chinese_date(research.researched_on),
            "place": research.place.strip(),
            "findings": " ".join(research.findings.split()),
        }
        for number, research in enumerate(consultation.research.order_by("researched_on", "pk"), start=1)
    ]


def notice_contact(consultation: Consultation) -> str:
    """联系人 on the notice: the platform's person in charge and its office phone (both public), else the
    convener (named on the notice already; no personal number)."""
    platform = consultation.platform
    name = platform.keeper_name.strip() or consultation.convener.display_name
    if platform.contact_phone.strip():
        return _("%(name)s，电话：%(phone)s") % {"name": name, "phone": platform.contact_phone.strip()}
    return name


def notice_pdf(consultation: Consultation, request) -> bytes:
    """The advance notice (事先知情通报) as a village would post it, with QR codes to sign up and to join.

    No door sign-in code: it is shown at the session only (the screen or the sheet printed that day),
    so the notice cannot be used to sign in from home.
    """
    topic, form = consultation.topic, consultation.session_format.name
    start = timezone.localtime(consultation.starts_at)
    title = _("关于召开“%(title)s”%(form)s的通知") % {"title": topic.title, "form": form}
    story = [pdf.fitted(title, TITLE), _p(_("各位参会代表："))]
    story += [_p(line.strip(), BODY) for line in topic.background.splitlines() if line.strip()]
    story.append(
        _p(
            _("为充分听取各方意见、推动问题解决，经研究，定于%(date)s召开“%(title)s”%(form)s。现将有关事项通知如下：")
            % {"date": chinese_date(start), "title": topic.title, "form": form},
            BODY,
        )
    )
    sections = [
        _("一、时间：%(when)s") % {"when": _when(consultation)},
        _("二、地点：%(place)s") % {"place": consultation.place or consultation.platform.name},
        _("三、协商形式：%(form)s") % {"form": form},
        _("四、协商方式：%(mode)s") % {"mode": consultation.get_mode_display()},
        _("五、召集人：%(name)s") % {"name": consultation.convener.display_name},
        _("六、议程："),
    ]
    story += [_p(text, BODY) for text in sections]
    agenda = [
        _("%(number)d. %(title)s（%(minutes)d分钟）") % {"number": n, "title": item.title, "minutes": item.minutes}
        for n, item in enumerate(consultation.agenda.all(), start=1)
    ]
    story += [_p(line, LISTED) for line in agenda or [_("会上确定")]]
    findings = research_findings(consultation)
    if findings:
        story.append(_p(_("七、前期调研情况："), BODY))
        story += [_p(line, LISTED) for line in findings]
    contact_number = _("八、") if findings else _("七、")
    story.append(_p(contact_number + _("联系人：%(contact)s") % {"contact": notice_contact(consultation)}, BODY))
    deadline = start.date() - datetime.timedelta(days=1)
    story.append(
        _p(
            _("请于%(deadline)s前回复是否参加，可通过通知短信或微信中的链接回复，也可直接告知召集人。")
            % {"deadline": chinese_date(deadline)},
            BODY,
        )
    )
    if consultation.mode != Mode.ONLINE:
        story.append(_p(_("请于会议当天到会场后扫描现场签到屏上的二维码签到，或请现场工作人员签到。"), BODY))
    url = public_url(request, consultation)
    codes = [pdf.qr_with_caption(url, _("扫码报名参加"))]
    if consultation.is_online:
        codes.append(pdf.qr_with_caption(f"{url}#online", _("扫码参加网上协商")))
    rescheduled = last_rescheduled_at(consultation)
    if rescheduled:
        story.append(_p(_("本通知为协商时间变更通知，原定时间作废，以本通知所列时间为准。"), BODY))
    issued_on = chinese_date(rescheduled or consultation.notified_at or timezone.now())
    issuer = [_p(consultation.platform.name, RIGHT), _p(issued_on, RIGHT)]
    qr_width = 40 * mm * len(codes)
    footer = Table([[*codes, issuer]], colWidths=[40 * mm] * len(codes) + [TEXT_WIDTH - qr_width])
    footer.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("ALIGN", (0, 0), (len(codes) - 1, 0), "CENTER")])
    )
    story += [Spacer(1, 10 * mm), footer]
    return pdf.build_pdf(story, title=title)


@dataclass
class _Minutes:
    """What both the PDF and the Word minutes print, in print order."""

    title: str
    header: list[str]
    lines: list[str]
    suggestions: list[str]
    dissents: list[tuple[str, str]]
    closing: str
    is_confirmed: bool


def _suggestion_line(suggestion) -> str:
    """An item as printed: its number and text, and what happened to it (contested, voted …)."""
    marks = safeguards.suggestion_marks_text(suggestion)
    return f"{suggestion.order}. {suggestion.text}" + (f"（{marks}）" if marks else "")


def _minutes(consultation: Consultation) -> _Minutes:
    topic = consultation.topic.title
    # The same wording as services.minutes_draft, so the draft's own header lines can be recognised below.
    header = [
        _("时间：%(when)s") % {"when": session_when(consultation)},
        _("地点：%(place)s") % {"place": consultation.place or consultation.platform.name},
        _("形式：%(form)s（%(mode)s）")
        % {"form": consultation.session_format.name, "mode": consultation.get_mode_display()},
        _("召集人：%(name)s") % {"name": consultation.convener.display_name},
    ]
    # The draft starts with the title and header; printed under the document's own header they would repeat.
    # Drafts written before the minutes took the session's real opening time name the notified start.
    planned = _("时间：%(when)s") % {"when": chinese_date_time(consultation.starts_at)}
    repeated = {*header, planned, _("%(title)s 协商会议纪要") % {"title": topic}}
    lines = consultation.minutes.rstrip().splitlines()
    while lines and (not lines[0].strip() or lines[0].strip() in repeated):
        lines.pop(0)
    dissents = []
    for d in consultation.dissents.select_related("suggestion"):
        outcome = _("解释结果：%(outcome)s") % {"outcome": d.get_outcome_display()}
        if d.suggestion:
            outcome += _("（针对第%(n)d条建议）") % {"n": d.suggestion.order}
        if d.outcome == ExplanationOutcome.UNABLE:
            outcome += _("；未能解释的原因：%(reason)s") % {"reason": d.explanation}
        elif d.outcome == ExplanationOutcome.PENDING and d.explain_due_on:
            outcome += _("；应于%(date)s前解释说明") % {"date": chinese_date(d.explain_due_on)}
        elif d.explanation:
            how = f"（{d.explanation_method}）" if d.explanation_method else ""
            outcome += _("；解释说明%(how)s：%(explanation)s") % {"how": how, "explanation": d.explanation}
        dissents.append((_("%(holder)s：%(view)s") % {"holder": d.holder, "view": d.view}, outcome))
    confirmed_at = consultation.minutes_confirmed_at
    return _Minutes(
        title=_("“%(title)s”协商会议纪要") % {"title": topic},
        header=header,
        lines=lines or [_("（纪要尚未填写）")],
        suggestions=[_suggestion_line(s) for s in consultation.suggestions.all()],
        dissents=dissents,
        closing=(_("纪要已由召集人于%(date)s确认") % {"date": chinese_date(confirmed_at)})
        if confirmed_at
        else _("纪要尚未确认（草稿）"),
        is_confirmed=bool(confirmed_at),
    )


def minutes_pdf(consultation: Consultation) -> bytes:
    """The minutes with suggestions and dissents; every page of unconfirmed minutes carries a draft watermark."""
    m = _minutes(consultation)
    header = Table(
        [[_p(m.header[0], SMALL), _p(m.header[1], SMALL)], [_p(m.header[2], SMALL), _p(m.header[3], SMALL)]],
        colWidths=[TEXT_WIDTH / 2] * 2,
    )
    header.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    rule = HRFlowable(width="100%", color=colors.grey, spaceBefore=4, spaceAfter=8)
    story = [pdf.fitted(m.title, TITLE), header, rule]
    for line in m.lines:
        # The draft indents statements under their agenda item; keep that as an indent, not as spaces.
        story.append(_p(line.strip(), INDENTED if line[:1].isspace() else PLAIN) if line.strip() else Spacer(1, 6))
    story.append(_p(_("协商建议"), HEADING))
    story += [_p(text) for text in m.suggestions or [_("暂无")]]
    story.append(_p(_("不同意见"), HEADING))
    for view, outcome in m.dissents:
        story += [_p(view), _p(outcome, INDENTED)]
    if not m.dissents:
        story.append(_p(_("暂无")))
    closing = ParagraphStyle("closing", parent=RIGHT, textColor=colors.black if m.is_confirmed else RED)
    story += [Spacer(1, 10 * mm), _p(m.closing, closing)]

    def decorate(canvas, doc):
        canvas.saveState()
        pdf.page_number(canvas, doc)
        if not m.is_confirmed:
            canvas.setFillColor(colors.Color(0.75, 0.2, 0.15, alpha=0.15))
            canvas.setFont(pdf.font(), 40)
            canvas.translate(A4[0] / 2, A4[1] / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, 0, m.closing)
        canvas.restoreState()

    return pdf.build_pdf(story, title=m.title, on_page=decorate)


def minutes_docx(consultation: Consultation) -> bytes:
    """The minutes as a Word file to edit and print; unconfirmed minutes say so in the page header."""
    m = _minutes(consultation)
    # The official style of every Word document (core.documents.word): black 小标宋 title, 仿宋 body.
    doc = word.a4_document()
    word.set_title(doc, m.title)
    section = doc.sections[0]
    if not m.is_confirmed:
        label = section.header.paragraphs[0]
        label.alignment = word.CENTER
        word.add_run(label, m.closing, bold=True, color=word.RED)
    word.add_heading(doc, m.title, level=0)
    header = [word.add_paragraph(doc, line) for line in m.header]
    word.bottom_rule(header[-1], color=word.RULE_GREY, size=6, space_after=word.BODY_SIZE / 2)
    for line in filter(str.strip, m.lines):
        paragraph = word.add_paragraph(doc, line.strip(), style=word.BODY_TEXT)
        if line[:1].isspace():
            paragraph.paragraph_format.left_indent = Pt(word.BODY_SIZE * 2)
    word.add_heading(doc, _("协商建议"), level=1)
    for text in m.suggestions or [_("暂无")]:
        word.add_paragraph(doc, text, style=word.BODY_TEXT)
    word.add_heading(doc, _("不同意见"), level=1)
    for view, outcome in m.dissents:
        word.add_paragraph(doc, view, style=word.BODY_TEXT)
        word.add_paragraph(doc, outcome, style=word.BODY_TEXT).paragraph_format.left_indent = Pt(word.BODY_SIZE * 2)
    if not m.dissents:
        word.add_paragraph(doc, _("暂无"), style=word.BODY_TEXT)
    closing = word.add_paragraph(doc, m.closing, alignment=word.RIGHT, color=None if m.is_confirmed else word.RED)
    closing.paragraph_format.space_before = Pt(word.BODY_SIZE * 2)
    return word.document_bytes(doc)
