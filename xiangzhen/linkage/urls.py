from django.urls import path

from xiangzhen.linkage import views

app_name = "linkage"
urlpatterns = [
    path("", views.station_list, name="stations"),
    path("stations/export/", views.station_export, name="station_export"),
    path("stations/<int:station_id>/", views.station_detail, name="station_detail"),
    path("volunteers/", views.volunteer_list, name="volunteers"),
    path("volunteers/export/", views.volunteer_export, name="volunteer_export"),
    path("services/", views.service_list, name="services"),
    path("services/new/", views.service_create, name="service_create"),
    path("services/export/", views.service_export, name="service_export"),
    path("services/<int:service_id>/decide/", views.service_decide, name="service_decide"),
    path("totals/", views.totals, name="totals"),
    path("totals/export/", views.totals_export, name="totals_export"),
    path("incubations/", views.incubation_list, name="incubations"),
    path("incubations/export/", views.incubation_export, name="incubation_export"),
    path("guidance/", views.guidance, name="guidance"),
]
