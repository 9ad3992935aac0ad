"""Downloads and door pages for staff of a consultation: the notice, the minutes, and the door sign-in.

The door sign-in code (``door.py``) is shown only to those who run the consultation: on the
sign-in screen (签到屏) for a projector or a tablet at the door, which refreshes itself, and on the
sheet printed on the session's day (打印签到码) for a room without a screen.
"""

from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shangliang.consultations import documents, door, services
from shangliang.consultations.permissions import get_consultation_for_running, get_consultation_for_view
from shangliang.consultations.states import ConsultationStatus
from shangliang.core.documents.formats import chinese_date
from shangliang.core.documents.responses import DOCX, PDF, download
from shangliang.core.qr import qr_response
from shangliang.orgs.access import staff_required

# The screen asks for a fresh code this often; a code stays good for one to two rotation periods.
SCREEN_POLL_SECONDS = 30


def _download(content: bytes, content_type: str, consultation, kind: str, ext: str) -> HttpResponse:
    return download(content, content_type, f"{consultation.topic.title}-{kind}", ext)


@staff_required
@require_GET
def notice_pdf(request, pk):
    consultation = get_consultation_for_view(request.user, pk)
    return _download(documents.notice_pdf(consultation, request), PDF, consultation, _("协商通知"), "pdf")


@staff_required
@require_GET
def minutes_pdf(request, pk):
    consultation = get_consultation_for_view(request.user, pk)
    return _download(documents.minutes_pdf(consultation), PDF, consultation, _("会议纪要"), "pdf")


@staff_required
@require_GET
def minutes_docx(request, pk):
    consultation = get_consultation_for_view(request.user, pk)
    return _download(documents.minutes_docx(consultation), DOCX, consultation, _("会议纪要"), "docx")


# --- the door sign-in ----------------------------------------------------------------------


def _qr_src(consultation, code: str, fmt: str = "svg") -> str:
    return reverse("consultations:sign_in_qr", args=[consultation.pk, fmt]) + f"?code={code}"


@staff_required
@require_GET
def sign_in_qr(request, pk, fmt):
    """The door QR: of ``?code=`` (a code of this consultation), today's printed code (``?day=1``,
    on the session's date only) or else the screen's current code."""
    consultation = get_consultation_for_running(request.user, pk)
    code = request.GET.get("code")
    if code is not None:
        if door.check(consultation, code) is door.Verdict.FORGED:
            raise Http404
    elif request.GET.get("day"):
        if not door.is_session_day(consultation):
            raise Http404
        code = door.day_code(consultation)
    else:
        code = door.screen_code(consultation)
    name = f"sign-in-qr-{consultation.pk}" if request.GET.get("download") else None
    response = qr_response(documents.door_url(request, consultation, code), fmt, download_name=name)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _signed_in_counts(consultation) -> dict:
    return consultation.participants.aggregate(
        total=Count("pk"), signed_in=Count("pk", filter=Q(signed_in_at__isnull=False) & ~Q(signed_in_via=""))
    )


def _screen_context(request, consultation) -> dict:
    refusal = services.self_sign_in_refusal(consultation)
    code = "" if refusal else door.screen_code(consultation)
    return {
        "c": consultation,
        "refusal": refusal,
        "code": code,
        "qr_src": _qr_src(consultation, code) if code else "",
        "counts": _signed_in_counts(consultation),
        "poll_seconds": SCREEN_POLL_SECONDS,
        "rotate_minutes": door.rotate_seconds() // 60,
    }


@staff_required
@require_GET
def door_screen(request, pk):
    """签到屏: the current door QR and the number signed in; htmx asks for it again every half minute."""
    consultation = get_consultation_for_running(request.user, pk)
    template = "consultations/_door_screen.html" if request.htmx else "consultations/door_screen.html"
    response = render(request, template, _screen_context(request, consultation))
    patch_cache_control(response, private=True, no_store=True)
    return response


@staff_required
@require_GET
def door_print(request, pk):
    """打印签到码: the day's code to print, on the session's date only (it works on that date only)."""
    consultation = get_consultation_for_running(request.user, pk)
    refusal = ""
    if consultation.status not in {ConsultationStatus.NOTIFIED, ConsultationStatus.IN_SESSION}:
        refusal = _("现在不能签到，没有可打印的签到码。")
    elif not door.is_session_day(consultation):
        refusal = _("签到码只能在协商当天（%(date)s）打印，仅当天有效。") % {
            "date": chinese_date(door.session_date(consultation))
        }
    code = "" if refusal else door.day_code(consultation)
    context = {
        "c": consultation,
        "refusal": refusal,
        "code": code,
        "qr_src": _qr_src(consultation, code) if code else "",
        "qr_png": _qr_src(consultation, code, "png") + "&download=1" if code else "",
        "opens_at": services.sign_in_opens_at(consultation),
        "session_date": door.session_date(consultation),
    }
    response = render(request, "consultations/door_print.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response
