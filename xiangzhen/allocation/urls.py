from django.urls import path

from xiangzhen.allocation import views

app_name = "allocation"
urlpatterns = [
    path("", views.run_list, name="list"),
    path("runs/<int:run_id>/", views.run_detail, name="detail"),
    path("items/<int:item_id>/<str:action>/", views.item_action, name="item_action"),
]
