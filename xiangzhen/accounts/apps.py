from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xiangzhen.accounts"
    label = "accounts"
    verbose_name = "账号与权限"
