"""Targets, scoring schemes and the committees' inspections of the demo district.

Run after the demo district (and ideally its consultations) exists. For each of the last three
years every township gets a target (at least 2 consultations; the two largest towns 3, with a
satisfaction target of 85%) and the year gets the default scheme. Each committee's linked stations
get a research visit most months of last year and this year up to last month, and a full inspection
each half year, with a few realistic gaps: some months missed, and one committee that skipped its
second-half inspection last year. Every row goes through the services as the demo administrator.
Running it again changes nothing.
"""

import random
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shangliang.demo import district
from shangliang.demo.content import load
from shangliang.orgs.models import ContactLink, Region
from shangliang.orgs.states import RegionLevel, UnitKind
from shangliang.scoring import services
from shangliang.scoring.models import AnnualTarget, Inspection
from shangliang.scoring.states import InspectionKind

SEED = district.SEED + 6
BIG_TOWNS = 2
MISSED_MONTH_SHARE = 0.12
_SCORING = load("scoring")
FINDINGS = tuple(_SCORING["findings"])
FULL_FINDINGS = tuple(_SCORING["full_findings"])
# An empty problem is a visit that found none.
PROBLEMS = tuple(_SCORING["problems"])


def build_demo_scoring(*, stdout=None) -> dict:
    """Targets and schemes for the last three years and inspections for last year and this year.

    Returns counts of what exists afterwards; an empty dict when there is no demo district.
    """
    root = Region.objects.filter(code=district.DISTRICT_CODE).first()
    if root is None:
        return {}
    actor = get_user_model().objects.filter(username="admin").first()
    rng = random.Random(SEED)
    today = timezone.localdate()
    with transaction.atomic():
        townships = list(Region.objects.filter(level=RegionLevel.TOWNSHIP, path__startswith=root.path).order_by("path"))
        for year in range(today.year - 2, today.year + 1):
            services.scheme_set(
                actor=actor,
                year=year,
                weight_consultations=30,
                weight_on_time=30,
                weight_replies=15,
                weight_satisfaction=25,
            )
            for index, township in enumerate(townships):
                big = index < BIG_TOWNS
                services.target_set(
                    actor=actor,
                    year=year,
                    region=township,
                    min_consultations=3 if big else 2,
                    min_satisfaction_rate=85 if big else None,
                )
        made = 0
        links = (
            ContactLink.objects.filter(
                committee__kind=UnitKind.CPPCC_COMMITTEE,
                platform__region__path__startswith=root.path,
                ended_on__isnull=True,
            )
            .select_related("committee", "platform")
            .order_by("committee__name", "platform__name")
        )
        already = Inspection.objects.filter(platform__region__path__startswith=root.path).exists()
        for number, link in enumerate([] if already else links):
            for year in (today.year - 1, today.year):
                made += _inspect(actor, rng, link, year, today, skip_second_half=(number == 0 and year < today.year))
    counts = {
        "targets": AnnualTarget.objects.filter(region__path__startswith=root.path).count(),
        "inspections": Inspection.objects.filter(platform__region__path__startswith=root.path).count(),
        "inspections_made": made,
    }
    if stdout is not None:
        stdout.write(f"考核督导：目标任务 {counts['targets']} 条，督导记录 {counts['inspections']} 条")
    return counts


def _inspect(actor, rng: random.Random, link, year: int, today: date, *, skip_second_half: bool) -> int:
    made = 0
    last_month = 12 if year < today.year else today.month - 1
    for month in range(1, last_month + 1):
        day = date(year, month, rng.randint(3, 26))
        if day < link.started_on or rng.random() < MISSED_MONTH_SHARE:
            continue
        full = month in (5, 11) and not (skip_second_half and month == 11)
        services.inspection_record(
            actor=actor,
            committee=link.committee,
            platform=link.platform,
            kind=InspectionKind.FULL_INSPECTION if full else InspectionKind.RESEARCH_VISIT,
            visited_on=day,
            findings=rng.choice(FULL_FINDINGS if full else FINDINGS),
            problems=rng.choice(PROBLEMS),
            today=today,
        )
        made += 1
    return made
