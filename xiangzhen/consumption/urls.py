from django.urls import path

from xiangzhen.consumption import views

app_name = "consumption"
urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/export/", views.catalogue_export, name="catalogue_export"),
    path("catalogue/<int:product_id>/", views.public_product, name="public_product"),
    path("products/", views.product_list, name="products"),
    path("products/export/", views.product_export, name="product_export"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<int:product_id>/", views.product_detail, name="product_detail"),
    path("products/<int:product_id>/edit/", views.product_edit, name="product_edit"),
    path("products/<int:product_id>/act/", views.product_act, name="product_act"),
    path("purchases/", views.purchase_list, name="purchases"),
    path("purchases/export/", views.purchase_export, name="purchase_export"),
    path("purchases/new/", views.purchase_create, name="purchase_create"),
    path("purchases/import/", views.purchase_import, name="purchase_import"),
    path("purchases/template/", views.import_template, name="template"),
    path("totals/", views.totals, name="totals"),
    path("totals/export/", views.totals_export, name="totals_export"),
    path("batches/", views.batch_list, name="batches"),
    path("batches/export/", views.batch_export, name="batch_export"),
    path("batches/<int:batch_id>/", views.batch_detail, name="batch_detail"),
]
