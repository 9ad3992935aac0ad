from django.urls import path

from shangliang.outcomes import views

app_name = "outcomes"

urlpatterns = [
    # One consultation: the three lists, reports, assigning suggestions, publication.
    path("c/<int:pk>/", views.consultation_outcomes, name="consultation"),
    path("c/<int:pk>/report/", views.report_new, name="report_new"),
    path("c/<int:pk>/assign/<int:suggestion_pk>/", views.assign, name="assign"),
    path("c/<int:pk>/publish/", views.publish, name="publish"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/send/", views.report_send, name="report_send"),
    path("reports/<int:pk>/reply/", views.report_reply, name="report_reply"),
    # One assignment: the unit's side and the supervisor's side.
    path("a/<int:pk>/", views.assignment_detail, name="assignment"),
    path("a/<int:pk>/accept/", views.assignment_accept, name="assignment_accept"),
    path("a/<int:pk>/return/", views.assignment_return, name="assignment_return"),
    path("a/<int:pk>/progress/", views.progress_add, name="progress_add"),
    path("a/<int:pk>/complete/", views.assignment_complete, name="assignment_complete"),
    path("a/<int:pk>/defer/", views.assignment_defer, name="assignment_defer"),
    path("a/<int:pk>/resume/", views.assignment_resume, name="assignment_resume"),
    path("a/<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    # Lists.
    path("unit/", views.unit_desk, name="unit_desk"),
    path("board/", views.supervision_board, name="board"),
    path("board/overdue/", views.district_overdue_board, name="overdue_board"),
    path("reports/", views.report_list, name="reports"),
]
