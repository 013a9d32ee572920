from django.urls import path

from xiangzhen.core import views

app_name = "core"
urlpatterns = [
    path("", views.front, name="front"),
    path("workbench/", views.home, name="home"),
    path("audit/", views.audit_log, name="audit"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
