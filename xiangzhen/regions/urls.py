from django.urls import path

from xiangzhen.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("designations/", views.designations, name="designations"),
    path("designations/import/", views.designation_import, name="designation_import"),
    path("import/", views.division_import, name="division_import"),
    path("<str:code>/", views.browse, name="region"),
]
