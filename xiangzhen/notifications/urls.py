from django.urls import path

from xiangzhen.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("<int:notification_id>/read/", views.mark_read, name="read"),
    path("subscriptions/", views.subscription_list, name="subscriptions"),
    path("subscriptions/<int:subscription_id>/", views.subscription_edit, name="subscription_edit"),
    path("subscriptions/<int:subscription_id>/deactivate/", views.subscription_deactivate, name="deactivate"),
]
