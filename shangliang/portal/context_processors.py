from shangliang.orgs.permissions import can_import, is_staff_user
from shangliang.outcomes.permissions import can_use_board, can_use_unit_desk


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_is_staff": False, "nav_can_import": False, "nav_unit_desk": False, "nav_board": False}
    is_staff = is_staff_user(user)
    return {
        "nav_is_staff": is_staff,
        "nav_can_import": can_import(user),
        "nav_unit_desk": is_staff and can_use_unit_desk(user),
        "nav_board": is_staff and can_use_board(user),
    }
