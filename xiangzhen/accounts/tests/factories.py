import factory

from xiangzhen.accounts.models import Department, User

PASSWORD = "Xz-test-pass-2026"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("kind", "region_id")

    kind = Department.Kind.RURAL_REVITALIZATION
    region_id = "433124000000"
    name = factory.LazyAttribute(lambda d: f"{d.region_id} {d.kind}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    role = User.Role.ORGANIZATION
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def staff(kind: str, region_code: str, **kwargs) -> User:
    department = DepartmentFactory(kind=kind, region_id=region_code)
    return UserFactory(role=User.Role.DEPARTMENT_STAFF, department=department, **kwargs)
