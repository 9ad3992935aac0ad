from django.urls import path

from shangliang.evaluation import views

app_name = "evaluation"

urlpatterns = [
    # One consultation: satisfaction figures, the ratings, staff entry, follow-ups, assessments, the typical case.
    path("c/<id:pk>/", views.consultation_evaluation, name="consultation"),
    path("c/<id:pk>/ratings/new/", views.rating_record, name="rating_record"),
    path("c/<id:pk>/ratings/<id:rating_pk>/doubtful/", views.rating_doubtful, name="rating_doubtful"),
    path("c/<id:pk>/assess/", views.assessment_add, name="assessment_add"),
    path("c/<id:pk>/case/", views.case_publish, name="case_publish"),
    path("c/<id:pk>/case/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("follow-ups/<id:pk>/close/", views.follow_up_close, name="follow_up_close"),
    path("follow-ups/", views.follow_up_list, name="follow_ups"),
]
