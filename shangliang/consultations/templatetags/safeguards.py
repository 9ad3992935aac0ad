"""What the pages say about an item beyond the session: contested, voted, corrected, decided."""

from django import template

from shangliang.consultations import safeguards

register = template.Library()


@register.inclusion_tag("consultations/_suggestion_marks.html")
def suggestion_marks(suggestion, decision=True):
    """The marks of ``suggestion`` as badges and lines (``safeguards.suggestion_marks``); ``decision=False``
    where the page states the decision and its reason beside it."""
    return {"marks": safeguards.suggestion_marks(suggestion, decision=decision)}
