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
