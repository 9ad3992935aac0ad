"""What the consultation pages ask about its time: whether the session may open yet."""

from django import template

from shangliang.consultations import services

register = template.Library()


@register.simple_tag
def session_open_refusal(consultation) -> str:
    """Why the session of ``consultation`` cannot open now for its time, or "" when it may."""
    return services.session_open_refusal(consultation)
