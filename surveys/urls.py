"""Pages of the surveys under /khao-sat/ (included from portal/urls.py). Fixed paths come
before the citizen's ``<token>/`` so that no word of ours is read as a token."""

from django.urls import path

from surveys import views

app_name = "surveys"

urlpatterns = [
    path("cam-on/", views.thanks, name="thanks"),
    path("ma/", views.code_entry, name="code"),
    path("ma/phieu/", views.answer_by_code, name="answer_by_code"),
    path("kiosk/", views.kiosk, name="kiosk"),
    path("kiosk/cam-on/", views.kiosk_thanks, name="kiosk_thanks"),
    path("kiosk/cai-dat/<str:code>/", views.kiosk_setup_page, name="kiosk_setup"),
    path("nhap-phieu/", views.paper_entry, name="paper_entry"),
    path("quan-ly/", views.responses, name="responses"),
    path("quan-ly/phieu/<int:pk>/", views.response_detail, name="response_detail"),
    path("quan-ly/chi-so/", views.indices, name="indices"),
    path("quan-ly/cau-tra-loi/", views.answers, name="answers"),
    path("quan-ly/kiosk/", views.kiosks, name="kiosks"),
    path("quan-ly/mau-phieu/", views.survey_forms, name="forms"),
    path("quan-ly/kiosk/<int:pk>/thu-hoi/", views.kiosk_revoke, name="kiosk_revoke"),
    path("quan-ly/thu-moi/", views.invitations, name="invitations"),
    path("quan-ly/phieu-trang/", views.blank_form, name="blank_form"),
    path("<str:token>/", views.answer, name="answer"),
]
