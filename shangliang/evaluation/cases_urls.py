from django.urls import path

from shangliang.evaluation import case_views

app_name = "cases"

urlpatterns = [
    # Typical cases (典型案例) anyone can read: a short story, photos and the results.
    path("", case_views.case_list, name="list"),
    path("<id:pk>/", case_views.case_detail, name="detail"),
]
