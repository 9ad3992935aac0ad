from django.urls import path

from shangliang.consultations import documents_views, public_views, views

app_name = "consultations"

urlpatterns = [
    # Staff: plan, participants, research, notice, session, minutes, resolution.
    path("consultations/", views.consultation_list, name="list"),
    path("consultations/plan/<int:topic_pk>/", views.consultation_plan, name="plan"),
    path("consultations/<int:pk>/", views.consultation_detail, name="detail"),
    path("consultations/<int:pk>/edit/", views.consultation_edit, name="edit"),
    path("consultations/<int:pk>/cancel/", views.consultation_cancel, name="cancel"),
    path("consultations/<int:pk>/participants/", views.participants, name="participants"),
    path("consultations/<int:pk>/participants/add/", views.participant_add, name="participant_add"),
    path("consultations/<int:pk>/participants/pick/", views.participant_pick, name="participant_pick"),
    path("consultations/<int:pk>/research/add/", views.research_add, name="research_add"),
    path("consultations/<int:pk>/notice/", views.notice, name="notice"),
    path("consultations/<int:pk>/open/", views.session_open, name="session_open"),
    path("consultations/<int:pk>/session/", views.session, name="session"),
    path("consultations/<int:pk>/sign-in/<int:participant_pk>/", views.staff_sign_in, name="staff_sign_in"),
    path("consultations/<int:pk>/statements/add/", views.statement_add, name="statement_add"),
    path("consultations/<int:pk>/posts/<int:post_pk>/hide/", views.post_hide, name="post_hide"),
    path("consultations/<int:pk>/close/", views.session_close, name="session_close"),
    path("consultations/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("consultations/<int:pk>/resolution/", views.resolution, name="resolution"),
    path("consultations/<int:pk>/dissents/<int:dissent_pk>/explain/", views.dissent_explain, name="dissent_explain"),
    path("consultations/<int:pk>/votes/add/", views.vote_add, name="vote_add"),
    # Printable documents.
    path("consultations/<int:pk>/notice.pdf", documents_views.notice_pdf, name="notice_pdf"),
    path("consultations/<int:pk>/minutes.pdf", documents_views.minutes_pdf, name="minutes_pdf"),
    path("consultations/<int:pk>/minutes.docx", documents_views.minutes_docx, name="minutes_docx"),
    path("consultations/<int:pk>/sign-in-qr.<str:fmt>", documents_views.sign_in_qr, name="sign_in_qr"),
    # Public: the consultation's page (sign-up, online opinions), a participant's own page, sign-in.
    path("c/<int:pk>/", public_views.consultation_page, name="public_page"),
    path("c/<int:pk>/signup/", public_views.signup, name="signup"),
    path("c/<int:pk>/posts/", public_views.post, name="post"),
    path("c/<int:pk>/sign-in/<str:token>/", public_views.sign_in, name="sign_in"),
    path("c/p/<str:token>/", public_views.participant_page, name="participant_page"),
    path("c/p/<str:token>/rsvp/", public_views.rsvp, name="rsvp"),
]
