from django.urls import path

from shangliang.consultations import documents_views, public_views, views

app_name = "consultations"

urlpatterns = [
    # Staff: plan, participants, research, notice, session, minutes, resolution.
    path("consultations/", views.consultation_list, name="list"),
    path("consultations/plan/<id:topic_pk>/", views.consultation_plan, name="plan"),
    path("consultations/<id:pk>/", views.consultation_detail, name="detail"),
    path("consultations/<id:pk>/edit/", views.consultation_edit, name="edit"),
    path("consultations/<id:pk>/cancel/", views.consultation_cancel, name="cancel"),
    path("consultations/<id:pk>/participants/", views.participants, name="participants"),
    path("consultations/<id:pk>/participants/add/", views.participant_add, name="participant_add"),
    path("consultations/<id:pk>/participants/pick/", views.participant_pick, name="participant_pick"),
    path("consultations/<id:pk>/research/add/", views.research_add, name="research_add"),
    path("consultations/<id:pk>/notice/", views.notice, name="notice"),
    path("consultations/<id:pk>/open/", views.session_open, name="session_open"),
    path("consultations/<id:pk>/session/", views.session, name="session"),
    path("consultations/<id:pk>/sign-in/<id:participant_pk>/", views.staff_sign_in, name="staff_sign_in"),
    path("consultations/<id:pk>/statements/add/", views.statement_add, name="statement_add"),
    path("consultations/<id:pk>/posts/<id:post_pk>/hide/", views.post_hide, name="post_hide"),
    path("consultations/<id:pk>/close/", views.session_close, name="session_close"),
    path("consultations/<id:pk>/minutes/", views.minutes, name="minutes"),
    path("consultations/<id:pk>/resolution/", views.resolution, name="resolution"),
    path("consultations/<id:pk>/dissents/<id:dissent_pk>/explain/", views.dissent_explain, name="dissent_explain"),
    path("consultations/<id:pk>/votes/add/", views.vote_add, name="vote_add"),
    # Printable documents.
    path("consultations/<id:pk>/notice.pdf", documents_views.notice_pdf, name="notice_pdf"),
    path("consultations/<id:pk>/minutes.pdf", documents_views.minutes_pdf, name="minutes_pdf"),
    path("consultations/<id:pk>/minutes.docx", documents_views.minutes_docx, name="minutes_docx"),
    path("consultations/<id:pk>/sign-in-qr.<token:fmt>", documents_views.sign_in_qr, name="sign_in_qr"),
    # Public: the consultation's page (sign-up, online opinions), a participant's own page, sign-in.
    path("c/<id:pk>/", public_views.consultation_page, name="public_page"),
    path("c/<id:pk>/signup/", public_views.signup, name="signup"),
    path("c/<id:pk>/posts/", public_views.post, name="post"),
    path("c/<id:pk>/sign-in/<token:token>/", public_views.sign_in, name="sign_in"),
    path("c/p/<token:token>/", public_views.participant_page, name="participant_page"),
    path("c/p/<token:token>/rsvp/", public_views.rsvp, name="rsvp"),
    path("c/p/<token:token>/claim/", public_views.claim, name="claim"),
]
