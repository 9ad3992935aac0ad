from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "shangliang.dashboard"
    label = "dashboard"
    verbose_name = _("数据看板")

    def ready(self):
        from shangliang.core.media import register_protected_file
        from shangliang.dashboard import (
            event_figures,
            fund_figures,
            handoff_figures,
            hotline_figures,
            permissions,
            seed_figures,
        )
        from shangliang.dashboard.models import ChairCouncilReview

        # The seeds' figures join the drill-downs (``selectors.FIGURES``, ``RECORDS_BY_KIND``).
        seed_figures.register_figures()
        event_figures.register_figures()  # 宣讲培训, apart from the consultations
        fund_figures.register_figures()  # 协商资金
        handoff_figures.register_figures()  # 转交其他渠道
        hotline_figures.register_figures()  # 12345热线与网格数据转化的议题
        # The chair council review's attachment is served to the readers of its district's dashboard.
        register_protected_file(ChairCouncilReview, "attachment", permissions.can_view_review_attachment)
