from django import template

from shangliang.outcomes import measures
from shangliang.outcomes.measure_views import MeasureForm, MeasureWithdrawForm

register = template.Library()


@register.inclusion_tag("outcomes/_measures.html", takes_context=True)
def item_measures(context, assignment):
    """The implemented measures of an item and, for who may record them, the forms (on the item's page)."""
    user = context["request"].user
    can_record = measures.can_record_measures(user, assignment)
    return {
        "a": assignment,
        "measures": list(measures.measures_of(assignment)),
        "can_record": can_record,
        "is_open": assignment.status in measures.OPEN_FOR_MEASURES,
        "form": MeasureForm() if can_record else None,
        "withdraw_form": MeasureWithdrawForm() if can_record else None,
        "csrf_token": context.get("csrf_token"),
    }
