import factory

from xiangzhen.organizations.credit_code import make_credit_code
from xiangzhen.organizations.models import Membership, Organization

CATEGORY = {"social_group": "1", "social_service_agency": "2", "foundation": "3"}


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试社会组织{n}")
    kind = Organization.Kind.SOCIAL_SERVICE_AGENCY
    region_id = "433124000000"
    credit_code = factory.LazyAttributeSequence(
        lambda o, n: make_credit_code(f"5{CATEGORY[o.kind]}{o.region_id[:6]}", f"MJ{n:06d}")
    )
    registration_authority = "花垣县民政局"
    contact_name = "张三"
    contact_phone = "13800000000"
    status = Organization.Status.APPROVED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory("xiangzhen.accounts.tests.factories.UserFactory")
    role = Membership.Role.ADMIN


_counter = iter(range(1, 10**6))


def credit_code_for(kind: str = "social_service_agency", region_code: str = "433124000000") -> str:
    """A valid civil-affairs credit code of `kind`, different on every call."""
    return make_credit_code(f"5{CATEGORY[kind]}{region_code[:6]}", f"TQ{next(_counter):06d}")


def organization_data(**overrides):
    """A valid profile for the services, registered in 花垣县 unless overridden."""
    from xiangzhen.organizations.validation import OrganizationData

    kind = overrides.pop("kind", "social_service_agency")
    region_code = overrides.pop("region_code", "433124000000")
    values = {
        "name": "花垣县乡村发展服务中心",
        "credit_code": credit_code_for(kind if kind in CATEGORY else "social_service_agency", region_code),
        "kind": kind,
        "region_code": region_code,
        "registration_authority": "花垣县民政局",
        "contact_name": "石文",
        "contact_phone": "13800001234",
        "domains": ["education"],
    }
    values.update(overrides)
    return OrganizationData(**values)
