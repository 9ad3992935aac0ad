"""Links to drill-downs and the figures' formats, for the dashboard's templates."""

from django import template

from shangliang.core.documents.formats import percent as percent_text
from shangliang.dashboard import links

register = template.Library()


@register.simple_tag(takes_context=True)
def drill(context, key, value="", region=None):
    """The records page behind figure ``key`` (narrowed by ``value``) in the page's scope or in ``region``."""
    return links.records_url(context["scope"], key, str(value) if value else "", region)


@register.simple_tag(takes_context=True)
def dashboard_of(context, region):
    return links.dashboard_url(links.narrowed(context["scope"], region))


@register.filter
def percent(value):
    """A share as a percentage with one decimal; a dash when there is nothing to divide by."""
    return percent_text(value)
