"""The categories and keyword hints a new installation starts with (editable in the admin)."""

CATEGORIES = [
    ("教育", True),
    ("就业与收入", True),
    ("医疗卫生", True),
    ("养老服务", True),
    ("住房保障", True),
    ("扶弱助困", True),
    ("道路桥梁", False),
    ("环境卫生", False),
    ("停车与交通秩序", False),
    ("生态环境", False),
    ("农业生产", False),
    ("公共设施", False),
    ("物业管理", False),
    ("文化体育", False),
    ("平安建设", False),
    ("政策落实", False),
    ("其他", False),
]

EXCLUSION_KEYWORDS = [
    ("起诉", "litigation"),
    ("诉讼", "litigation"),
    ("法院", "litigation"),
    ("仲裁", "litigation"),
    ("复议", "litigation"),
    ("信访", "petition"),
    ("上访", "petition"),
    ("举报", "accusation"),
    ("纪委", "discipline"),
    ("监委", "discipline"),
    ("留置", "discipline"),
    ("涉密", "secret"),
    ("保密", "secret"),
]


def ensure_defaults(category_model, rule_model) -> None:
    """Add the missing defaults; existing rows (perhaps edited by an administrator) stay as they are."""
    for order, (name, is_livelihood) in enumerate(CATEGORIES):
        category_model.objects.get_or_create(name=name, defaults={"is_livelihood": is_livelihood, "sort_order": order})
    for keyword, reason in EXCLUSION_KEYWORDS:
        rule_model.objects.get_or_create(keyword=keyword, defaults={"reason": reason})
