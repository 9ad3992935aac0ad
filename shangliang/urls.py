from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from shangliang.core import media_views, site_views

admin.site.site_header = _("商量 · 基层协商议事平台 管理后台")
admin.site.site_title = _("商量 管理后台")
admin.site.index_title = _("系统配置")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Delivery receipts (回执) pushed by the SMS providers; the address holds a secret token.
    path("hooks/", include("shangliang.core.hook_urls")),
    # Browsers ask for it on every site, and for files (PDF, Word) that have no <link rel="icon">.
    path("favicon.ico", site_views.favicon, name="favicon"),
    # Uploaded files: each one checked against the record that owns it (security finding 5), never a
    # folder served as is, in development too.
    path(f"{settings.MEDIA_URL.strip('/')}/<file:name>", media_views.media_file, name="media_file"),
    path("accounts/", include("shangliang.accounts.urls")),
    path("org/", include("shangliang.orgs.urls")),
    path("", include("shangliang.topics.urls")),
    path("", include("shangliang.consultations.urls")),
    path("outcomes/", include("shangliang.outcomes.urls")),
    path("outcomes/files/", include("shangliang.outcomes.documents_urls")),
    path("r/", include("shangliang.outcomes.public_urls")),
    path("evaluation/", include("shangliang.evaluation.urls")),
    path("events/", include("shangliang.events.urls")),
    path("funds/", include("shangliang.funds.urls")),
    path("handoffs/", include("shangliang.handoffs.urls")),
    path("hotline/", include("shangliang.hotline.urls")),
    path("news/", include("shangliang.publicity.urls")),
    path("rate/", include("shangliang.evaluation.public_urls")),
    path("cases/", include("shangliang.evaluation.cases_urls")),
    path("points/", include("shangliang.points.urls")),
    # Public pages of members (/m/<code>/, opened by the member code) and stations (/s/<id>/).
    path("", include("shangliang.points.public_urls")),
    path("scoring/", include("shangliang.scoring.urls")),
    path("dashboard/", include("shangliang.dashboard.urls")),
    path("", include("shangliang.portal.urls")),
]
