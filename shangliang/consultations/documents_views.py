"""Downloads for staff who may see a consultation: the notice, the minutes, and the sign-in QR code for the door."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shangliang.consultations import documents
from shangliang.consultations.permissions import get_consultation_for_view
from shangliang.core.documents.responses import DOCX, PDF, download
from shangliang.core.qr import qr_response
from shangliang.orgs.access import staff_required


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


@staff_required
@require_GET
def sign_in_qr(request, pk, fmt):
    consultation = get_consultation_for_view(request.user, pk)
    download = f"sign-in-qr-{consultation.pk}" if request.GET.get("download") else None
    return qr_response(documents.sign_in_url(request, consultation), fmt, download_name=download)
