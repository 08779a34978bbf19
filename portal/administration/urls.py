"""Administration pages for unit administrators, mounted at /quan-tri/ (namespace
``administration``)."""

from django.urls import path

from portal.administration import views

app_name = "administration"

urlpatterns = [
    path("", views.index, name="index"),
    path("don-vi/<int:pk>/", views.unit, name="unit"),
    path("don-vi/<int:unit_pk>/quay-moi/", views.desk_new, name="desk_new"),
    path("don-vi/<int:unit_pk>/can-bo-moi/", views.staff_new, name="staff_new"),
    path("don-vi/<int:unit_pk>/giao-vai-tro/", views.role_grant, name="role_grant"),
    path("quay/<int:pk>/", views.desk, name="desk"),
    path("quay/<int:desk_pk>/phong-ban/", views.department_add, name="department_add"),
    path("phong-ban/<int:pk>/", views.department_edit, name="department_edit"),
    path("vai-tro/<int:pk>/ket-thuc/", views.role_end, name="role_end"),
    path("tai-khoan/<int:pk>/", views.account, name="account"),
    path("lich/", views.calendar, name="calendar"),
    path("lich/<int:pk>/xoa/", views.calendar_delete, name="calendar_delete"),
]
