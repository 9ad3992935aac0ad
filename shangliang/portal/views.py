from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shangliang.core.models import Notification
from shangliang.orgs.models import Member
from shangliang.orgs.permissions import is_staff_user, roles_of
from shangliang.orgs.states import Role
from shangliang.portal import services
from shangliang.portal.waiting import waiting_for
from shangliang.topics.member_matters import relayed_to

INBOX_PER_PAGE = 20

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
    if context["member"] is not None:
        # 群众向我反映的事项: what residents brought to the member, and what the member logged for them.
        context["relayed"] = list(relayed_to(context["member"])[:5])
    return render(request, "portal/home.html", context)


# --- the inbox (站内消息) ------------------------------------------------------------------------


def safe_target(url: str) -> str:
    """``url`` when it is a path on this site, else "" (a message never sends anyone to another site)."""
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return ""
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=None) else ""


@login_required
@require_GET
def inbox(request):
    messages_of_user = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
    page = Paginator(messages_of_user, INBOX_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/inbox.html", {"page": page})


@login_required
@require_GET
def inbox_open(request, pk):
    """Open one message: it is marked read and the user goes to what it is about (or back to the inbox)."""
    notification = services.notification_open(actor=request.user, pk=pk)
    return redirect(safe_target(notification.url) or "portal:inbox")


@login_required
@require_POST
def inbox_read_all(request):
    if services.notifications_read_all(actor=request.user):
        messages.success(request, _("全部消息已标为已读。"))
    return redirect("portal:inbox")
