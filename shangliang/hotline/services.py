"""Changing hotline records and hot issues: importing, places, categories, groups, topics, results.

Every staff change is saved with its reason in history. Imports write in batches (``imports``); each
batch also finds the records' places, classifies them and lets them join hot issues, so what a page
shows is up to date when the job ends.
"""

import hashlib
import secrets
from functools import cache

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core import reply_scoring
from shangliang.core.errors import DomainError
from shangliang.core.records import save_record
from shangliang.core.transitions import transition
from shangliang.hotline import places
from shangliang.hotline.models import Classifier, HotIssue, PlaceAlias, Record, Source
from shangliang.hotline.states import ISSUE_MOVES, TRAINING_LABELS, CategoryBy, IssueStatus, PlaceOrigin, PlaceStatus
from shangliang.orgs.models import Region
from shangliang.orgs.selectors import district_pk
from shangliang.orgs.states import RegionLevel
from shangliang.topics.models import Category

# Fields an import may change on a record it already has (the staff's own decisions are kept).
IMPORTED_FIELDS = (
    "received_at",
    "title",
    "text",
    "original",
    "place_text",
    "reporter_name",
    "reporter_phone",
    "person_key",
    "likes",
    "dislikes",
    "source_category",
    "reply_unit",
    "reply_text",
    "replied_at",
)
# What an import derives from a record's fields (written with them).
DERIVED_FIELDS = (
    "reply_score",
    "reply_parts",
    "region",
    "place_status",
    "place_confidence",
    "category",
    "category_by",
    "category_confidence",
    "import_job",
)
# Below this confidence a model's category is shown as a guess to check.
CATEGORY_SURE_AT = 0.6


# --- sources -----------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def source_save(*, actor, source: Source) -> Source:
    reason = "hotline_source.created" if source._state.adding else "hotline_source.updated"
    if reason == "hotline_source.created":
        return save_record(source, actor=actor, reason="hotline_source.created")
    return save_record(source, actor=actor, reason="hotline_source.updated")


def source_new_token(*, actor, source: Source) -> str:
    """A new push token for the source (the old one stops working); shown once, only its hash is kept."""
    token = secrets.token_urlsafe(32)
    source.push_token_hash = _token_hash(token)
    save_record(source, actor=actor, reason="hotline_source.updated", note=_("重新生成推送令牌"))
    return token


def source_for_token(token: str) -> Source | None:
    if not token or len(token) > 200:
        return None
    return Source.objects.filter(push_token_hash=_token_hash(token), is_archived=False).first()


# --- the gazetteer and the classifier of a district ------------------------------------------------


def gazetteer(district_id: int) -> places.Gazetteer:
    """The names of the district's townships, villages and grids, and its staff's place names."""
    district = Region.objects.get(pk=district_id)
    regions = Region.objects.filter(
        path__startswith=district.path,
        is_archived=False,
        level__in=[RegionLevel.TOWNSHIP, RegionLevel.VILLAGE, RegionLevel.GRID],
    ).values_list("pk", "name", "level", "parent_id")
    known = [places.Place(pk, name, level, parent) for pk, name, level, parent in regions]
    aliases = PlaceAlias.objects.filter(is_archived=False, region__path__startswith=district.path)
    return places.Gazetteer(known, list(aliases.values_list("name", "region_id")))


@cache
def _model(version: int):
    from shangliang.hotline import classify  # scikit-learn loads only when a model is used

    return classify.loads(bytes(Classifier.objects.get(version=version).model))


def active_classifier() -> Classifier | None:
    return Classifier.objects.filter(is_active=True).defer("model").order_by("-version").first()


def _categories_by_name() -> dict[str, Category]:
    return {c.name: c for c in Category.objects.filter(is_archived=False)}


# --- importing ---------------------------------------------------------------------------------


def _place(record: Record, found: places.Match | None) -> None:
    if record.place_status == PlaceStatus.CONFIRMED:
        return
    if found is None:
        record.region_id, record.place_confidence, record.place_status = None, 0, PlaceStatus.REVIEW
        return
    record.region_id, record.place_confidence = found.region_pk, found.confidence
    record.place_status = PlaceStatus.MATCHED if found.is_sure else PlaceStatus.REVIEW


