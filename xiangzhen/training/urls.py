from django.urls import path

from xiangzhen.training import views

app_name = "training"
urlpatterns = [
    path("", views.training_list, name="list"),
    path("export/", views.training_export, name="export"),
    path("new/", views.training_create, name="create"),
    path("<int:training_id>/", views.training_detail, name="detail"),
    path("<int:training_id>/act/", views.training_act, name="act"),
    path("<int:training_id>/enroll/", views.training_enroll, name="enroll"),
    path("<int:training_id>/attendance/", views.training_attendance, name="attendance"),
    path("<int:training_id>/enrollments/export/", views.enrollments_export, name="enrollments_export"),
    path("certificates/<str:certificate_number>/", views.certificate, name="certificate"),
    path("certificates/<str:certificate_number>/download/", views.certificate_download, name="certificate_download"),
    path("talents/", views.talent_list, name="talents"),
    path("talents/export/", views.talent_export, name="talent_export"),
    path("talents/<int:talent_id>/", views.talent_detail, name="talent_detail"),
    path("public/verify/", views.verify, name="verify"),
    path("public/verify/<str:certificate_number>/", views.verify, name="verify_number"),
]
