from shangliang.orgs.permissions import can_import, is_staff_user


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_is_staff": False, "nav_can_import": False}
    return {"nav_is_staff": is_staff_user(user), "nav_can_import": can_import(user)}
