"""Briefings, lectures and training: staff pages, the public pages and the sign-in link of the QR."""

from django.urls import include, path

from shangliang.events import public_views, views

app_name = "events"

one_event = [
    path("", views.event_detail, name="detail"),
    path("edit/", views.event_edit, name="edit"),
    path("hold/", views.event_hold, name="hold"),
    path("cancel/", views.event_cancel, name="cancel"),
    path("record/", views.event_record, name="record"),
    path("sign-ins/add/", views.sign_in_add, name="sign_in_add"),
    path("sign-ins/<id:sign_in_pk>/withdraw/", views.sign_in_withdraw, name="sign_in_withdraw"),
    path("questions/add/", views.question_record, name="question_record"),
    path("questions/<id:question_pk>/answer/", views.question_answer, name="question_answer"),
    path("questions/<id:question_pk>/hide/", views.question_hide, name="question_hide"),
    path("photos/add/", views.photo_add, name="photo_add"),
    path("photos/<id:photo_pk>/archive/", views.photo_archive, name="photo_archive"),
    path("materials/add/", views.material_add, name="material_add"),
    path("materials/<id:material_pk>/archive/", views.material_archive, name="material_archive"),
    path("sign-in-qr.<token:fmt>", views.sign_in_qr, name="sign_in_qr"),
    path("sign-in-qr/download.<token:fmt>", views.sign_in_qr, {"download": True}, name="sign_in_qr_download"),
    path("poster/", views.poster, name="poster"),
]

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_new, name="new"),
    path("<id:pk>/", include(one_event)),
    # Public: anyone may read; nobody's name or number is shown.
    path("public/", public_views.public_list, name="public_list"),
    path("public/<id:pk>/", public_views.public_detail, name="public_detail"),
    path("public/<id:pk>/ask/", public_views.ask, name="ask"),
    # The address in the event's QR: the token is unguessable (128 bits).
    path("s/<token:token>/", public_views.sign_in, name="sign_in"),
]
