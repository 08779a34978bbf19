"""Staff pages of the dossier lifecycle, mounted at /dossiers/ (namespace ``dossiers``)."""

from django.urls import path

from dossiers import views

app_name = "dossiers"


def _document(kind, *, name):
    """``<pk>/<kind>.pdf``: one of the dossier's printed documents (views.document_pdf)."""
    return path(f"<int:pk>/{kind}.pdf", views.document_pdf, {"kind": kind}, name=name)


urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("receive/", views.intake, name="intake"),
    path("receive/procedures/", views.procedure_options, name="procedure_options"),
    path("receive/documents/", views.intake_documents, name="intake_documents"),
    path("receive/guidance.pdf", views.guidance_pdf, name="guidance_pdf"),
    path("supplement-row/", views.supplement_row, name="supplement_row"),
    path("log.pdf", views.log_pdf, name="log_pdf"),
    path("desks/<int:pk>/procedures/", views.desk_procedures, name="desk_procedures"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/received/", views.received, name="received"),
    path("<int:pk>/actions/<slug:action>/", views.act, name="act"),
    _document("receipt", name="receipt_pdf"),
    _document("control-slip", name="control_slip_pdf"),
    _document("supplement-request", name="supplement_pdf"),
    _document("refusal", name="refusal_pdf"),
    _document("apology", name="apology_pdf"),
    _document("stop-notice", name="stop_notice_pdf"),
]
