from django.urls import path

from shangliang.outcomes import views

app_name = "outcomes"

urlpatterns = [
    # One consultation: the three lists, reports, assigning suggestions, publication.
    path("c/<id:pk>/", views.consultation_outcomes, name="consultation"),
    path("c/<id:pk>/report/", views.report_new, name="report_new"),
    path("c/<id:pk>/assign/<id:suggestion_pk>/", views.assign, name="assign"),
    path("c/<id:pk>/publish/", views.publish, name="publish"),
    path("reports/<id:pk>/", views.report_detail, name="report"),
    path("reports/<id:pk>/send/", views.report_send, name="report_send"),
    path("reports/<id:pk>/reply/", views.report_reply, name="report_reply"),
    # One assignment: the unit's side and the supervisor's side.
    path("a/<id:pk>/", views.assignment_detail, name="assignment"),
    path("a/<id:pk>/accept/", views.assignment_accept, name="assignment_accept"),
    path("a/<id:pk>/return/", views.assignment_return, name="assignment_return"),
    path("a/<id:pk>/progress/", views.progress_add, name="progress_add"),
    path("a/<id:pk>/complete/", views.assignment_complete, name="assignment_complete"),
    path("a/<id:pk>/defer/", views.assignment_defer, name="assignment_defer"),
    path("a/<id:pk>/resume/", views.assignment_resume, name="assignment_resume"),
    path("a/<id:pk>/extension/", views.extension_request, name="extension_request"),
    path("extensions/<id:pk>/decide/", views.extension_decide, name="extension_decide"),
    # Lists.
    path("unit/", views.unit_desk, name="unit_desk"),
    path("board/", views.supervision_board, name="board"),
    path("board/overdue/", views.district_overdue_board, name="overdue_board"),
    path("reports/", views.report_list, name="reports"),
]
