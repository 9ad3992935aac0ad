from django.urls import path

from shangliang.scoring import views

app_name = "scoring"

urlpatterns = [
    # The district ranking of stations against their targets, its Excel export, and one station's records.
    path("stations/", views.station_ranking, name="stations"),
    path("stations.xlsx", views.station_ranking_xlsx, name="stations_xlsx"),
    path("stations/<id:pk>/", views.station_detail, name="station"),
    # Administrators: the year's targets per township and platform, and the scoring scheme.
    path("targets/", views.targets, name="targets"),
    # CPPCC committees' inspections of their linked stations, against the schedule.
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/new/", views.inspection_add, name="inspection_add"),
]
