"""Filters of the assessment pages: shares shown as percentages, dict lookups by key."""

from django import template

from shangliang.scoring.documents import percent_text

register = template.Library()


@register.filter
def percent(share):
    """0.857 → 85.7%; None (nothing to count) → a dash."""
    return percent_text(share)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
