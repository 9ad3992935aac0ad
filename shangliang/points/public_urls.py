from django.urls import path

from shangliang.points import public_views

app_name = "public_members"

# Public: a member's page (the member code leads here) and a station's page.
urlpatterns = [
    path("m/<token:code>/", public_views.member_page, name="member"),
    path("s/<id:pk>/", public_views.station_page, name="station"),
]
