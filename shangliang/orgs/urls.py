from django.urls import path

from shangliang.orgs import imports_views, views

app_name = "orgs"

urlpatterns = [
    path("regions/", views.region_tree, name="region_tree"),
    path("regions/<int:parent_pk>/add/", views.region_create, name="region_create"),
    path("regions/<int:pk>/edit/", views.region_edit, name="region_edit"),
    path("platforms/", views.platform_list, name="platform_list"),
    path("platforms/add/", views.platform_create, name="platform_create"),
    path("platforms/<int:pk>/", views.platform_detail, name="platform_detail"),
    path("platforms/<int:pk>/edit/", views.platform_edit, name="platform_edit"),
    path("platforms/<int:pk>/archive/", views.platform_archive, name="platform_archive"),
    path("platforms/<int:pk>/checks/<str:item>/", views.platform_check_edit, name="platform_check_edit"),
    path("members/", views.member_list, name="member_list"),
    path("members/add/", views.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/assign/", views.member_assign, name="member_assign"),
    path("m/<str:code>/", views.member_public, name="member_public"),
    path("m/<str:code>/qr.<str:fmt>", views.member_qr, name="member_qr"),
    path("imports/", imports_views.import_home, name="import_home"),
    path("imports/template/<str:kind>.xlsx", imports_views.import_template, name="import_template"),
    path("imports/<str:kind>/upload/", imports_views.import_upload, name="import_upload"),
    path("imports/jobs/<int:pk>/", imports_views.import_job, name="import_job"),
]
