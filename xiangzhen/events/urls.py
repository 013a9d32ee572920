from django.urls import path

from xiangzhen.events import contest_views, views

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
    path("<int:event_id>/registrations/", views.registrations, name="registrations"),
    path("<int:event_id>/registrations/export/", views.registrations_export, name="registrations_export"),
    path("<int:event_id>/registrations/<int:registration_id>/act/", views.registration_act, name="registration_act"),
    path("<int:event_id>/features/add/", views.feature_add, name="feature_add"),
    path("<int:event_id>/features/<int:feature_id>/remove/", views.feature_remove, name="feature_remove"),
    path("<int:event_id>/results/export/", views.results_export, name="results_export"),
    path("contests/<int:contest_id>/", contest_views.contest_page, name="contest"),
    path("contests/<int:contest_id>/criteria/add/", contest_views.criterion_add, name="criterion_add"),
    path("contests/<int:contest_id>/judges/add/", contest_views.judge_add, name="judge_add"),
    path("contests/<int:contest_id>/entries/new/", contest_views.entry_create, name="entry_create"),
    path("contests/<int:contest_id>/entries/<int:entry_id>/score/", contest_views.entry_score, name="entry_score"),
    path("contests/<int:contest_id>/publish-results/", contest_views.results_publish, name="results_publish"),
    path("public/", views.public_list, name="public"),
    path("public/export/", views.public_export, name="public_export"),
    path("public/<int:event_id>/", views.public_detail, name="public_detail"),
    path("public/<int:event_id>/sales/export/", views.public_sales_export, name="public_sales_export"),
    path("public/<int:event_id>/results/export/", views.public_results_export, name="public_results_export"),
    path("public/contests/<int:contest_id>/", contest_views.public_results, name="public_contest"),
    path("public/contests/<int:contest_id>/export/", contest_views.public_results_export, name="public_contest_export"),
]
