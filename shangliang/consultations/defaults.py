"""Session formats a new installation starts with (editable in the admin)."""

SESSION_FORMATS = [
    "居（村）民议事会",
    "党员议事会",
    "居（村）民理事会",
    "民情恳谈会",
    "决策听证会",
    # 003: 对于涉及面广、关注度高的事项，要经过专题议事会、民主听证会等程序.
    "民主听证会",
    "专题议事会",
    "百姓评政坝坝会",
    "你说我听",
    "我说你听",
    "小区协商",
    "业主协商",
    "网格协商",
    "楼栋协商",
    "专题协商会",
    "基层夜话",
    "社区茶馆会议",
    "民主评议",
    "调研协商",
    "网上协商（云协商）",
]


def ensure_session_formats(format_model) -> None:
    for order, name in enumerate(SESSION_FORMATS):
        format_model.objects.get_or_create(name=name, defaults={"sort_order": order})
