"""Hand-off to other channels (制度衔接): hand a matter off, the list in scope, one hand-off, its answer."""

from django.urls import path

from shangliang.handoffs import views
from shangliang.handoffs.states import Subject

app_name = "handoffs"

urlpatterns = [
    path("", views.handoff_list, name="list"),
    path("new/submission/<id:pk>/", views.handoff_new, {"kind": Subject.SUBMISSION}, name="new_submission"),
    path("new/topic/<id:pk>/", views.handoff_new, {"kind": Subject.TOPIC}, name="new_topic"),
    path("new/suggestion/<id:pk>/", views.handoff_new, {"kind": Subject.SUGGESTION}, name="new_suggestion"),
    path("<id:pk>/", views.handoff_detail, name="detail"),
    path("<id:pk>/answer/", views.handoff_answer, name="answer"),
    path("<id:pk>/withdraw/", views.handoff_withdraw, name="withdraw"),
]
