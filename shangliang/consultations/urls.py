from django.urls import include, path

from shangliang.consultations import (
    dissent_views,
    documents_views,
    legal_views,
    on_the_spot_views,
    participant_views,
    public_views,
    schedule_views,
    session_views,
    views,
)

app_name = "consultations"

# Staff, on one consultation (under consultations/<pk>/), stage by stage.
preparation = [
    path("", views.consultation_detail, name="detail"),
    path("edit/", views.consultation_edit, name="edit"),
    path("cancel/", views.consultation_cancel, name="cancel"),
    path("participants/", views.participants, name="participants"),
    path("participants/add/", views.participant_add, name="participant_add"),
    path("participants/pick/", views.participant_pick, name="participant_pick"),
    path("participants/members/", participant_views.member_search, name="member_search"),
    path("participants/members/invite/", participant_views.member_invite, name="member_invite"),
    path("participants/<id:participant_pk>/remove/", participant_views.participant_remove, name="participant_remove"),
    path(
        "participants/<id:participant_pk>/member/",
        participant_views.participant_confirm_member,
        name="participant_confirm_member",
    ),
    path("research/add/", views.research_add, name="research_add"),
    path("notice/", views.notice, name="notice"),
    path("notice/other/<id:participant_pk>/", schedule_views.notice_other, name="notice_other"),
    path("reschedule/", schedule_views.reschedule, name="reschedule"),
    path("start-check/", schedule_views.start_check, name="start_check"),
]
session = [
    path("open/", views.session_open, name="session_open"),
    path("session/", session_views.session, name="session"),
    path("session/live/", session_views.session_live, name="session_live"),
    path("sign-in/<id:participant_pk>/", session_views.staff_sign_in, name="staff_sign_in"),
    path("statements/add/", session_views.statement_add, name="statement_add"),
    path("statements/<id:statement_pk>/edit/", session_views.statement_edit, name="statement_edit"),
    path("statements/<id:statement_pk>/withdraw/", session_views.statement_withdraw, name="statement_withdraw"),
    path("statements/<id:statement_pk>/solved/", on_the_spot_views.statement_solve, name="statement_solve"),
    path("posts/<id:post_pk>/hide/", views.post_hide, name="post_hide"),
    path("close/", views.session_close, name="session_close"),
]
conclusion = [
    path("minutes/", views.minutes, name="minutes"),
    path("resolution/", views.resolution, name="resolution"),
    path("suggestions/<id:suggestion_pk>/edit/", session_views.suggestion_edit, name="suggestion_edit"),
    path("suggestions/<id:suggestion_pk>/withdraw/", session_views.suggestion_withdraw, name="suggestion_withdraw"),
    path("suggestions/<id:suggestion_pk>/solved/", on_the_spot_views.suggestion_solve, name="suggestion_solve"),
    path("suggestions/<id:suggestion_pk>/contest/", dissent_views.suggestion_contest, name="suggestion_contest"),
    path("suggestions/<id:suggestion_pk>/uncontest/", dissent_views.suggestion_uncontest, name="suggestion_uncontest"),
    path("dissents/<id:dissent_pk>/explain/", dissent_views.dissent_explain, name="dissent_explain"),
    path("votes/add/", dissent_views.vote_add, name="vote_add"),
    path("legal-review/", legal_views.legal_review, name="legal_review"),
]
documents = [
    path("notice.pdf", documents_views.notice_pdf, name="notice_pdf"),
    path("minutes.pdf", documents_views.minutes_pdf, name="minutes_pdf"),
    path("minutes.docx", documents_views.minutes_docx, name="minutes_docx"),
    path("sign-in-qr.<token:fmt>", documents_views.sign_in_qr, name="sign_in_qr"),
    path("door/screen/", documents_views.door_screen, name="door_screen"),
    path("door/print/", documents_views.door_print, name="door_print"),
]

# Public: the consultation's page (sign-up, online opinions, sign-in) and a participant's own page.
public_page = [
    path("", public_views.consultation_page, name="public_page"),
    path("signup/", public_views.signup, name="signup"),
    path("posts/", public_views.post, name="post"),
    # The fixed address printed on notices before the door code; it only tells to scan the code at the door.
    path("sign-in/<token:token>/", public_views.sign_in_moved, name="sign_in"),
    path("door/<token:code>/", public_views.door_sign_in, name="door"),
    path("door/<token:code>/code/", public_views.door_code, name="door_code"),
]
participant_page = [
    path("", public_views.participant_page, name="participant_page"),
    path("rsvp/", public_views.rsvp, name="rsvp"),
    path("claim/", public_views.claim, name="claim"),
    path("sign-in/", public_views.participant_sign_in, name="participant_sign_in"),
]

urlpatterns = [
    path("consultations/", views.consultation_list, name="list"),
    path("consultations/plan/<id:topic_pk>/", views.consultation_plan, name="plan"),
    path("consultations/plan/<id:topic_pk>/start-check/", schedule_views.plan_start_check, name="plan_start_check"),
    path("consultations/<id:pk>/", include(preparation + session + conclusion + documents)),
    path("c/<id:pk>/", include(public_page)),
    path("c/p/<token:token>/", include(participant_page)),
]
