"""Synthetic but realistic matching data with a fixed seed, written straight to the tables.

Real region codes and names down to the county (regions.services.load_country_tree), synthetic
townships and villages under each county, designations (key counties, poverty-exited villages),
organizations with ratings, published offers and demands whose Chinese titles and descriptions
come from templates per domain, and some matches (completed, evaluated, live) so capacity and
organization records mean something. Bench data goes in with bulk_create: the point is the read path.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

TOPICS = {
    "education": [
        ("课后辅导", "放学后无人辅导作业，希望开展课后辅导和阅读陪伴"),
        ("助学", "家庭困难学生缺少学习用品，希望资助助学"),
        ("阅读小屋", "村里没有图书室，希望建设阅读小屋"),
    ],
    "health": [
        ("义诊", "村民看病路远，希望组织医生下乡义诊和健康体检"),
        ("医生小屋", "缺少村卫生服务点，希望建设医生小屋"),
    ],
    "elderly_care": [
        ("助老服务", "老人独居无人照料，希望提供上门助老和陪伴服务"),
        ("老年食堂", "老人吃饭难，希望办老年食堂"),
    ],
    "industry": [
        ("特色种植", "希望发展特色种植产业，需要种苗和技术支持"),
        ("农产品销售", "农产品卖不出去，希望开展消费帮扶和以购代捐"),
    ],
    "agri_tech": [("农技培训", "村民缺少种养技术，希望专家下乡开展农技培训")],
    "employment_skills": [
        ("技能培训", "青壮年缺少就业技能，希望开展电工、家政技能培训"),
        ("电商直播", "希望培训村民电商直播带货"),
    ],
    "culture_sports": [("文体活动", "村里缺少文化体育设施，希望组织文体活动")],
    "environment": [("垃圾分类", "村里垃圾随意堆放，希望开展垃圾分类和环境整治")],
    "living_environment": [("人居环境", "房前屋后脏乱，希望改善人居环境和改厕")],
    "livelihood_security": [("困难救助", "部分家庭生活困难，希望提供临时救助和物资")],
    "governance": [("社工站", "希望建设社工站，提升村级社会治理能力")],
    "civic_culture": [("乡风文明", "希望开展移风易俗和乡风文明宣传")],
}
GROUP_WORDS = {
    "left_behind_children": "留守儿童",
    "children_in_difficulty": "困境儿童",
    "empty_nest_elderly": "空巢老人",
    "left_behind_elderly": "留守老人",
    "persons_with_disabilities": "残疾人",
    "dibao_recipients": "低保对象",
    "extreme_poverty": "特困人员",
    "lifted_out_of_poverty": "脱贫人口",
    "monitored_households": "监测对象",
    "left_behind_women": "留守妇女",
    "relocated_people": "易地搬迁群众",
    "low_income_rural": "农村低收入人口",
}
# Which groups a domain's work usually serves.
DOMAIN_GROUPS = {
    "education": ["left_behind_children", "children_in_difficulty"],
    "health": ["persons_with_disabilities", "empty_nest_elderly", "dibao_recipients"],
    "elderly_care": ["empty_nest_elderly", "left_behind_elderly", "extreme_poverty"],
    "industry": ["lifted_out_of_poverty", "monitored_households", "low_income_rural"],
    "agri_tech": ["lifted_out_of_poverty", "low_income_rural"],
    "employment_skills": ["left_behind_women", "relocated_people", "lifted_out_of_poverty"],
    "culture_sports": ["left_behind_children", "left_behind_elderly"],
    "environment": ["low_income_rural"],
    "living_environment": ["relocated_people", "low_income_rural"],
    "livelihood_security": ["dibao_recipients", "extreme_poverty", "monitored_households"],
    "governance": ["low_income_rural"],
    "civic_culture": ["left_behind_women", "low_income_rural"],
}
OFFER_PREFIX = ["", "乡村", "公益", "爱心", "关爱"]
OFFER_SUFFIX = ["项目", "计划", "行动", "公益项目"]


@dataclass
class Generated:
    villages: list[str] = field(default_factory=list)
    demand_ids: list[int] = field(default_factory=list)
    offer_ids: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def generate(*, demands: int, offers: int, organizations: int, seed: int = 20260611) -> Generated:
    from xiangzhen.accounts.models import User
    from xiangzhen.core.models import BeneficiaryGroup, Domain
    from xiangzhen.core.textsearch import index_text
    from xiangzhen.demands.models import Demand, DemandBeneficiary
    from xiangzhen.matching.models import Match, MatchEvaluation
    from xiangzhen.offers.models import Offer
    from xiangzhen.organizations.models import Organization
    from xiangzhen.regions.models import Designation, Region
    from xiangzhen.regions.services import load_country_tree

    rng = random.Random(seed)
    out = Generated()
    load_country_tree()
    counties = list(Region.objects.filter(level="county").order_by("code"))
    towns, villages = [], []
    for county in counties:
        for t in range(1, 4):
            town = Region(
                code=f"{county.code[:6]}{100 + t:03d}000",
                name=f"{county.name[:2]}第{t}镇",
                level="township",
                parent_id=county.code,
                full_name=f"{county.full_name} {county.name[:2]}第{t}镇",
            )
            towns.append(town)
            for v in range(1, 5):
                villages.append(
                    Region(
                        code=f"{town.code[:9]}{200 + v:03d}",
                        name=f"{town.name}{v}村",
                        level="village",
                        parent_id=town.code,
                        full_name=f"{town.full_name}{v}村",
                    )
                )
    Region.objects.bulk_create(towns + villages, batch_size=5000)
    out.villages = [v.code for v in villages]
    county_codes = [c.code for c in counties]
    parent = dict(Region.objects.values_list("code", "parent_id"))
    designations = []
    for code in county_codes:
        roll = rng.random()
        if roll < 0.1:
            designations.append(Designation(region_id=code, kind="national_key_county"))
        elif roll < 0.15:
            designations.append(Designation(region_id=code, kind="provincial_key_county"))
    designations += [
        Designation(region_id=v, kind="poverty_exited_village") for v in out.villages if rng.random() < 0.15
    ]
    Designation.objects.bulk_create(designations, batch_size=5000)

    user = User.objects.create(username="bench", role=User.Role.PLATFORM_ADMIN)
    domain_pk = dict(Domain.objects.values_list("code", "pk"))
    group_pk = dict(BeneficiaryGroup.objects.values_list("code", "pk"))
    ratings = ["", "", "1A", "2A", "3A", "3A", "4A", "4A", "5A"]
    orgs = []
    for i in range(organizations):
        rating = rng.choice(ratings)
        orgs.append(
            Organization(
                name=f"社会组织{i}",
                credit_code=f"B{i:017d}",
                kind="social_service_agency",
                region_id=rng.choice(county_codes),
                registration_authority="民政局",
                contact_name="张",
                contact_phone="1",
                status="approved",
                rating=rating,
                rating_year=2025 if rating else None,
            )
        )
    Organization.objects.bulk_create(orgs, batch_size=5000)
    orgs = list(Organization.objects.order_by("pk"))
    index_cache: dict[tuple[str, str], str] = {}

    def indexed(title: str, description: str) -> str:
        key = (title, description)
        if key not in index_cache:
            index_cache[key] = index_text(title, description)
        return index_cache[key]

    today = timezone.localdate()
    now = timezone.now()
    domains = list(TOPICS)
    # ---- offers
    offer_rows, offer_domains, offer_groups, offer_regions = [], [], [], []
    for i in range(offers):
        org = rng.choice(orgs)
        main = rng.choice(domains)
        chosen = {main} | ({rng.choice(domains)} if rng.random() < 0.3 else set())
        groups = rng.sample(DOMAIN_GROUPS[main], k=min(len(DOMAIN_GROUPS[main]), rng.choice([0, 1, 1, 2])))
        topic, what = rng.choice(TOPICS[main])
        group_word = GROUP_WORDS[groups[0]] if groups else ""
        title = f"{rng.choice(OFFER_PREFIX)}{group_word}{topic}{rng.choice(OFFER_SUFFIX)}"
        description = f"面向{group_word or '农村困难群众'}，{what.split('，')[-1].replace('希望', '')}。"
        county = org.region_id
        roll = rng.random()
        nationwide = roll < 0.05
        if nationwide:
            regions = []
        elif roll < 0.15:
            regions = [county[:2] + "0" * 10]
        elif roll < 0.30:
            regions = [parent[county]]
        elif roll < 0.75:
            regions = [county] + ([rng.choice(county_codes)] if rng.random() < 0.2 else [])
        elif roll < 0.9:
            regions = [f"{county[:6]}{100 + rng.randint(1, 3):03d}000"]
        else:
            regions = [f"{county[:6]}{100 + rng.randint(1, 3):03d}{200 + rng.randint(1, 4):03d}"]
        w = rng.random()
        if w < 0.08:
            start, end = today - datetime.timedelta(days=400), today - datetime.timedelta(days=rng.randint(1, 30))
        elif w < 0.13:
            start = today + datetime.timedelta(days=rng.randint(5, 60))
            end = start + datetime.timedelta(days=rng.randint(60, 365))
        else:
            start = today - datetime.timedelta(days=rng.randint(0, 200))
            end = today + datetime.timedelta(days=rng.randint(10, 400))
        offer_rows.append(
            Offer(
                number=f"GJ-B-{i:07d}",
                organization_id=org.pk,
                title=title,
                description=description,
                nationwide=nationwide,
                capacity_demands=rng.randint(1, 6),
                capacity_amount=Decimal(rng.choice([0, 5000, 20000, 50000, 100000, 300000])),
                window_start=start,
                window_end=end,
                aid_mode="relief",
                status="published",
                search_index=indexed(title, description),
                published_at=now,
                created_by=user,
            )
        )
        offer_domains.append(chosen)
        offer_groups.append(groups)
        offer_regions.append(regions)
    Offer.objects.bulk_create(offer_rows, batch_size=2000)
    offer_ids = list(Offer.objects.order_by("pk").values_list("pk", flat=True))
    out.offer_ids = offer_ids
    links_d = [
        Offer.domains.through(offer_id=o, domain_id=domain_pk[d])
        for o, ds in zip(offer_ids, offer_domains, strict=True)
        for d in ds
    ]
    links_g = [
        Offer.beneficiary_groups.through(offer_id=o, beneficiarygroup_id=group_pk[g])
        for o, gs in zip(offer_ids, offer_groups, strict=True)
        for g in gs
    ]
    links_r = [
        Offer.service_regions.through(offer_id=o, region_id=r)
        for o, rs in zip(offer_ids, offer_regions, strict=True)
        for r in rs
    ]
    Offer.domains.through.objects.bulk_create(links_d, batch_size=5000)
    Offer.beneficiary_groups.through.objects.bulk_create(links_g, batch_size=5000)
    Offer.service_regions.through.objects.bulk_create(links_r, batch_size=5000)

    # ---- demands: villages near organizations are more likely (needs and help cluster)
    org_counties = [o.region_id for o in orgs]
    demand_rows, demand_domains, demand_groups = [], [], []
    for i in range(demands):
        county = rng.choice(org_counties) if rng.random() < 0.7 else rng.choice(county_codes)
        village = f"{county[:6]}{100 + rng.randint(1, 3):03d}{200 + rng.randint(1, 4):03d}"
        main = rng.choice(domains)
        chosen = {main} | ({rng.choice(domains)} if rng.random() < 0.2 else set())
        groups = rng.sample(DOMAIN_GROUPS[main], k=rng.randint(1, min(2, len(DOMAIN_GROUPS[main]))))
        topic, what = rng.choice(TOPICS[main])
        word = GROUP_WORDS[groups[0]]
        title = f"{word}{topic}需求"
        description = f"村里有{word}，{what}。"
        published = now - datetime.timedelta(days=rng.randint(0, 180))
        p = rng.random()
        period_start = today + datetime.timedelta(days=rng.randint(0, 90)) if p < 0.5 else None
        period_end = period_start + datetime.timedelta(days=rng.randint(10, 120)) if period_start else None
        demand_rows.append(
            Demand(
                number=f"XQ-B-{i:07d}",
                title=title,
                description=description,
                region_id=village,
                budget=Decimal(rng.choice([0, 3000, 10000, 30000, 80000])),
                deadline=today + datetime.timedelta(days=rng.randint(1, 120)),
                period_start=period_start,
                period_end=period_end,
                contact_name="李",
                contact_phone="1",
                entered_by=user,
                status="published",
                published_at=published,
                published_by=user,
                search_index=indexed(title, description),
            )
        )
        demand_domains.append(chosen)
        demand_groups.append(groups)
    Demand.objects.bulk_create(demand_rows, batch_size=2000)
    demand_ids = list(Demand.objects.order_by("pk").values_list("pk", flat=True))
    out.demand_ids = demand_ids
    Demand.domains.through.objects.bulk_create(
        [
            Demand.domains.through(demand_id=d, domain_id=domain_pk[c])
            for d, cs in zip(demand_ids, demand_domains, strict=True)
            for c in cs
        ],
        batch_size=5000,
    )
    DemandBeneficiary.objects.bulk_create(
        [
            DemandBeneficiary(demand_id=d, group_id=group_pk[g], head_count=rng.randint(3, 60))
            for d, gs in zip(demand_ids, demand_groups, strict=True)
            for g in gs
        ],
        batch_size=5000,
    )

    # ---- matches: history for organization records, and live ones that use offer capacity
    matches, seen = [], set()
    for i in range(demands // 10):
        offer_at = rng.randrange(len(offer_ids))
        demand_id = rng.choice(demand_ids)
        org_id = offer_rows[offer_at].organization_id
        if (demand_id, org_id) in seen:
            continue
        seen.add((demand_id, org_id))
        status = rng.choice(["completed", "completed", "evaluated", "cancelled", "proposed", "confirmed"])
        matches.append(
            Match(
                number=f"DJ-B-{i:07d}",
                demand_id=demand_id,
                organization_id=org_id,
                offer_id=offer_ids[offer_at],
                origin="take",
                status=status,
                cancel_reason="未能实施" if status == "cancelled" else "",
                proposed_by=user,
                proposed_at=now,
                committed_amount=Decimal(rng.choice([0, 1000, 5000])),
            )
        )
    Match.objects.bulk_create(matches, batch_size=5000)
    evaluated = Match.objects.filter(status="evaluated").values_list("pk", flat=True)
    MatchEvaluation.objects.bulk_create(
        [MatchEvaluation(match_id=m, by_side="demand", score=rng.randint(2, 5), evaluated_by=user) for m in evaluated],
        batch_size=5000,
    )
    out.counts = {
        "counties": len(counties),
        "townships": len(towns),
        "villages": len(villages),
        "organizations": len(orgs),
        "offers": len(offer_ids),
        "demands": len(demand_ids),
        "matches": len(matches),
        "designations": len(designations),
        "distinct_texts": len(index_cache),
    }
    return out
