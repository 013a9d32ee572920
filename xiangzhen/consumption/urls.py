from django.urls import path  # noqa: F401

app_name = "consumption"
urlpatterns: list = []  # type: ignore[type-arg]