def classify_records(records: list[Record], categories: dict[str, Category] | None = None) -> None:
    """Give each record without a person's decision a category: its source's, when the source's category is
    one of ours, else the active model's prediction with its confidence."""
    categories = categories if categories is not None else _categories_by_name()
    guess = []
    for record in records:
        if record.category_by == CategoryBy.STAFF:
            continue
        if record.source_category and record.source_category in categories:
            record.category = categories[record.source_category]
            record.category_by, record.category_confidence = CategoryBy.SOURCE, None
        else:
            guess.append(record)
    classifier = active_classifier()
    if not guess or classifier is None:
        return
    from shangliang.hotline import classify

    model = _model(classifier.version)
    for record, (label, confidence) in zip(
        guess, classify.predict_with_confidence(model, [_classify_text(r) for r in guess]), strict=True
    ):
        if label in categories:
            record.category = categories[label]
            record.category_by, record.category_confidence = CategoryBy.MODEL, round(float(confidence), 3)


def _classify_text(record: Record) -> str:
    return f"{record.title} {record.text}".strip()


def score_replies(records: list[Record]) -> None:
    """Score each record's reply (答复质量): timeliness in working days, relevance, completeness, basis."""
    for record in records:
        record.reply_score, record.reply_parts = reply_scoring.scored(
            record.text, record.reply_text, record.received_at, record.replied_at, subject=record.title
        )


def write_batch(source: Source, batch, outcome, job) -> list[Record]:
    """Write one batch of parsed rows (in the caller's transaction): update the records the source has,
    create the others, find places, classify, and let new records join hot issues."""
    keys = [p.fields["external_id"] for p in batch]
    existing = {r.external_id: r for r in Record.objects.filter(source=source, external_id__in=keys)}
    district = district_pk(source.region)
    found = gazetteer_cached(district)
    categories = _categories_by_name()
    new, changed = [], []
    for parsed in batch:
        fields = parsed.fields
        record = existing.get(fields["external_id"])
        if record is None:
            record = Record(source=source, kind=source.kind, owner_region_id=source.region_id, import_job=job, **fields)
            _place(record, found.match(record.place_text, record.title, record.text))
            new.append(record)
            continue
        if all(getattr(record, name) == fields[name] for name in IMPORTED_FIELDS):
            outcome.unchanged += 1
            continue
        for name in IMPORTED_FIELDS:
            setattr(record, name, fields[name])
        record.import_job = job
        _place(record, found.match(record.place_text, record.title, record.text))
        changed.append(record)
    classify_records(new + changed, categories)
    score_replies(new + changed)
    Record.objects.bulk_create(new, batch_size=500)
    if changed:
        Record.objects.bulk_update(changed, [*IMPORTED_FIELDS, *DERIVED_FIELDS], batch_size=500)
    outcome.created += len(new)
    outcome.updated += len(changed)
    return new


def group_new(source: Source, records: list[Record]) -> set[int]:
    """New records of the source join the hot issues of its region (``issues.join``)."""
    from shangliang.hotline import issues

    return issues.join(source.region_id, records)


_gazetteers: dict[int, tuple[object, places.Gazetteer]] = {}


def gazetteer_cached(district_id: int) -> places.Gazetteer:
    """The district's gazetteer, rebuilt when a region or a place name changed since it was built."""
    stamp = (
        Region.objects.aggregate(n=Count("pk"), m=Max("pk")),
        PlaceAlias.objects.aggregate(n=Count("pk"), m=Max("created_at")),
    )
    held = _gazetteers.get(district_id)
    if held is None or held[0] != stamp:
        held = (stamp, gazetteer(district_id))
        _gazetteers[district_id] = held
    return held[1]


# --- staff decisions on a record ---------------------------------------------------------------------


@transaction.atomic
def place_confirm(*, actor, record: Record, region: Region, learn: bool = True) -> Record:
    """Confirm or correct the record's place (a village/community or a grid of the source's district).

    The address's road and estate names are learnt as place names of the village, so the next records
    from there match by themselves; a name another village already has is not learnt (it would be a guess).
    """
    record = Record.objects.select_for_update().get(pk=record.pk)
    if region.level not in (RegionLevel.VILLAGE, RegionLevel.GRID) or district_pk(region) != district_pk(
        record.owner_region
    ):
        raise DomainError(_("请选择本区的村（社区）或网格。"), field="region")
    record.region, record.place_status, record.place_confidence = region, PlaceStatus.CONFIRMED, 1.0
    save_record(record, actor=actor, reason="hotline_record.place_confirmed")
    if learn:
        village = region if region.level == RegionLevel.VILLAGE else region.parent
        known = gazetteer(district_pk(region))
        for name in places.place_terms(record.place_text, known)[:3]:
            taken = PlaceAlias.objects.filter(name=name, is_archived=False, region__path__startswith=region.path[:9])
            if not taken.exists():
                alias = PlaceAlias(region=village, name=name, origin=PlaceOrigin.LEARNT, created_by=actor)
                save_record(alias, actor=actor, reason="place_alias.created")
    return record


