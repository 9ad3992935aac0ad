from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "shangliang.funds"
    label = "funds"
    verbose_name = _("协商资金")

    def ready(self):
        from shangliang.core.media import register_protected_file
        from shangliang.funds import permissions, sections
        from shangliang.funds.models import FundEntry
        from shangliang.outcomes.page_sections import register_assignment_section, register_public_section

        # Vouchers may show bank details and signatures: staff who read the account only.
        register_protected_file(FundEntry, "voucher", permissions.can_view_voucher)
        # The spending on a consultation on its public result; an item's fund requests on its page.
        register_public_section(sections.public_spending)
        register_assignment_section(sections.assignment_requests)
