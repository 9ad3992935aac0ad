from django.urls import include, path

from shangliang.topics import linkage_views, member_views, public_views, settle_views, views

app_name = "topics"

# Public: residents on their phones, no login needed except to support or follow.
submit = [
    path("", public_views.submit, name="submit"),
    path("p/<id:platform_pk>/", public_views.submit, name="submit_platform"),
    path("p/<id:platform_pk>/qr.<token:fmt>", public_views.platform_qr, name="platform_qr"),
    path("p/<id:platform_pk>/poster/", public_views.platform_poster, name="platform_poster"),
    path("grids/", public_views.grid_options, name="grid_options"),
    # 向委员反映: from the member's page (履职码), to the station the member serves.
    path("m/<token:code>/", member_views.member_send, name="submit_member"),
]
pool = [
    path("", public_views.pool, name="pool"),
    path("<id:pk>/", public_views.pool_topic, name="pool_topic"),
    path("<id:pk>/support/", public_views.pool_support, name="pool_support"),
    path("<id:pk>/follow/", public_views.pool_follow, name="pool_follow"),
]

# Staff: screening, verification, drafting, approval.
submission = [
    path("", views.submission_detail, name="submission_detail"),
    path("screen/", views.submission_screen, name="submission_screen"),
    path("reopen/", views.submission_reopen, name="submission_reopen"),
    path("merge/", views.submission_merge, name="submission_merge"),
    path("reply/", views.submission_reply, name="submission_reply"),
    path("settle/", settle_views.submission_settle, name="submission_settle"),
    path("draft/", views.topic_draft, name="topic_draft"),
]
topic = [
    path("", views.topic_detail, name="topic_detail"),
    path("edit/", views.topic_edit, name="topic_edit"),
    path("verifications/add/", views.verification_add, name="verification_add"),
    path("submit/", views.topic_submit, name="topic_submit"),
    path("decide/", views.topic_decide, name="topic_decide"),
    path("escalate/", linkage_views.topic_escalate, name="topic_escalate"),
]
staff = [
    path("", views.queue, name="queue"),
    path("submissions/new/", views.submission_new, name="submission_new"),
    path("recommend/", views.recommend, name="recommend"),
    path("log/", member_views.member_log, name="member_log"),
    path("submissions/<id:pk>/", include(submission)),
    path("<id:pk>/", include(topic)),
]

urlpatterns = [
    path("submit/", include(submit)),
    path("track/", public_views.track, name="track"),
    path("track/<token:code>/", public_views.track_detail, name="track_detail"),
    path("my/submissions/", public_views.my_submissions, name="my_submissions"),
    path("my/relayed/", member_views.relayed, name="relayed"),
    path("pool/", include(pool)),
    path("topics/", include(staff)),
]
