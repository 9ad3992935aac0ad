"""What the hotline pages show: counts by place and month, the ranked hot issues, the review queue.

"A record" counted anywhere is a record not archived, in the reader's scope (``permissions``); by place
it is counted at the village (or grid) found for it, and records still without a place are counted apart.
"""

from collections import defaultdict

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from shangliang.hotline.models import HotIssue, Record
from shangliang.hotline.states import IssueStatus, PlaceStatus
from shangliang.orgs.models import Region
from shangliang.orgs.states import RegionLevel

TOP_ISSUES = 10


def review_queue(records: QuerySet[Record]) -> QuerySet[Record]:
    """Records whose place is a guess or missing: the staff confirm or correct them."""
    return records.filter(place_status=PlaceStatus.REVIEW)


def low_replies(records: QuerySet[Record]) -> QuerySet[Record]:
    """Records whose unit's reply scored low (答复质量偏低: below the threshold or a serious flag)."""
    return records.filter(reply_parts__is_low=True)


def open_issues(issues: QuerySet[HotIssue]) -> QuerySet[HotIssue]:
    return issues.filter(status=IssueStatus.OPEN).select_related("region", "category").order_by("-heat", "pk")


def monthly(records: QuerySet[Record]) -> list[dict]:
    """Records per month: [{"month": "2025-09", "n": 12}, …], oldest first."""
    rows = records.annotate(month=TruncMonth("received_at")).values("month").annotate(n=Count("pk")).order_by("month")
    return [{"month": row["month"].strftime("%Y-%m"), "n": row["n"]} for row in rows if row["month"]]


def place_tree(records: QuerySet[Record], root: Region) -> dict:
    """The region tree under ``root`` (townships and villages) with each one's record count, for the map:
    {"name", "value", "children"}; a grid's records count for its village. Two queries."""
    counts = defaultdict(int)
    for path, n in records.filter(region__isnull=False).values_list("region__path").annotate(n=Count("pk")):
        counts[path] += n
    regions = list(
        Region.objects.filter(
            path__startswith=root.path, is_archived=False, level__in=[RegionLevel.TOWNSHIP, RegionLevel.VILLAGE]
        ).values("pk", "name", "path", "level", "parent_id")
    )
    nodes = {r["pk"]: {"name": r["name"], "value": 0, "children": [], "id": r["pk"]} for r in regions}
    for r in regions:
        node = nodes[r["pk"]]
        node["value"] = sum(n for path, n in counts.items() if path.startswith(r["path"]))
    tree = {"name": root.name, "value": sum(counts.values()), "children": []}
    for r in regions:
        parent = nodes.get(r["parent_id"])
        (parent["children"] if parent else tree["children"]).append(nodes[r["pk"]])
    _prune(tree)
    return tree


def _prune(node: dict) -> None:
    node["children"] = [c for c in node.get("children", []) if c["value"]]
    for child in node["children"]:
        _prune(child)
    if not node["children"]:
        node.pop("children")


def figures(records: QuerySet[Record], issues: QuerySet[HotIssue]) -> dict:
    """The head of the hotline page: records, placed, in review, classified, hot issues open and made topics."""
    by_status = dict(records.values_list("place_status").annotate(n=Count("pk")))
    total = sum(by_status.values())
    issue_status = dict(issues.values_list("status").annotate(n=Count("pk")))
    return {
        "records": total,
        "review": by_status.get(PlaceStatus.REVIEW, 0),
        "placed": total - by_status.get(PlaceStatus.REVIEW, 0),
        "unclassified": records.filter(category__isnull=True).count(),
        "low_replies": low_replies(records).count(),
        "issues": issue_status.get(IssueStatus.OPEN, 0),
        "topics": issue_status.get(IssueStatus.TOPIC, 0),
    }
