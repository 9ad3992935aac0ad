from django.urls import path

from shangliang.evaluation import public_views

app_name = "evaluation_public"

urlpatterns = [
    # Residents rate a published consultation from the QR code on the poster or the public board.
    path("<id:pk>/", public_views.rate, name="rate"),
]
