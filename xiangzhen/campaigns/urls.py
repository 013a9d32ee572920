from django.urls import path

from xiangzhen.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("export/", views.campaign_export, name="export"),
    path("new/", views.campaign_create, name="create"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/export/", views.activity_export, name="activity_export"),
    path("activities/<int:activity_id>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:activity_id>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:activity_id>/participations/", views.participation_add, name="participation_add"),
    path(
        "activities/<int:activity_id>/participations/<int:participation_id>/remove/",
        views.participation_remove,
        name="participation_remove",
    ),
    path("<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("<int:campaign_id>/edit/", views.campaign_edit, name="edit"),
    path("<int:campaign_id>/act/", views.campaign_act, name="act"),
    path("<int:campaign_id>/enrollment/", views.enrollment_act, name="enrollment"),
    path("<int:campaign_id>/enrollments/export/", views.enrollment_export, name="enrollment_export"),
    path("<int:campaign_id>/activities/new/", views.activity_create, name="activity_create"),
    path("<int:campaign_id>/activities/export/", views.campaign_activity_export, name="campaign_activity_export"),
    path("public/", views.public_list, name="public"),
    path("public/export/", views.public_export, name="public_export"),
    path("public/<int:campaign_id>/", views.public_detail, name="public_detail"),
]
