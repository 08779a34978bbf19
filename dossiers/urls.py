"""Staff pages of the dossier lifecycle, mounted at /dossiers/ (namespace ``dossiers``)."""

from django.urls import path

from dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("receive/", views.intake, name="intake"),
    path("receive/procedures/", views.procedure_options, name="procedure_options"),
    path("receive/documents/", views.intake_documents, name="intake_documents"),
    path("supplement-row/", views.supplement_row, name="supplement_row"),
    path("log.pdf", views.log_pdf, name="log_pdf"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/received/", views.received, name="received"),
    path("<int:pk>/actions/<slug:action>/", views.act, name="act"),
    path("<int:pk>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("<int:pk>/control-slip.pdf", views.control_slip_pdf, name="control_slip_pdf"),
    path("<int:pk>/supplement-request.pdf", views.supplement_pdf, name="supplement_pdf"),
    path("<int:pk>/refusal.pdf", views.refusal_pdf, name="refusal_pdf"),
    path("<int:pk>/apology.pdf", views.apology_pdf, name="apology_pdf"),
    path("<int:pk>/stop-notice.pdf", views.stop_notice_pdf, name="stop_notice_pdf"),
]
