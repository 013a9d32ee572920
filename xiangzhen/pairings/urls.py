from django.urls import path  # noqa: F401

app_name = "pairings"
urlpatterns: list = []  # type: ignore[type-arg]
