"""The news of a consultation on its own pages: its session announcement (协商预告) and the link to write one.

Used by the consultation's staff page and public page, which sit in a lower layer and cannot import this
app; a template tag reaches across without an import.
"""

from django import template

from shangliang.publicity import permissions, selectors, services

register = template.Library()


@register.inclusion_tag("publicity/_consultation_news.html", takes_context=True)
def consultation_news(context, consultation, *, staff=False):
    """The published items of ``consultation``; on the staff page also the link to announce it (one query)."""
    user = context["request"].user
    can_announce = (
        staff
        and getattr(user, "is_authenticated", False)
        and services.is_announceable(consultation)
        and permissions.can_announce(user, consultation)
    )
    return {
        "articles": selectors.announcements_of(consultation),
        "can_announce": can_announce,
        "consultation": consultation,
        "staff": staff,
    }
