from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "commune.accounts"
    label = "accounts"
    verbose_name = "People and sign-in"
