"""The units figures are counted in, each translated in one place. Chinese counts with measure
words (个, 家, 场…), so the English catalog gives each its own word, under the context "unit"."""

from django.utils.translation import pgettext_lazy

ITEMS = pgettext_lazy("unit", "个")
MATCHES = pgettext_lazy("unit", "项")
DAYS = pgettext_lazy("unit", "天")
YUAN = pgettext_lazy("unit", "元")
TRANSACTIONS = pgettext_lazy("unit", "笔")
PERSON_TIMES = pgettext_lazy("unit", "人次")
SESSIONS = pgettext_lazy("unit", "场")
HOURS = pgettext_lazy("unit", "小时")
PAIRS = pgettext_lazy("unit", "对")
ORGANIZATIONS = pgettext_lazy("unit", "家")
VISITS = pgettext_lazy("unit", "人次/场次")
