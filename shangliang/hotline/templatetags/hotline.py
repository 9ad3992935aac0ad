"""The hotline's line on the supervision board (``hotline/_board.html``, included by outcomes)."""

from django import template

from shangliang.hotline import permissions, selectors

register = template.Library()


@register.inclusion_tag("hotline/_board_line.html", takes_context=True)
def low_hotline_replies(context):
    """How many hotline records in the user's scope have a low-quality unit reply, linking to their list;
    nothing for who cannot read hotline records. One query."""
    user = context["user"]
    if not permissions.can_read(user):
        return {"count": None}
    return {"count": selectors.low_replies(permissions.records_visible_to(user)).count()}
