from django.urls import path

from xiangzhen.offers import views

app_name = "offers"
urlpatterns = [
    path("", views.offer_list, name="list"),
    path("export/", views.offer_export, name="export"),
    path("public/", views.public_list, name="public"),
    path("public/export/", views.public_export, name="public_export"),
    path("new/", views.offer_create, name="create"),
    path("import/", views.import_choose, name="import_choose"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/<int:organization_id>/", views.offer_import, name="import"),
    path("<int:offer_id>/", views.offer_detail, name="detail"),
    path("<int:offer_id>/edit/", views.offer_edit, name="edit"),
    path("<int:offer_id>/act/", views.offer_act, name="act"),
    path("<int:offer_id>/review/", views.offer_review, name="review"),
]
