from django.urls import path

from xiangzhen.brands import views

app_name = "brands"
urlpatterns = [
    path("", views.brand_list, name="list"),
    path("export/", views.brand_export, name="export"),
    path("new/", views.brand_create, name="create"),
    path("<int:brand_id>/", views.brand_detail, name="detail"),
    path("<int:brand_id>/edit/", views.brand_edit, name="edit"),
    path("<int:brand_id>/status/", views.brand_status, name="status"),
    path("organizations/<int:organization_id>/", views.organization_page, name="organization"),
    path("public/", views.public_brand_list, name="public"),
    path("public/export/", views.public_brand_export, name="public_export"),
    path("public/<int:brand_id>/", views.public_brand_detail, name="public_detail"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/export/", views.case_export, name="case_export"),
    path("cases/review/", views.case_review_queue, name="case_review_queue"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:case_id>/act/", views.case_act, name="case_act"),
    path("cases/<int:case_id>/review/", views.case_review, name="case_review"),
    path("cases/public/", views.public_case_list, name="case_public"),
    path("cases/public/export/", views.public_case_export, name="case_public_export"),
    path("cases/public/<int:case_id>/", views.public_case_detail, name="case_public_detail"),
    path("commendations/", views.commendation_list, name="commendation_list"),
    path("commendations/export/", views.commendation_export, name="commendation_export"),
    path("commendations/new/", views.commendation_create, name="commendation_create"),
    path("commendations/<int:commendation_id>/edit/", views.commendation_edit, name="commendation_edit"),
]
