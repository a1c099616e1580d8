from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "commune.web"
    label = "web"
    verbose_name = "Web interface"
