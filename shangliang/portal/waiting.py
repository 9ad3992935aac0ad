"""What waits for a user on the home page.

Each stage contributes a provider: a function (user) -> list of WaitingItem, built from that
stage's selectors. Providers answer with counts, so the home page stays a handful of queries.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from shangliang.topics.selectors import waiting_counts


@dataclass(frozen=True)
class WaitingItem:
    title: str
    url: str
    count: int


def topic_items(user) -> list[WaitingItem]:
    counts = waiting_counts(user)
    queue = reverse("topics:queue")
    items = [
        WaitingItem(_("待筛查的诉求"), f"{queue}?tab=submissions&status=submitted", counts.to_screen),
        WaitingItem(_("待核实拟定"), f"{queue}?tab=submissions&status=accepted", counts.to_draft),
        WaitingItem(_("待我审定的议题"), f"{queue}?tab=approve", counts.to_approve),
    ]
    return [item for item in items if item.count]


PROVIDERS = [topic_items]


def waiting_for(user) -> list[WaitingItem]:
    if not user.is_authenticated:
        return []
    items = []
    for provider in PROVIDERS:
        items.extend(provider(user))
    return items
