from django.urls import path

from xiangzhen.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.match_list, name="list"),
    path("export/", views.match_export, name="export"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("demand/<int:demand_id>/", views.demand_page, name="demand"),
    path("order/<int:demand_id>/", views.order, name="order"),
    path("take/<int:demand_id>/", views.take, name="take"),
    path("<int:match_id>/", views.match_detail, name="detail"),
    path("<int:match_id>/activity/", views.activity, name="activity"),
    path("<int:match_id>/complete/", views.complete, name="complete"),
    path("<int:match_id>/evaluate/", views.evaluate, name="evaluate"),
    path("<int:match_id>/contact/", views.match_contact, name="contact"),
    path("<int:match_id>/milestones/", views.milestone, name="milestone"),
    path("<int:match_id>/milestones/<int:milestone_id>/reach/", views.reach_milestone, name="reach_milestone"),
    path("<int:match_id>/<str:action>/", views.match_action, name="action"),
]
