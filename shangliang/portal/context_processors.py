from shangliang.core.models import Notification
from shangliang.dashboard.permissions import can_view_dashboard
from shangliang.funds.permissions import can_use_funds
from shangliang.hotline.permissions import can_read as can_read_hotline
from shangliang.orgs.models import Member
from shangliang.orgs.permissions import can_import, is_staff_user
from shangliang.outcomes.permissions import can_use_board, can_use_unit_desk
from shangliang.points.permissions import can_view_ranking
from shangliang.portal.deliveries import can_view_delivery_log
from shangliang.scoring.permissions import can_view_scoring

ANONYMOUS = {
    "nav_is_staff": False,
    "nav_can_import": False,
    "nav_unit_desk": False,
    "nav_board": False,
    "nav_funds": False,
    "nav_hotline": False,
    "nav_dashboard": False,
    "nav_scoring": False,
    "nav_ranking": False,
    "nav_delivery_log": False,
    "nav_own_ledger": None,
    "nav_unread": 0,
}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    is_staff = is_staff_user(user)
    return {
        "nav_is_staff": is_staff,
        "nav_can_import": can_import(user),
        "nav_unit_desk": is_staff and can_use_unit_desk(user),
        "nav_board": is_staff and can_use_board(user),
        "nav_funds": is_staff and can_use_funds(user),
        "nav_hotline": is_staff and can_read_hotline(user),
        "nav_dashboard": is_staff and can_view_dashboard(user),
        "nav_scoring": is_staff and can_view_scoring(user),
        "nav_ranking": is_staff and can_view_ranking(user),
        "nav_delivery_log": can_view_delivery_log(user),
        # A member's own points ledger (履职积分), for members with a login account.
        "nav_own_ledger": Member.objects.filter(user=user, is_archived=False).values_list("pk", flat=True).first(),
        # The bell: how many inbox messages (站内消息) the user has not read.
        "nav_unread": Notification.objects.filter(user=user, read_at__isnull=True).count(),
    }
