"""The ``points`` filter: points and scores without trailing zeros ("61", "61.5"), on every page."""

from django import template

from shangliang.points.formatting import points_text

register = template.Library()


@register.filter
def points(value) -> str:
    return points_text(value)
