from django.urls import path

from shangliang.dashboard import review_views, seed_views, views

app_name = "dashboard"

urlpatterns = [
    # ?region=<pk> or ?platform=<pk>, and ?year=YYYY or ?start=…&end=… (see views).
    path("", views.index, name="index"),
    # The records behind one figure: ?<scope>&value=<month, form, category …>.
    path("records/<token:key>/", views.records, name="records"),
    path("report/<year:year>.<token:fmt>", views.annual_report, name="annual_report"),
    # The seeds' statistics (docs/figures.md): members and villages reached, departments ranked, chair council.
    path("members/", seed_views.members, name="members"),
    path("departments/", seed_views.departments, name="departments"),
    path("chair-council/", seed_views.chair_council, name="chair_council"),
    path("chair-council/<id:pk>/edit/", review_views.review_edit, name="chair_council_edit"),
]
