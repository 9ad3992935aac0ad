from django.urls import path

from shangliang.points import views

app_name = "points"

urlpatterns = [
    path("members/<id:pk>/", views.member_ledger, name="member_ledger"),
    path("members/<id:pk>/<year:year>/<token:kind>/<id:record>/", views.entry, name="entry"),
    path("ranking/", views.ranking, name="ranking"),
    path("ranking.xlsx", views.ranking_xlsx, name="ranking_xlsx"),
]
