from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "opora.accounts"
    label = "accounts"
    verbose_name = "Пользователи и доступ"
