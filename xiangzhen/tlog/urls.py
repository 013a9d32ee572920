from django.urls import path

from xiangzhen.tlog import views

app_name = "tlog"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("lookup/", views.lookup, name="lookup"),
    path("how-to-verify/", views.how_to_verify, name="how_to_verify"),
    path("key.txt", views.public_key, name="key"),
    path("publish/", views.publish, name="publish"),
    path("checkpoints/", views.checkpoint_list, name="checkpoints"),
    path("checkpoints/<int:tree_size>/", views.checkpoint_detail, name="checkpoint"),
    path("checkpoints/<int:tree_size>/cosign/", views.cosign, name="cosign"),
]
