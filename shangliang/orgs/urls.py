from django.urls import path

from shangliang.orgs import imports_views, views

app_name = "orgs"

urlpatterns = [
    path("regions/", views.region_tree, name="region_tree"),
    path("regions/<id:parent_pk>/add/", views.region_create, name="region_create"),
    path("regions/<id:pk>/edit/", views.region_edit, name="region_edit"),
    path("platforms/", views.platform_list, name="platform_list"),
    path("platforms/add/", views.platform_create, name="platform_create"),
    path("platforms/<id:pk>/", views.platform_detail, name="platform_detail"),
    path("platforms/<id:pk>/edit/", views.platform_edit, name="platform_edit"),
    path("platforms/<id:pk>/archive/", views.platform_archive, name="platform_archive"),
    path("platforms/<id:pk>/checks/<token:item>/", views.platform_check_edit, name="platform_check_edit"),
    path("members/", views.member_list, name="member_list"),
    path("members/add/", views.member_create, name="member_create"),
    path("members/<id:pk>/", views.member_detail, name="member_detail"),
    path("members/<id:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<id:pk>/assign/", views.member_assign, name="member_assign"),
    path("m/<token:code>/", views.member_public, name="member_public"),
    path("m/<token:code>/qr.<token:fmt>", views.member_qr, name="member_qr"),
    path("imports/", imports_views.import_home, name="import_home"),
    path("imports/template/<token:kind>.xlsx", imports_views.import_template, name="import_template"),
    path("imports/<token:kind>/upload/", imports_views.import_upload, name="import_upload"),
    path("imports/jobs/<id:pk>/", imports_views.import_job, name="import_job"),
]
