"""The sections a consultation report (协商报告) writes from the record: the fact-finding before the
session (调研情况) and who took part in it (协商情况), and the people who sign a proposal or bulletin.

``services.report_text`` puts them in the draft, so the convener can still correct them before sending;
the documents (``documents/outcome_report.py``) print the signatories' fields from the report's rows.
"""

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from shangliang.consultations.models import Consultation
from shangliang.consultations.states import ParticipantCategory
from shangliang.core.phones import mask_mobile
from shangliang.outcomes.models import OutcomeReport

NUMERALS = "一二三四五六七八九十"


def numbered(index: int, heading: str) -> str:
    """``numbered(1, "调研情况")`` → "二、调研情况" (0-based index)."""
    return f"{NUMERALS[index]}、{heading}"


def _date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def research_lines(consultation: Consultation) -> list[str]:
    """One line per research record, oldest first: when, where, who (members by name, the others as
    written) and what was found."""
    lines = []
    for research in consultation.research.prefetch_related("members").order_by("researched_on", "pk"):
        members = "、".join(member.name for member in research.members.all())
        people = research.researchers.strip()
        if members and people:
            people = _("%(people)s（其中政协委员：%(members)s）") % {"people": people, "members": members}
        elif members:
            people = _("政协委员%(members)s") % {"members": members}
        line = _("%(date)s，%(people)s到%(place)s调研。%(findings)s") % {
            "date": _date(research.researched_on),
            "people": people,
            "place": research.place.strip(),
            "findings": research.findings.strip(),
        }
        if research.policies.strip():
            line += _("查阅政策：%(policies)s") % {"policies": research.policies.strip()}
        lines.append(line)
    return lines


def attendance(consultation: Consultation) -> tuple[bool, list]:
    """Who took part: those who signed in, when the session recorded sign-ins; otherwise everyone invited.
    Returns (from sign-ins, participants)."""
    participants = list(consultation.participants.select_related("member"))
    signed = [p for p in participants if p.signed_in_at]
    return (True, signed) if signed else (False, participants)


def attendance_lines(consultation: Consultation) -> list[str]:
    """The session's participants by category with counts, and the members by name."""
    from_sign_ins, people = attendance(consultation)
    if not people:
        return []
    counts = Counter(p.category for p in people)
    parts = [
        _("%(category)s%(count)d人") % {"category": category.label, "count": counts[category]}
        for category in ParticipantCategory
        if counts[category]
    ]
    lead = _("参加协商%(count)d人（据签到）") if from_sign_ins else _("参加协商%(count)d人")
    lines = [(lead % {"count": len(people)}) + _("，其中") + "、".join(parts) + "。"]
    members = [p.member.name if p.member else p.name for p in people if p.category == ParticipantCategory.MEMBER]
    if members:
        lines.append(_("参加协商的政协委员：%(names)s。") % {"names": "、".join(members)})
    return lines


@dataclass
class Signatories:
    """The lead signatory (提案人 / 反映人) and the seconders (附议人) of a proposal or bulletin."""

    name: str = ""
    sector: str = ""
    workplace: str = ""
    phone: str = ""
    seconders: str = ""

    @property
    def lead(self) -> str:
        """ "姓名（界别）" for the staff page."""
        if not self.name:
            return ""
        return f"{self.name}（{self.sector}）" if self.sector else self.name


def signatories(report: OutcomeReport, *, full_mobile: bool = False) -> Signatories:
    """The report's signatories. The lead's mobile is masked unless ``full_mobile`` (the CPPCC office's
    own page); printed copies always mask it."""
    members = list(report.members.select_related("sector"))
    lead = report.lead_member
    if lead is None and members and report.kind != "consultation_report":
        lead = members[0]
    if lead is None:
        return Signatories(seconders="、".join(m.name for m in members))
    return Signatories(
        name=lead.name,
        sector=lead.sector.name if lead.sector_id else "",
        workplace=lead.workplace,
        phone=lead.mobile if full_mobile else mask_mobile(lead.mobile),
        seconders="、".join(m.name for m in members if m.pk != lead.pk),
    )


def consultation_report_sections(consultation: Consultation) -> list[str]:
    """The body of a 协商报告 after its opening line: 基本情况, 调研情况, 协商情况 (who took part), 协商意见建议
    and 不同意见及解释说明, numbered in order, each present only when the record has it."""
    sections: list[tuple[str, list[str]]] = []
    topic = consultation.topic
    if topic.background.strip():
        sections.append((_("基本情况"), [topic.background.strip()]))
    if research := research_lines(consultation):
        sections.append((_("调研情况"), research))
    if taking_part := attendance_lines(consultation):
        sections.append((_("协商情况"), taking_part))
    suggestions = [f"{n}. {s.text.strip()}" for n, s in enumerate(consultation.suggestions.all(), start=1)]
    sections.append((_("协商意见建议"), suggestions))
    dissents = []
    for dissent in consultation.dissents.all():
        line = dissent.view.strip()
        if dissent.explanation:
            line += _("（解释说明：%(text)s）") % {"text": dissent.explanation.strip()}
        dissents.append(f"- {line}")
    if dissents:
        sections.append((_("不同意见及解释说明"), dissents))
    lines: list[str] = []
    for index, (heading, body) in enumerate(sections):
        lines += ["", numbered(index, heading), *body]
    return lines
