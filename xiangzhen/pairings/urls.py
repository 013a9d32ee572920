from django.urls import path

from xiangzhen.pairings import views

app_name = "pairings"
urlpatterns = [
    path("", views.pairing_list, name="list"),
    path("export/", views.pairing_export, name="export"),
    path("new/", views.pairing_propose, name="propose"),
    path("arrange/", views.pairing_arrange, name="arrange"),
    path("key-villages/", views.key_villages, name="key_villages"),
    path("key-villages/export/", views.key_villages_export, name="key_villages_export"),
    path("<int:pairing_id>/", views.pairing_detail, name="detail"),
    path("<int:pairing_id>/edit/", views.pairing_edit, name="edit"),
    path("<int:pairing_id>/act/", views.pairing_act, name="act"),
    path("<int:pairing_id>/review/", views.pairing_review, name="review"),
]
