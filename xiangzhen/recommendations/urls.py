from django.urls import path

from xiangzhen.recommendations import views

app_name = "recommendations"
urlpatterns = [
    path("demand/<int:demand_id>/", views.demand_page, name="demand"),
    path("offer/<int:offer_id>/", views.offer_page, name="offer"),
    path("organization/<int:organization_id>/", views.organization_page, name="organization"),
    path("accept/", views.accept, name="accept"),
    path("weights/", views.weights, name="weights"),
]
