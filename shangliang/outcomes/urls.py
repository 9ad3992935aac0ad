from django.urls import include, path

from shangliang.outcomes import (
    assignment_views,
    board_views,
    decision_views,
    handdown_views,
    measure_views,
    reply_views,
    report_views,
    views,
)

app_name = "outcomes"


def act(key: str, name: str, route: str = ""):
    """An action on one assignment: its one POST view reads the table of actions (outcomes/actions.py) under ``key``."""
    return path(route or f"{key}/", assignment_views.assignment_act, {"action": key}, name=name)


# One consultation: the three lists, reports, assigning suggestions, publication.
one_consultation = [
    path("", views.consultation_outcomes, name="consultation"),
    path("report/", report_views.report_new, name="report_new"),
    path("assign/<id:suggestion_pk>/", views.assign, name="assign"),
    path("decide/<id:suggestion_pk>/", decision_views.suggestion_decide, name="suggestion_decide"),
    path("publish/", views.publish, name="publish"),
]
one_report = [
    path("", report_views.report_detail, name="report"),
    path("send/", report_views.report_send, name="report_send"),
    path("reply/", report_views.report_reply, name="report_reply"),
]
# One assignment: the unit's side and the supervisor's side.
one_assignment = [
    path("", assignment_views.assignment_detail, name="assignment"),
    act("accept", "assignment_accept"),
    act("return", "assignment_return"),
    act("progress", "progress_add"),
    act("complete", "assignment_complete"),
    act("check", "assignment_check"),
    act("send_back", "assignment_send_back", "send-back/"),
    act("defer", "assignment_defer"),
    act("resume", "assignment_resume"),
    act("extension", "extension_request"),
    path("measures/add/", measure_views.measure_add, name="measure_add"),
    path("measures/<id:measure_pk>/withdraw/", measure_views.measure_withdraw, name="measure_withdraw"),
]

urlpatterns = [
    path("c/<id:pk>/", include(one_consultation)),
    path("reports/<id:pk>/", include(one_report)),
    path("a/<id:pk>/", include(one_assignment)),
    act("decision", "extension_decide", route="extensions/<id:pk>/decide/"),
    # Lists.
    path("unit/", board_views.unit_desk, name="unit_desk"),
    # 镇村联动: items a township (or the district) handed down to the conveners' villages.
    path("handdown/", handdown_views.handed_down, name="handdown"),
    # The unit a report is addressed to: its reports and their written replies.
    path("unit/reports/", reply_views.unit_reports, name="unit_reports"),
    path("unit/reports/<id:pk>/", reply_views.unit_report, name="unit_report"),
    path("unit/reports/<id:pk>/report.docx", reply_views.unit_report_docx, name="unit_report_docx"),
    path("unit/reports/<id:pk>/report.pdf", reply_views.unit_report_pdf, name="unit_report_pdf"),
    path("board/", board_views.supervision_board, name="board"),
    path("board/overdue/", board_views.district_overdue_board, name="overdue_board"),
    path("reports/", report_views.report_list, name="reports"),
]
