"""Add a district ten times the size of the demo district, for benchmarks.

Usage, on a copy of a freshly seeded demo database (never on a database people use):

    rm -f /tmp/demo.sqlite3
    export SHANGLIANG_DEBUG=1 SHANGLIANG_DATABASE_URL=sqlite:////tmp/demo.sqlite3
    .venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py seed_demo -v0
    cp /tmp/demo.sqlite3 /tmp/demo10.sqlite3
    SHANGLIANG_DATABASE_URL=sqlite:////tmp/demo10.sqlite3 .venv/bin/python bench/generate_district.py [--scale 10]

The new district 云溪区（×10） (code 330198000000) copies the demo district's rows ``--scale`` times:
each township with its villages, grids, units, platforms, committees, members and their
assignments, and the whole history of its submissions, topics, consultations, outcomes and
ratings. Copies keep every status, timestamp and choice of the row they copy, with every foreign
key pointing into the copy (shared rows stay shared: categories, consultation forms, sectors and
user accounts), so that pages and selectors count them as they count the demo. The district-level
rows (departments, sector rooms, district topics) are copied once per township copy as well, with
numbered names where a name must be unique. Rows are written with ``bulk_create`` and no history,
notification or feedback rows are copied: the generator is for reading pages, not for audits.

The demo administrator is given the administrator role in the new district, so ``bench/dashboard.py``
can open both districts with the same account. Prints the new district's primary key and counts.
"""

import argparse
import os
import sys
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shangliang.settings")
os.environ.setdefault("SHANGLIANG_DEBUG", "1")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import models, transaction  # noqa: E402

from shangliang.consultations.models import (  # noqa: E402
    AgendaItem,
    AssemblyVote,
    Consultation,
    Dissent,
    NoticeRead,
    OnlinePost,
    Participant,
    Research,
    Statement,
    Suggestion,
)
from shangliang.demo.district import DISTRICT_CODE  # noqa: E402
from shangliang.evaluation.models import FollowUp, Rating, ThirdPartyEvaluation  # noqa: E402
from shangliang.orgs.models import (  # noqa: E402
    CommitteeSeat,
    ConsultationCommittee,
    ContactLink,
    Member,
    MemberAssignment,
    Platform,
    PlatformCheck,
    Region,
    ScopedRole,
    Unit,
)
from shangliang.orgs.states import RegionLevel, Role  # noqa: E402
from shangliang.outcomes.models import (  # noqa: E402
    Assignment,
    ExtensionRequest,
    OutcomeReport,
    ProgressUpdate,
    Publication,
    Reminder,
)
from shangliang.topics.models import Reply, Submission, Topic, TopicSupport, Verification  # noqa: E402

BIG_CODE = "330198000000"
BIG_NAME = "云溪区（×10）"

# Copied in this order, each after the models its foreign keys point to.
COPIED = (
    Unit,
    Platform,
    PlatformCheck,
    ConsultationCommittee,
    CommitteeSeat,
    Member,
    MemberAssignment,
    ContactLink,
    Topic,
    Submission,
    Reply,
    Verification,
    TopicSupport,
    Consultation,
    AgendaItem,
    Participant,
    Research,
    NoticeRead,
    Statement,
    OnlinePost,
    Suggestion,
    Dissent,
    AssemblyVote,
    OutcomeReport,
    Assignment,
    ProgressUpdate,
    ExtensionRequest,
    Reminder,
    Publication,
    Rating,
    FollowUp,
    ThirdPartyEvaluation,
)
# Unique values that a copy cannot share: drawn again from the field's default, or left empty.
FRESH_DEFAULTS = {
    Submission: ("tracking_code",),
    Consultation: ("sign_in_token",),
    Participant: ("token",),
    Member: ("code",),
}
CLEARED = {Submission: ("client_token",), Member: ("user",)}


