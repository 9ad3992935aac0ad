"""Publicity: news and announcements, the upcoming consultations, the media-centre package and the archive."""

from django.urls import path

from shangliang.publicity import views

app_name = "publicity"

urlpatterns = [
    # Public: the news and announcements, and the consultations still to come.
    path("", views.news_list, name="list"),
    path("<id:pk>/", views.article_detail, name="detail"),
    path("upcoming/", views.upcoming, name="upcoming"),
    # Staff: writing and publishing.
    path("manage/", views.manage, name="manage"),
    path("write/", views.article_new, name="new"),
    path("<id:pk>/edit/", views.article_edit, name="edit"),
    path("<id:pk>/publish/", views.article_publish, name="publish"),
    path("<id:pk>/withdraw/", views.article_withdraw, name="withdraw"),
    path("announce/<id:pk>/", views.preview_new, name="preview_new"),
    # Staff: the media-centre package of a consultation whose results are public.
    path("media/", views.media, name="media"),
    path("media/<id:pk>.zip", views.media_package, name="package"),
    # Staff and members: the archive of theory research and experience.
    path("archive/", views.archive, name="archive"),
    path("archive/new/", views.document_new, name="document_new"),
    path("archive/<id:pk>/", views.document_detail, name="document"),
    path("archive/<id:pk>/edit/", views.document_edit, name="document_edit"),
    path("archive/<id:pk>/publish/", views.document_publish, name="document_publish"),
    path("archive/<id:pk>/unpublish/", views.document_unpublish, name="document_unpublish"),
]
