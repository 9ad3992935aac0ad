from django.urls import path

from shangliang.portal import delivery_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<id:pk>/", views.inbox_open, name="inbox_open"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("messages/", delivery_views.delivery_log, name="delivery_log"),
    path("messages/<id:pk>/", delivery_views.delivery_detail, name="delivery_detail"),
]
