"""The township's legal review on the consultation and outcome pages: required and pending, or its result."""

from django import template

from shangliang.consultations import legal, permissions
from shangliang.orgs.states import Role

register = template.Library()


@register.inclusion_tag("consultations/legal_review_result.html", takes_context=True)
def legal_review_status(context, consultation):
    """The review's card for ``consultation`` (nothing for a resolution above the village level)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "c": consultation,
        "status": legal.review_status(consultation),
        "reviewer_role": Role.LEGAL_REVIEWER.label,
        "can_review": user is not None and permissions.can_review_legality(user, consultation),
        "link": True,
    }
