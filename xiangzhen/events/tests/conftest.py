from xiangzhen.consumption.tests.conftest import product

__all__ = ["product"]
