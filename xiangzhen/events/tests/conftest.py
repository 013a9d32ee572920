from xiangzhen.consumption.tests.conftest import product

__all__ = ["product"]
from xiangzhen.matching.tests.conftest import second_org_admin

__all__ += ["second_org_admin"]
