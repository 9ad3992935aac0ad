"""The readers of the six-haves read from the records (``orgs/six_haves.py``), registered when the app
loads: 有活动 = consultations held on the platform, 有实效 = items of its consultations done, both in the
last twelve months. The one definition of both; ``docs/figures.md`` gives the formulas.
"""

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from shangliang.consultations.models import Consultation
from shangliang.consultations.selectors import HELD_AT, held_q
from shangliang.orgs import six_haves
from shangliang.orgs.states import SixHave
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import AssignmentStatus

SHOWN = 5


def held(platform_ids, since):
    return Consultation.objects.filter(held_q(), platform_id__in=platform_ids, **{f"{HELD_AT}__gte": since})


def done(platform_ids, since):
    return Assignment.objects.filter(
        status=AssignmentStatus.DONE,
        is_archived=False,
        done_at__gte=since,
        suggestion__consultation__platform_id__in=platform_ids,
    )


def _counts(queryset, key: str) -> dict[int, int]:
    return dict(queryset.order_by().values_list(key).annotate(n=Count("pk")))


def activities_counts(platform_ids, since) -> dict[int, int]:
    return _counts(held(platform_ids, since), "platform_id")


def results_counts(platform_ids, since) -> dict[int, int]:
    return _counts(done(platform_ids, since), "suggestion__consultation__platform_id")


def recent_activities(platform, since) -> list[tuple[str, str]]:
    rows = held([platform.pk], since).select_related("topic").order_by(f"-{HELD_AT}")[:SHOWN]
    return [(f"{c.in_session_at:%Y-%m-%d} {c.topic.title}", reverse("consultations:detail", args=[c.pk])) for c in rows]


def recent_results(platform, since) -> list[tuple[str, str]]:
    rows = done([platform.pk], since).select_related("suggestion").order_by("-done_at")[:SHOWN]
    return [(f"{a.done_at:%Y-%m-%d} {a.suggestion.text}", reverse("outcomes:assignment", args=[a.pk])) for a in rows]


def results_list_url(platform) -> str:
    return f"{reverse('outcomes:board')}?{urlencode({'platform': platform.pk, 'state': AssignmentStatus.DONE})}"


def register() -> None:
    six_haves.register(
        SixHave.ACTIVITIES,
        six_haves.Reader(counts=activities_counts, recent=recent_activities, noun=gettext_lazy("次协商")),
    )
    six_haves.register(
        SixHave.RESULTS,
        six_haves.Reader(
            counts=results_counts, recent=recent_results, list_url=results_list_url, noun=gettext_lazy("件事项办结")
        ),
    )
