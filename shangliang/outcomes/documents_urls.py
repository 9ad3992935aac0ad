from django.urls import path

from shangliang.outcomes import documents_views

app_name = "outcomes_files"

urlpatterns = [
    path("reports/<id:pk>.docx", documents_views.report_docx, name="report_docx"),
    path("reports/<id:pk>.pdf", documents_views.report_pdf, name="report_pdf"),
    path("c/<id:pk>/three-lists.xlsx", documents_views.three_lists_xlsx, name="three_lists_xlsx"),
    path("sheet.xlsx", documents_views.sheet_xlsx, name="sheet_xlsx"),
    path("sheet.csv", documents_views.sheet_csv, name="sheet_csv"),
    path("c/<id:pk>/poster.pdf", documents_views.poster_pdf, name="poster_pdf"),
]
