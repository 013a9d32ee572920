from django.urls import path

from xiangzhen.facilities import views

app_name = "facilities"
urlpatterns = [
    path("", views.facility_list, name="list"),
    path("export/", views.facility_export, name="export"),
    path("new/", views.facility_create, name="create"),
    path("by-county/", views.by_county, name="by_county"),
    path("by-county/export/", views.by_county_export, name="by_county_export"),
    path("<int:facility_id>/", views.facility_detail, name="detail"),
    path("<int:facility_id>/act/", views.facility_act, name="act"),
    path("<int:facility_id>/usages/new/", views.usage_create, name="usage_create"),
    path("<int:facility_id>/usages/export/", views.usage_export, name="usage_export"),
    path("<int:facility_id>/photos/", views.photos_upload, name="photos"),
    path("public/", views.public_list, name="public"),
    path("public/export/", views.public_export, name="public_export"),
    path("public/<int:facility_id>/", views.public_detail, name="public_detail"),
]
