"""The work around the loop in the demo district: members' reception hours, briefings and training, news,
the consultation funds, hand-offs to other channels, and the platforms' people in charge.

Each part has its own module with a ``build(*, users, district, yesterday) -> dict`` function listed in
``BUILDERS``; they run in order, in one transaction, after the loop's own history. Nothing is stamped today
(``yesterday`` is 09:00 of the day before; earlier moments are fine).
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shangliang.demo import district
from shangliang.demo import events as events_demo
from shangliang.demo import figures as figures_demo
from shangliang.demo import funds as funds_demo
from shangliang.demo import handoffs as handoffs_demo
from shangliang.demo import hotline as hotline_demo
from shangliang.demo import members as members_demo
from shangliang.demo import platforms as platforms_demo
from shangliang.demo import publicity as publicity_demo
from shangliang.orgs.models import Region

BUILDERS: list = [
    events_demo.build,
    figures_demo.build,
    handoffs_demo.build,
    funds_demo.build,
    members_demo.build,
    publicity_demo.build,
    platforms_demo.build,
    hotline_demo.build,
]


def build_demo_around(*, stdout=None) -> dict:
    """Run every part's builder; returns the counts they made."""
    counts = {}
    with transaction.atomic():
        users = {u.username: u for u in get_user_model().objects.filter(username__in=district.DEMO_USERNAMES)}
        the_district = Region.objects.get(code=district.DISTRICT_CODE)
        yesterday = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=1), time(9)))
        for build in BUILDERS:
            made = build(users=users, district=the_district, yesterday=yesterday)
            counts |= made
            if stdout is not None:
                stdout.write(f"  {build.__module__.rsplit('.', 1)[-1]}：{made}")
    return counts
