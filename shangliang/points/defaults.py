"""The point rules a new installation starts with (the administrator edits them in the admin).

Each row: kind, points per occurrence, yearly cap per member (None: no cap), note.
"""

from decimal import Decimal

RULES = [
    ("session_attended", Decimal("2"), Decimal("20"), "以签到记录为准，每次会议计一次；已取消的协商不计。"),
    ("session_spoke", Decimal("1"), Decimal("10"), "以发言记录为准（含网上意见），每次会议计一次。"),
    ("research", Decimal("3"), Decimal("15"), "以调研记录中勾选的委员为准，每次调研计一次；已取消的协商不计。"),
    (
        "recommendation_approved",
        Decimal("3"),
        Decimal("15"),
        "委员荐题形成的议题审定通过后计分；不纳入协商、不予审定、退回的不计。",
    ),
    (
        "recommendation_assigned",
        Decimal("2"),
        Decimal("20"),
        "委员所荐议题经协商形成的建议交办给责任单位后计分，每条建议计一次；被退回的交办不计。",
    ),
    (
        "suggestion_adopted",
        Decimal("2"),
        Decimal("20"),
        "委员在协商中提出的建议交办给责任单位后计分，每条建议计一次；被退回的交办不计。",
    ),
    (
        "report_sent",
        Decimal("3"),
        Decimal("15"),
        "委员署名的政协提案、社情民意信息报送后计分，每份计一次；未报送的草稿不计。",
    ),
]

# Activities added after migration 0003 (which adds every rule of RULES under the kinds it knew, so a new
# kind must not join RULES): a later migration passes these to ``ensure_defaults(model, kinds, rules=...)``.
PROBLEM_LOGGED_RULE = (
    "problem_logged",
    Decimal("1"),
    Decimal("10"),
    "委员代群众反映的诉求经站点受理后计分（已受理、已直接解决、已合并或转为议题），每件计一次；不纳入协商的不计。",
)
EVENT_SPOKE_RULE = (
    "event_spoke",
    Decimal("2"),
    Decimal("10"),
    "委员在已举办的知情明政、公益培训、专题培训或法治宣传活动中宣讲授课后计分，每场计一次；已取消的活动不计。",
)
LATER_RULES = [PROBLEM_LOGGED_RULE, EVENT_SPOKE_RULE]


def ensure_defaults(point_rule_model, kinds=None, rules=None) -> None:
    """Add the default rules that are missing; an existing rule of a kind is left as configured.

    ``kinds`` limits it to the activities a migration knows (a later migration adds later ones).
    """
    for kind, points, cap, note in RULES if rules is None else rules:
        if kinds is not None and kind not in kinds:
            continue
        if not point_rule_model.objects.filter(kind=kind).exists():
            point_rule_model.objects.create(kind=kind, points=points, yearly_cap=cap, note=note, is_active=True)