@contextmanager
def kept_times(model):
    """Let ``bulk_create`` keep the copied times instead of stamping ``auto_now``/``auto_now_add`` fields with now."""
    stamped = [
        f for f in model._meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    flags = [(f, f.auto_now, f.auto_now_add) for f in stamped]
    for field in stamped:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in flags:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class Copier:
    def __init__(self, scale: int):
        self.scale = scale
        self.ids: dict[type, list[dict[int, int]]] = defaultdict(lambda: [{} for _ in range(scale)])
        self.counts: Counter = Counter()

    def copy_regions(self) -> Region:
        district = Region.objects.get(code=DISTRICT_CODE)
        big = Region.objects.create(
            name=BIG_NAME, code=BIG_CODE, level=RegionLevel.DISTRICT, parent=None, path="", depth=0
        )
        big.path = f"/{Region.path_segment(big.pk)}"
        big.save(update_fields=["path"])
        for copy in range(self.scale):
            self.ids[Region][copy][district.pk] = big.pk
        townships = {t.pk: index for index, t in enumerate(Region.objects.filter(parent=district).order_by("code"))}
        for depth in range(1, 4):
            rows = list(Region.objects.filter(path__startswith=district.path, depth=depth).order_by("path"))
            made = []
            for copy in range(self.scale):
                for row in rows:
                    township = townships[row.pk if depth == 1 else int(row.path.strip("/").split("/")[1])]
                    number = copy * len(townships) + township + 1
                    clone = Region(
                        name=f"{row.name}{copy + 1}" if depth == 1 and copy else row.name,
                        code=f"330198{number:03d}{row.code[9:]}" if row.code else row.code,
                        level=row.level,
                        parent_id=self.ids[Region][copy][row.parent_id],
                        depth=depth,
                    )
                    made.append((copy, row, clone))
            Region.objects.bulk_create([clone for _copy, _row, clone in made], batch_size=500)
            paths = {r.pk: r.path for r in Region.objects.filter(depth=depth - 1, path__startswith=big.path)}
            for copy, row, clone in made:
                self.ids[Region][copy][row.pk] = clone.pk
                clone.path = f"{paths[clone.parent_id]}{Region.path_segment(clone.pk)}"
            Region.objects.bulk_update([clone for _copy, _row, clone in made], ["path"], batch_size=500)
            self.counts[Region] += len(made)
        return big

    def copy_model(self, model) -> None:
        rows = list(model._base_manager.order_by("pk"))
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        relations = [f for f in fields if f.is_relation and f.related_model in (Region, *COPIED)]
        own = [f for f in relations if f.related_model is model]
        fresh = FRESH_DEFAULTS.get(model, ())
        cleared = CLEARED.get(model, ())
        made = []
        for copy in range(self.scale):
            for row in rows:
                values = {f.attname: getattr(row, f.attname) for f in fields}
                for field in relations:
                    old = values[field.attname]
                    if old is not None:
                        values[field.attname] = None if field in own else self.ids[field.related_model][copy][old]
                for name in fresh:
                    values[name] = model._meta.get_field(name).get_default()
                for name in cleared:
                    values[model._meta.get_field(name).attname] = None
                if copy and model in (Unit, Platform) and values["region_id"] == self.ids[Region][copy][self.root]:
                    values["name"] = f"{values['name']}（{copy + 1}）"
                made.append((copy, row, model(**values)))
        with kept_times(model):
            model.objects.bulk_create([clone for _copy, _row, clone in made], batch_size=500)
        for copy, row, clone in made:
            self.ids[model][copy][row.pk] = clone.pk
        if own:
            # Links within the model (a parent unit, a merged submission, a reply) once every copy has its key.
            for copy, row, clone in made:
                for field in own:
                    old = getattr(row, field.attname)
                    if old is not None:
                        setattr(clone, field.attname, self.ids[model][copy][old])
            model.objects.bulk_update([c for _copy, _row, c in made], [f.attname for f in own], batch_size=500)
        for field in model._meta.many_to_many:
            self.copy_m2m(model, field)
        self.counts[model] += len(made)

    def copy_m2m(self, model, field: models.ManyToManyField) -> None:
        through = field.remote_field.through
        source = field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        target_model = field.related_model
        links = list(through._base_manager.values_list(f"{source}_id", f"{target}_id"))
        made = []
        for copy in range(self.scale):
            for left, right in links:
                right = self.ids[target_model][copy][right] if target_model in (Region, *COPIED) else right
                made.append(through(**{f"{source}_id": self.ids[model][copy][left], f"{target}_id": right}))
        through.objects.bulk_create(made, batch_size=1000)

    def run(self) -> Region:
        self.root = Region.objects.get(code=DISTRICT_CODE).pk
        big = self.copy_regions()
        for model in COPIED:
            started = time.perf_counter()
            self.copy_model(model)
            print(f"  {model.__name__}: {self.counts[model]} ({time.perf_counter() - started:.1f} s)", flush=True)
        admin = get_user_model().objects.get(username="admin")
        ScopedRole.objects.create(user=admin, role=Role.ADMINISTRATOR, region=big)
        return big


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    if Region.objects.filter(code=BIG_CODE).exists():
        sys.exit(f"{BIG_NAME} already exists in this database.")
    if Region.objects.filter(parent=None).exclude(code=DISTRICT_CODE).exists():
        sys.exit("The database holds more than the demo district: copy a freshly seeded demo database first.")
    started = time.perf_counter()
    with transaction.atomic():
        big = Copier(args.scale).run()
    print(f"{BIG_NAME}: region pk {big.pk}, {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
