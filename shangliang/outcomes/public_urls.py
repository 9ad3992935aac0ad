from django.urls import path

from shangliang.outcomes import public_views

app_name = "outcomes_public"

urlpatterns = [
    path("<int:pk>/", public_views.result, name="result"),
    path("platform/<int:pk>/", public_views.platform_board, name="platform_board"),
    path("village/<int:pk>/", public_views.village_board, name="village_board"),
    path("<int:pk>/poster.pdf", public_views.poster, name="poster"),
]
