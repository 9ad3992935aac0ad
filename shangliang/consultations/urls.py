from django.urls import include, path

from shangliang.consultations import documents_views, public_views, views

app_name = "consultations"

# Staff, on one consultation (under consultations/<pk>/), stage by stage.
preparation = [
    path("", views.consultation_detail, name="detail"),
    path("edit/", views.consultation_edit, name="edit"),
    path("cancel/", views.consultation_cancel, name="cancel"),
    path("participants/", views.participants, name="participants"),
    path("participants/add/", views.participant_add, name="participant_add"),
    path("participants/pick/", views.participant_pick, name="participant_pick"),
    path("research/add/", views.research_add, name="research_add"),
    path("notice/", views.notice, name="notice"),
]
session = [
    path("open/", views.session_open, name="session_open"),
    path("session/", views.session, name="session"),
    path("sign-in/<id:participant_pk>/", views.staff_sign_in, name="staff_sign_in"),
    path("statements/add/", views.statement_add, name="statement_add"),
    path("posts/<id:post_pk>/hide/", views.post_hide, name="post_hide"),
    path("close/", views.session_close, name="session_close"),
]
conclusion = [
    path("minutes/", views.minutes, name="minutes"),
    path("resolution/", views.resolution, name="resolution"),
    path("dissents/<id:dissent_pk>/explain/", views.dissent_explain, name="dissent_explain"),
    path("votes/add/", views.vote_add, name="vote_add"),
]
documents = [
    path("notice.pdf", documents_views.notice_pdf, name="notice_pdf"),
    path("minutes.pdf", documents_views.minutes_pdf, name="minutes_pdf"),
    path("minutes.docx", documents_views.minutes_docx, name="minutes_docx"),
    path("sign-in-qr.<token:fmt>", documents_views.sign_in_qr, name="sign_in_qr"),
]

# Public: the consultation's page (sign-up, online opinions, sign-in) and a participant's own page.
public_page = [
    path("", public_views.consultation_page, name="public_page"),
    path("signup/", public_views.signup, name="signup"),
    path("posts/", public_views.post, name="post"),
    path("sign-in/<token:token>/", public_views.sign_in, name="sign_in"),
]
participant_page = [
    path("", public_views.participant_page, name="participant_page"),
    path("rsvp/", public_views.rsvp, name="rsvp"),
    path("claim/", public_views.claim, name="claim"),
]

urlpatterns = [
    path("consultations/", views.consultation_list, name="list"),
    path("consultations/plan/<id:topic_pk>/", views.consultation_plan, name="plan"),
    path("consultations/<id:pk>/", include(preparation + session + conclusion + documents)),
    path("c/<id:pk>/", include(public_page)),
    path("c/p/<token:token>/", include(participant_page)),
]
