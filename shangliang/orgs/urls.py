from django.urls import include, path

from shangliang.orgs import imports_views, reception_views, views

app_name = "orgs"

regions = [
    path("", views.region_tree, name="region_tree"),
    path("<id:parent_pk>/add/", views.region_create, name="region_create"),
    path("<id:pk>/edit/", views.region_edit, name="region_edit"),
]
platforms = [
    path("", views.platform_list, name="platform_list"),
    path("add/", views.platform_create, name="platform_create"),
    path("<id:pk>/", views.platform_detail, name="platform_detail"),
    path("<id:pk>/edit/", views.platform_edit, name="platform_edit"),
    path("<id:pk>/archive/", views.platform_archive, name="platform_archive"),
    path("<id:pk>/checks/<token:item>/", views.platform_check_edit, name="platform_check_edit"),
]
members = [
    path("", views.member_list, name="member_list"),
    path("add/", views.member_create, name="member_create"),
    path("<id:pk>/", views.member_detail, name="member_detail"),
    path("<id:pk>/edit/", views.member_edit, name="member_edit"),
    path("<id:pk>/assign/", views.member_assign, name="member_assign"),
]
# The public page a member code opens, and its QR code.
member_card = [
    path("", views.member_public, name="member_public"),
    path("qr.<token:fmt>", views.member_qr, name="member_qr"),
]
imports = [
    path("", imports_views.import_home, name="import_home"),
    path("template/<token:kind>.xlsx", imports_views.import_template, name="import_template"),
    path("<token:kind>/upload/", imports_views.import_upload, name="import_upload"),
    path("jobs/<id:pk>/", imports_views.import_job, name="import_job"),
]

# Reception hours (委员接待日): staff pages, residents' booking and their own booking page; members joining stations.
reception = [
    path("", reception_views.reception_home, name="reception_home"),
    path("add/", reception_views.slot_create, name="slot_create"),
    path("slots/<id:pk>/", reception_views.slot_detail, name="slot_detail"),
    path("slots/<id:pk>/withdraw/", reception_views.slot_withdraw, name="slot_withdraw"),
    path("appointments/<id:pk>/close/", reception_views.appointment_close, name="appointment_close"),
    path("appointments/<id:pk>/cancel/", reception_views.appointment_staff_cancel, name="appointment_staff_cancel"),
]
booking = [
    path("<id:pk>/", reception_views.book, name="book"),
    path("a/<token:code>/", reception_views.appointment_public, name="appointment_public"),
    path("a/<token:code>/cancel/", reception_views.appointment_public_cancel, name="appointment_public_cancel"),
]
join = [
    path("", reception_views.join_home, name="join_home"),
    path("requests/", reception_views.join_queue, name="join_queue"),
    path("<id:pk>/", reception_views.join_decide, name="join_decide"),
    path("<id:pk>/withdraw/", reception_views.join_withdraw, name="join_withdraw"),
]

urlpatterns = [
    path("reception/", include(reception)),
    path("book/", include(booking)),
    path("join/", include(join)),
    path("regions/", include(regions)),
    path("platforms/", include(platforms)),
    path("members/", include(members)),
    path("m/<token:code>/", include(member_card)),
    path("imports/", include(imports)),
]
