from django.urls import path

from shangliang.hotline import api, views

app_name = "hotline"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("import/", views.upload, name="upload"),
    path("import/<id:pk>/", views.preview, name="preview"),
    path("import/<id:pk>/job/", views.job_page, name="job"),
    path("records/", views.records, name="records"),
    path("records/<id:pk>/", views.record_detail, name="record"),
    path("records/<id:pk>/place/", views.record_place, name="record_place"),
    path("records/<id:pk>/category/", views.record_category, name="record_category"),
    path("records/<id:pk>/send/", views.record_send, name="record_send"),
    path("issues/", views.issue_list, name="issues"),
    path("issues/<id:pk>/", views.issue_detail, name="issue"),
    path("issues/<id:pk>/merge/", views.issue_merge, name="issue_merge"),
    path("issues/<id:pk>/split/", views.issue_split, name="issue_split"),
    path("issues/<id:pk>/dismiss/", views.issue_dismiss, name="issue_dismiss"),
    path("issues/<id:pk>/topic/", views.issue_topic, name="issue_topic"),
    path("model/", views.model_page, name="model"),
    path("model/train/", views.model_train, name="model_train"),
    path("sources/", views.sources, name="sources"),
    path("sources/<id:pk>/token/", views.source_token, name="source_token"),
    # The hotline system's side (token-authenticated).
    path("api/records/", api.push, name="api_push"),
    path("api/records/<token:external_id>/result/", api.result, name="api_result"),
]