@transaction.atomic
def category_correct(*, actor, record: Record, category: Category) -> Record:
    """A person's category for the record: kept against later imports and models, and a training label."""
    record = Record.objects.select_for_update().get(pk=record.pk)
    record.category, record.category_by, record.category_confidence = category, CategoryBy.STAFF, None
    return save_record(record, actor=actor, reason="hotline_record.category_corrected")


# --- the classifier ------------------------------------------------------------------------------


def training_set(limit: int | None = None) -> tuple[list[str], list[str]]:
    """The texts and categories people decided (the sources' own and the staff's corrections)."""
    rows = (
        Record.objects.filter(category__isnull=False, category_by__in=TRAINING_LABELS, is_archived=False)
        .order_by("-received_at")
        .values_list("title", "text", "category__name")
    )
    if limit:
        rows = rows[:limit]
    texts, labels = [], []
    for title, text, label in rows:
        texts.append(f"{title} {text}".strip())
        labels.append(label)
    return texts, labels


def classifier_train(*, actor=None, progress=None) -> Classifier:
    """Train a new model version on the labelled records, with its own cross-validated figures, and make
    it the active one (older versions stay, inactive, for the record)."""
    from shangliang.hotline import classify

    texts, labels = training_set()
    if len(set(labels)) < 2:
        raise DomainError(_("至少需要两个类别的已分类记录才能训练模型。"))
    try:
        figures = classify.cross_validate(texts, labels)
    except classify.TrainingDataError as error:
        raise DomainError(_("已分类的记录不足以训练模型：每个类别至少需要两条记录。")) from error
    if progress:
        progress(1)
    model = classify.train(texts, labels)
    with transaction.atomic():
        latest = Classifier.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0
        Classifier.objects.filter(is_active=True).update(is_active=False)
        trained = Classifier(
            version=latest + 1,
            trained_at=timezone.now(),
            trained_by=actor,
            training_size=len(texts),
            labels=sorted(set(labels)),
            figures=classify.figures_dict(figures),
            model=classify.dumps(model),
            is_active=True,
        )
        save_record(trained, actor=actor, reason="classifier.trained")
    return trained


# --- hot issues ----------------------------------------------------------------------------------


def refresh_issue(issue: HotIssue) -> HotIssue:
    """Recount the issue's records, people, likes, first and last time, and its heat (stored for lists)."""
    from shangliang.hotline import issues

    return issues.refresh(issue)


def _open(issue: HotIssue) -> HotIssue:
    issue = HotIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != IssueStatus.OPEN:
        raise DomainError(_("该热点已%(status)s，不能再调整。") % {"status": issue.get_status_display()})
    return issue


@transaction.atomic
def issues_merge(*, actor, issue: HotIssue, into: HotIssue) -> HotIssue:
    """Move every record of ``issue`` into ``into``; ``issue`` stays, marked merged, pointing to it."""
    from shangliang.hotline import issues as grouping

    if issue.pk == into.pk:
        raise DomainError(_("不能合并到自身。"), field="into")
    issue, into = _open(issue), _open(into)
    if issue.owner_region_id != into.owner_region_id:
        raise DomainError(_("只能合并同一来源区划的热点。"), field="into")
    moved = list(Record.objects.filter(issue=issue))
    for record in moved:
        record.issue = into
        save_record(record, actor=actor, reason="hotline_record.moved", note=_("随热点合并"))
    grouping.state_merged(issue, into)
    Record.objects.filter(pk__in=[r.pk for r in moved]).update(group_key=into.group_key)
    save_record(into, actor=actor, reason="hot_issue.merged", note=issue.title)
    transition(
        issue,
        to=IssueStatus.MERGED,
        moves=ISSUE_MOVES,
        actor=actor,
        reason="hot_issue.merged",
        changes={"merged_into": into},
    )
    refresh_issue(issue)
    return refresh_issue(into)


