from django.urls import path

from xiangzhen.portal import feeds, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="list"),
    path("articles/export/", views.article_export, name="export"),
    path("articles/review/", views.review_queue, name="review_queue"),
    path("articles/new/", views.article_create, name="create"),
    path("articles/<int:article_id>/", views.article_detail, name="detail"),
    path("articles/<int:article_id>/edit/", views.article_edit, name="edit"),
    path("articles/<int:article_id>/act/", views.article_act, name="act"),
    path("public/", views.public_list, name="public"),
    path("public/export/", views.public_export, name="public_export"),
    path("public/<int:article_id>/", views.public_detail, name="public_detail"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/<slug:open_dataset>.<str:open_format>", views.open_data_file, name="open_data_file"),
    path("feeds/articles/rss/", feeds.ArticlesRss(), name="articles_rss"),
    path("feeds/articles/atom/", feeds.ArticlesAtom(), name="articles_atom"),
    path("feeds/demands/rss/", feeds.DemandsRss(), name="demands_rss"),
    path("feeds/demands/atom/", feeds.DemandsAtom(), name="demands_atom"),
]
