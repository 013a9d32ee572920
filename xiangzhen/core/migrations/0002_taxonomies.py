"""Seed the two taxonomies from the glossary. Idempotent: re-running changes nothing."""

from django.db import migrations

DOMAINS = [
    ("industry", "产业振兴"),
    ("agri_tech", "科技助农"),
    ("employment_skills", "就业与技能培训"),
    ("education", "教育"),
    ("culture_sports", "文化体育"),
    ("environment", "环保生态"),
    ("health", "卫生健康"),
    ("elderly_care", "养老"),
    ("governance", "社会治理"),
    ("livelihood_security", "民生保障"),
    ("living_environment", "人居环境"),
    ("civic_culture", "乡风文明"),
]

# (code, name, most vulnerable): the policies single out the first six for 扶弱济困.
BENEFICIARY_GROUPS = [
    ("dibao_recipients", "低保对象", True),
    ("extreme_poverty", "特困人员", True),
    ("empty_nest_elderly", "空巢老人", True),
    ("left_behind_children", "农村留守儿童", True),
    ("left_behind_women", "农村留守妇女", False),
    ("left_behind_elderly", "农村留守老人", True),
    ("children_in_difficulty", "困境儿童", True),
    ("persons_with_disabilities", "残疾人", True),
    ("lifted_out_of_poverty", "脱贫人口", False),
    ("monitored_households", "防止返贫监测对象", True),
    ("relocated_people", "易地搬迁群众", False),
    ("low_income_rural", "农村低收入人口", False),
]


def seed(apps, schema_editor):
    Domain = apps.get_model("core", "Domain")
    BeneficiaryGroup = apps.get_model("core", "BeneficiaryGroup")
    for order, (code, name) in enumerate(DOMAINS):
        Domain.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})
    for order, (code, name, vulnerable) in enumerate(BENEFICIARY_GROUPS):
        BeneficiaryGroup.objects.update_or_create(
            code=code, defaults={"name": name, "most_vulnerable": vulnerable, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
