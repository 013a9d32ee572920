from django.urls import path

from xiangzhen.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.figures_page, name="figures"),
    path("public/", views.public_page, name="public"),
]
