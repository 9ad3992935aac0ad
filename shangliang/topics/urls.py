from django.urls import path

from shangliang.topics import public_views, views

app_name = "topics"

urlpatterns = [
    # Public: residents on their phones, no login needed except to support or follow.
    path("submit/", public_views.submit, name="submit"),
    path("submit/p/<id:platform_pk>/", public_views.submit, name="submit_platform"),
    path("submit/p/<id:platform_pk>/qr.<token:fmt>", public_views.platform_qr, name="platform_qr"),
    path("submit/p/<id:platform_pk>/poster/", public_views.platform_poster, name="platform_poster"),
    path("submit/grids/", public_views.grid_options, name="grid_options"),
    path("track/", public_views.track, name="track"),
    path("track/<token:code>/", public_views.track_detail, name="track_detail"),
    path("my/submissions/", public_views.my_submissions, name="my_submissions"),
    path("pool/", public_views.pool, name="pool"),
    path("pool/<id:pk>/", public_views.pool_topic, name="pool_topic"),
    path("pool/<id:pk>/support/", public_views.pool_support, name="pool_support"),
    path("pool/<id:pk>/follow/", public_views.pool_follow, name="pool_follow"),
    # Staff: screening, verification, drafting, approval.
    path("topics/", views.queue, name="queue"),
    path("topics/submissions/new/", views.submission_new, name="submission_new"),
    path("topics/recommend/", views.recommend, name="recommend"),
    path("topics/submissions/<id:pk>/", views.submission_detail, name="submission_detail"),
    path("topics/submissions/<id:pk>/screen/", views.submission_screen, name="submission_screen"),
    path("topics/submissions/<id:pk>/reopen/", views.submission_reopen, name="submission_reopen"),
    path("topics/submissions/<id:pk>/merge/", views.submission_merge, name="submission_merge"),
    path("topics/submissions/<id:pk>/reply/", views.submission_reply, name="submission_reply"),
    path("topics/submissions/<id:pk>/draft/", views.topic_draft, name="topic_draft"),
    path("topics/<id:pk>/", views.topic_detail, name="topic_detail"),
    path("topics/<id:pk>/edit/", views.topic_edit, name="topic_edit"),
    path("topics/<id:pk>/verifications/add/", views.verification_add, name="verification_add"),
    path("topics/<id:pk>/submit/", views.topic_submit, name="topic_submit"),
    path("topics/<id:pk>/decide/", views.topic_decide, name="topic_decide"),
]
