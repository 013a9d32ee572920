from django.urls import path

from xiangzhen.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.score_list, name="scores"),
    path("export/", views.score_export, name="export"),
    path("rating-export/", views.rating_export, name="rating_export"),
    path("commendation/", views.commendation, name="commendation"),
    path("commendation/export/", views.commendation_export, name="commendation_export"),
    path("compute/", views.compute, name="compute"),
    path("organizations/<int:organization_id>/<int:year>/", views.score_detail, name="score"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/new/", views.indicator_create, name="indicator_create"),
    path("scheme/", views.scheme_update, name="scheme"),
]