@transaction.atomic
def issue_split(*, actor, issue: HotIssue, records: list[Record], title: str) -> HotIssue:
    """Take ``records`` out of ``issue`` into a new issue titled ``title``."""
    from shangliang.hotline import issues as grouping

    issue = _open(issue)
    records = [r for r in records if r.issue_id == issue.pk]
    if not records:
        raise DomainError(_("请勾选要拆分出去的记录。"), field="records")
    if len(records) >= Record.objects.filter(issue=issue).count():
        raise DomainError(_("不能把全部记录拆走；如整条热点有误，请标记为不作为议题。"), field="records")
    new = HotIssue(
        title=title.strip()[:200] or (records[0].title or records[0].text)[:200],
        owner_region_id=issue.owner_region_id,
        region=issue.region,
        category=issue.category,
        group_key=grouping.state_split(issue, records),
    )
    save_record(new, actor=actor, reason="hot_issue.split", note=issue.title)
    for record in records:
        record.issue, record.group_key = new, new.group_key
        save_record(record, actor=actor, reason="hotline_record.moved", note=_("拆分热点"))
    save_record(issue, actor=actor, reason="hot_issue.split", note=new.title)
    refresh_issue(issue)
    return refresh_issue(new)


@transaction.atomic
def issue_dismiss(*, actor, issue: HotIssue, note: str) -> HotIssue:
    issue = _open(issue)
    if not note.strip():
        raise DomainError(_("请说明不作为议题的理由。"), field="note")
    return transition(
        issue, to=IssueStatus.DISMISSED, moves=ISSUE_MOVES, actor=actor, reason="hot_issue.dismissed", note=note.strip()
    )


@transaction.atomic
def issue_reopen(*, actor, issue: HotIssue) -> HotIssue:
    issue = HotIssue.objects.select_for_update().get(pk=issue.pk)
    return transition(issue, to=IssueStatus.OPEN, moves=ISSUE_MOVES, actor=actor, reason="hot_issue.reopened")


# Sample texts quoted in the submission a hot issue becomes.
SAMPLES = 3


def issue_summary(issue: HotIssue) -> str:
    """What the screener reads: how many records from how many people, where, over what period, and a few
    of the records' own words (numbers stay masked, no names)."""
    records = list(
        Record.objects.filter(issue=issue, is_archived=False).select_related("region").order_by("received_at")
    )
    places = sorted({r.region.name for r in records if r.region is not None})
    sources = sorted({r.get_kind_display() for r in records})
    first, last = records[0].received_at, records[-1].received_at
    lines = [
        _("共%(n)d条%(kinds)s，涉及%(people)d位诉求人，点赞%(likes)d次。")
        % {"n": len(records), "kinds": "、".join(sources), "people": issue.people_count, "likes": issue.likes},
        _("时间：%(first)s至%(last)s。")
        % {"first": timezone.localtime(first).date(), "last": timezone.localtime(last).date()},
    ]
    if places:
        lines.append(_("地点：%(places)s。") % {"places": "、".join(places[:10])})
    lines.append(_("诉求摘录："))
    for record in sorted(records, key=lambda r: -r.likes)[:SAMPLES]:
        lines.append(f"- {(record.title or record.text)[:60]}：{record.text[:120]}")
    return "\n".join(lines)


@transaction.atomic
def issue_to_topic(*, actor, issue: HotIssue, title: str, region: Region, category: Category):
    """The hot issue becomes a submission of the 12345 (or grid) source with its records summarised; it
    then follows the normal screening, the eight exclusions included."""
    from shangliang.topics import services as topics
    from shangliang.topics.states import Source as SubmissionSource

    issue = _open(issue)
    kinds = set(Record.objects.filter(issue=issue).values_list("kind", flat=True))
    source = SubmissionSource.GRID if kinds == {"grid"} else SubmissionSource.HOTLINE
    created = topics.submission_create(
        actor=actor,
        source=source,
        region=region,
        category=category,
        title=title,
        content=issue_summary(issue),
        is_anonymous=True,
    )
    return transition(
        issue,
        to=IssueStatus.TOPIC,
        moves=ISSUE_MOVES,
        actor=actor,
        reason="hot_issue.to_topic",
        changes={"submission": created.submission},
    )
