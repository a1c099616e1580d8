from django.urls import path

from commune.web import language, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", language.language_choose, name="language"),
]
