from django.urls import URLPattern

app_name = "recommendations"
urlpatterns: list[URLPattern] = []
