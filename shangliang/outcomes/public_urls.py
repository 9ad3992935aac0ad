from django.urls import path

from shangliang.outcomes import public_views

app_name = "outcomes_public"

urlpatterns = [
    path("<id:pk>/", public_views.result, name="result"),
    path("platform/<id:pk>/", public_views.platform_board, name="platform_board"),
    path("village/<id:pk>/", public_views.village_board, name="village_board"),
    path("<id:pk>/poster.pdf", public_views.poster, name="poster"),
]
