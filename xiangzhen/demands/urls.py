from django.urls import path

from xiangzhen.demands import views

app_name = "demands"
urlpatterns = [
    path("", views.demand_list, name="list"),
    path("export/", views.demand_export, name="export"),
    path("public/", views.public_list, name="public_list"),
    path("public/export/", views.public_export, name="public_export"),
    path("public/<int:demand_id>/", views.public_detail, name="public_detail"),
    path("new/", views.demand_create, name="create"),
    path("import/", views.demand_import, name="import"),
    path("import/template/", views.import_template, name="template"),
    path("<int:demand_id>/", views.demand_detail, name="detail"),
    path("<int:demand_id>/edit/", views.demand_edit, name="edit"),
    path("<int:demand_id>/review/", views.demand_review, name="review"),
    path("<int:demand_id>/submit/", views.demand_action, {"action": "submit"}, name="submit"),
    path("<int:demand_id>/resubmit/", views.demand_action, {"action": "resubmit"}, name="resubmit"),
    path("<int:demand_id>/withdraw/", views.demand_action, {"action": "withdraw"}, name="withdraw"),
]
