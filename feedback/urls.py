"""Pages of feedback and complaints, mounted at /phan-anh/ (Vietnamese: "feedback"), namespace
``feedback``. Citizens (no account): the form, the confirmation and receipt, tracking
(``tra-cuu``, the address the notifications give) and the published answers (``cong-khai``).
Staff (signed in, scoped by unit): ``quan-ly`` ("management")."""

from django.urls import path

from feedback import staff_views, views

app_name = "feedback"

urlpatterns = [
    # citizens
    path("", views.submit, name="submit"),
    path("don-vi/", views.unit_options, name="unit_options"),
    path("da-gui/<int:pk>/", views.submitted, name="submitted"),
    path("da-gui/<int:pk>/bien-nhan.pdf", views.receipt, name="receipt"),
    path("tra-cuu/", views.track, name="track"),
    path("tra-cuu/ket-qua/", views.track_result, name="track_result"),
    path("tra-cuu/ket-qua/tra-loi-<int:number>.pdf", views.track_letter, name="track_letter"),
    path("tra-cuu/ket-qua/khong-dong-y/", views.dispute, name="dispute"),
    path("tra-cuu/xong/", views.track_forget, name="track_forget"),
    path("tra-cuu/t/<str:token>/", views.track_token, name="track_token"),
    path("cong-khai/", views.published, name="published"),
    path("cong-khai/<int:pk>/", views.published_detail, name="published_detail"),
    # staff
    path("quan-ly/", staff_views.queue, name="queue"),
    path("quan-ly/nhap/", staff_views.entry, name="entry"),
    path("quan-ly/<int:pk>/", staff_views.detail, name="detail"),
    path("quan-ly/<int:pk>/da-nhap/", staff_views.entered, name="entered"),
    path("quan-ly/<int:pk>/bien-nhan.pdf", staff_views.entry_receipt, name="entry_receipt"),
    path("quan-ly/<int:pk>/thao-tac/<slug:action>/", staff_views.act, name="act"),
    path("quan-ly/<int:pk>/don-vi-chuyen/", staff_views.transfer_options, name="transfer_options"),
    path(
        "quan-ly/<int:pk>/tra-loi/xem-truoc.pdf",
        staff_views.letter_preview,
        name="letter_preview",
    ),
    path("quan-ly/<int:pk>/tra-loi/<int:number>.pdf", staff_views.letter, name="letter"),
    path("quan-ly/<int:pk>/tep/<int:attachment_id>/", staff_views.attachment, name="attachment"),
]
