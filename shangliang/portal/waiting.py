"""What waits for a user on the home page.

Each later stage adds a provider: a function (user) -> list of WaitingItem. The home page
shows them grouped; with no providers yet the list is empty but the page is ready.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class WaitingItem:
    title: str
    url: str
    kind: str
    due: str = ""


PROVIDERS = []


def waiting_for(user) -> list[WaitingItem]:
    items = []
    for provider in PROVIDERS:
        items.extend(provider(user))
    return items
