"""镇村联动 on the staff side: handing a village topic up to the township (``linkage.topic_escalate``)."""

from django import forms
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shangliang.core import limits
from shangliang.core.form_tokens import FormTokenMixin, submitted_once
from shangliang.core.forms import CleanTextMixin
from shangliang.core.views import form_page
from shangliang.orgs.access import staff_required
from shangliang.topics import linkage, permissions


class EscalateForm(CleanTextMixin, FormTokenMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("提请理由"),
        max_length=limits.NOTE,
        required=False,  # the service says what is missing, next to the field
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("如：涉及多个村（社区），村级协商无法解决，需由乡镇（街道）统筹"),
    )


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def topic_escalate(request, pk):
    """The village convener or the township station head hands a village topic up (提请乡镇（街道）协商)."""
    topic = permissions.get_topic_for_edit(request.user, pk)
    if topic.convening_level not in linkage.ESCALATABLE_LEVELS:
        raise Http404
    form = EscalateForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: linkage.topic_escalate(actor=request.user, topic=topic, reason=data["reason"]),
        success=_("已提请乡镇（街道）协商，乡镇（街道）联络站将拟定议题。"),
        then=lambda received: reverse("topics:topic_detail", args=[received.pk]),
        template="topics/topic_escalate.html",
        context=lambda: {
            "form": form,
            "topic": topic,
            "township": linkage.township_above(topic.convening_region),
            "refusal": linkage.escalation_refusal(topic) or "",
        },
        status=400 if request.method == "POST" else 200,
    )
