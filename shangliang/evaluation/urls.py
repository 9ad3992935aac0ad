from django.urls import include, path

from shangliang.evaluation import views

app_name = "evaluation"

# One consultation: satisfaction figures, the ratings, staff entry, follow-ups, third-party evaluations, the
# typical case.
one_consultation = [
    path("", views.consultation_evaluation, name="consultation"),
    path("ratings/new/", views.rating_record, name="rating_record"),
    path("ratings/<id:rating_pk>/doubtful/", views.rating_doubtful, name="rating_doubtful"),
    path("evaluate/", views.third_party_evaluation_add, name="third_party_evaluation_add"),
    path("case/", views.case_publish, name="case_publish"),
    path("case/withdraw/", views.case_withdraw, name="case_withdraw"),
]

urlpatterns = [
    path("c/<id:pk>/", include(one_consultation)),
    path("follow-ups/<id:pk>/close/", views.follow_up_close, name="follow_up_close"),
    path("follow-ups/", views.follow_up_list, name="follow_ups"),
]
