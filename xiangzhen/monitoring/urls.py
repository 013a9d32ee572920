from django.urls import path

from xiangzhen.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("export/", views.household_export, name="export"),
    path("new/", views.household_create, name="create"),
    path("relocation-sites/", views.relocation_sites, name="relocation_sites"),
    path("<int:household_id>/", views.household_detail, name="detail"),
    path("<int:household_id>/members/", views.member_add, name="member_add"),
    path("<int:household_id>/close/", views.household_close, name="close"),
    path("<int:household_id>/accesses/", views.access_grant, name="access_grant"),
    path("<int:household_id>/assistance/", views.assistance_add, name="assistance_add"),
]
