from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "xiangzhen.organizations"
    label = "organizations"
    verbose_name = "社会组织"
