from django.shortcuts import render

from shangliang.core.models import Notification
from shangliang.orgs.models import Member
from shangliang.orgs.permissions import is_staff_user, roles_of
from shangliang.orgs.states import Role
from shangliang.portal.waiting import waiting_for

ROLE_LINKS = {
    Role.ADMINISTRATOR: ["queue", "region_tree", "platform_list", "member_list", "import_home"],
    Role.COMMITTEE_STAFF: ["queue", "platform_list", "member_list"],
    Role.STATION_HEAD: ["queue", "platform_list", "region_tree", "member_list"],
    Role.CONVENER: ["queue", "platform_list", "region_tree"],
    Role.APPROVER: ["queue", "platform_list"],
    Role.MEMBER: ["queue", "platform_list"],
    Role.UNIT_LIAISON: ["platform_list"],
    Role.SUPERVISOR: ["queue", "platform_list", "member_list"],
    Role.EVALUATOR: ["queue", "platform_list"],
}


def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "portal/landing.html")
    roles = roles_of(user)
    links = []
    for grant in roles:
        for name in ROLE_LINKS.get(grant.role, []):
            if name not in links:
                links.append(name)
    if user.is_superuser:
        links = ROLE_LINKS[Role.ADMINISTRATOR]
    context = {
        "roles": roles,
        "is_staff_user": is_staff_user(user),
        "waiting": waiting_for(user),
        "notifications": Notification.objects.filter(user=user, read_at__isnull=True)[:5],
        "links": links,
        "member": Member.objects.filter(user=user, is_archived=False).first(),
    }
    return render(request, "portal/home.html", context)
