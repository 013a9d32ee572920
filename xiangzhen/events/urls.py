from django.urls import path

from xiangzhen.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("export/", views.event_export, name="export"),
    path("new/", views.event_create, name="create"),
    path("<int:event_id>/", views.event_detail, name="detail"),
    path("<int:event_id>/edit/", views.event_edit, name="edit"),
    path("<int:event_id>/act/", views.event_act, name="act"),
    path("<int:event_id>/villages/add/", views.village_add, name="village_add"),
    path("<int:event_id>/villages/remove/", views.village_remove, name="village_remove"),
    path("public/", views.public_list, name="public"),
    path("public/export/", views.public_export, name="public_export"),
    path("public/<int:event_id>/", views.public_detail, name="public_detail"),
    path("public/<int:event_id>/sales/export/", views.public_sales_export, name="public_sales_export"),
]
