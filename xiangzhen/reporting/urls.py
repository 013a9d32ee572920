from django.urls import path

from xiangzhen.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("export/", views.report_export, name="export"),
    path("schedules/", views.schedule_list, name="schedules"),
    path("schedules/edit/", views.schedule_edit, name="schedule_edit"),
    path("periods/open/", views.period_open, name="period_open"),
    path("periods/<int:period_id>/", views.period_detail, name="period"),
    path("periods/<int:period_id>/export/", views.period_export, name="period_export"),
    path("periods/<int:period_id>/consolidated/", views.period_consolidated, name="period_consolidated"),
    path("periods/<int:period_id>/close/", views.period_close, name="period_close"),
    path("<int:report_id>/", views.report_detail, name="detail"),
    path("<int:report_id>/edit/", views.report_edit, name="edit"),
    path("<int:report_id>/word/", views.report_word, name="word"),
    path("<int:report_id>/<str:action>/", views.report_action, name="action"),
]
