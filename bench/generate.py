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

# Hidden needs: what a village really lacks. Each demand is written from one need and each offer
# for one need, in different words (synonyms, paraphrases), so the labelled evaluation set — offers
# written for the demand's hidden need — owes nothing to the features the engine scores.
# need code: (domain, groups it concerns, demand titles, demand sentences, offer titles, offer sentences)
NEEDS: dict[str, tuple[str, list[str], list[str], list[str], list[str], list[str]]] = {
    "homework": (
        "education",
        ["left_behind_children", "children_in_difficulty"],
        ["课后辅导", "作业辅导", "放学后托管"],
        ["放学后无人辅导作业", "孩子作业没人管，成绩跟不上", "希望有人陪孩子写作业、读书"],
        ["四点半课堂", "课后托管", "学业辅导"],
        ["组织大学生志愿者放学后辅导功课", "提供课后托管和作业辅导", "开展课业帮扶与阅读陪伴"],
    ),
    "tuition": (
        "education",
        ["children_in_difficulty", "left_behind_children"],
        ["助学", "困难学生资助", "学费帮扶"],
        ["家庭困难学生交不起学费", "孩子上学缺学习用品和生活费", "希望资助贫困学生完成学业"],
        ["助学金", "圆梦助学", "奖助学金"],
        ["为困难学生发放助学金", "资助学费和学习用品", "一对一结对资助贫困学生"],
    ),
    "library": (
        "education",
        ["left_behind_children"],
        ["阅读小屋", "图书角", "乡村书屋"],
        ["村里没有图书室，孩子没书看", "希望建一个儿童阅读角", "缺少课外书和阅读场所"],
        ["爱心书屋", "童书捐赠", "乡村阅览室"],
        ["捐建乡村图书室并配送图书", "为村小捐赠课外读物", "建设儿童阅读空间"],
    ),
    "clinic": (
        "health",
        ["empty_nest_elderly", "persons_with_disabilities", "dibao_recipients"],
        ["义诊", "健康体检", "送医下乡"],
        ["村民看病路远，希望医生下乡", "老人多年没有体检", "慢性病人缺少复诊和用药指导"],
        ["巡回义诊", "医疗队下乡", "免费体检"],
        ["组织医生下乡开展巡回义诊", "提供免费健康体检和慢病随访", "派出医疗队送医送药"],
    ),
    "rehab": (
        "health",
        ["persons_with_disabilities"],
        ["康复训练", "残疾人康复", "辅具适配"],
        ["残疾人缺少康复训练", "需要轮椅等辅助器具", "希望有人上门做康复指导"],
        ["社区康复", "辅具捐赠", "康复指导"],
        ["为残疾人提供上门康复训练", "捐赠轮椅拐杖等辅具", "培训家属开展康复护理"],
    ),
    "home_care": (
        "elderly_care",
        ["empty_nest_elderly", "left_behind_elderly", "extreme_poverty"],
        ["助老服务", "上门照料", "老人陪伴"],
        ["老人独居无人照料", "高龄老人生活不能自理", "希望有人定期上门看望老人"],
        ["居家养老", "助老上门", "关爱老人"],
        ["提供上门助老和陪伴服务", "为独居老人上门打扫、助浴", "定期探访空巢老人"],
    ),
    "canteen": (
        "elderly_care",
        ["left_behind_elderly", "empty_nest_elderly"],
        ["老年食堂", "助餐服务", "长者饭堂"],
        ["老人吃饭难，一日三餐没保障", "希望办一个老年食堂", "行动不便的老人需要送餐"],
        ["爱心食堂", "老人助餐", "送餐上门"],
        ["运营村级老年食堂", "为老人提供助餐和送餐", "补贴老人就餐"],
    ),
    "planting": (
        "industry",
        ["lifted_out_of_poverty", "monitored_households", "low_income_rural"],
        ["特色种植", "产业发展", "种苗扶持"],
        ["希望发展特色种植产业", "缺少优质种苗和种植技术", "想种经济作物但没有启动资金"],
        ["产业帮扶", "种苗捐赠", "特色产业"],
        ["捐赠种苗并派技术员指导", "扶持发展茶叶、中药材等特色种植", "提供产业启动资金和技术"],
    ),
    "sales": (
        "industry",
        ["lifted_out_of_poverty", "low_income_rural"],
        ["农产品销售", "消费帮扶", "土特产滞销"],
        ["农产品卖不出去", "土特产滞销，缺少销路", "希望对接企业采购农产品"],
        ["以购代捐", "消费帮扶", "产销对接"],
        ["组织企业以购代捐采购农产品", "搭建产销对接渠道", "帮助包装和销售土特产"],
    ),
    "agri_training": (
        "agri_tech",
        ["lifted_out_of_poverty", "low_income_rural"],
        ["农技培训", "种养技术", "科技下乡"],
        ["村民缺少种养技术", "果树病虫害没人会治", "希望专家来教养殖技术"],
        ["农技服务", "专家下乡", "田间课堂"],
        ["派农技专家开展田间培训", "提供病虫害防治技术指导", "开展养殖技术培训"],
    ),
    "skills": (
        "employment_skills",
        ["left_behind_women", "relocated_people", "lifted_out_of_poverty"],
        ["技能培训", "就业培训", "职业技能"],
        ["青壮年缺少就业技能", "搬迁群众找不到工作", "希望学电工、家政等手艺"],
        ["职业技能培训", "就业帮扶", "家政培训"],
        ["开展电工、焊工职业技能培训", "提供家政服务培训并推荐就业", "组织就业技能培训和招聘"],
    ),
    "ecommerce": (
        "employment_skills",
        ["left_behind_women", "lifted_out_of_poverty"],
        ["电商直播", "网店培训", "直播带货"],
        ["希望学习电商直播卖货", "村民不会开网店", "想通过直播带货增加收入"],
        ["电商培训", "直播带货培训", "农村电商"],
        ["培训村民电商直播带货", "手把手教开网店", "孵化乡村主播"],
    ),
    "sports": (
        "culture_sports",
        ["left_behind_children", "left_behind_elderly"],
        ["文体活动", "健身器材", "文化活动"],
        ["村里缺少文化体育设施", "没有健身器材和活动场地", "希望组织广场舞、球赛等活动"],
        ["送文化下乡", "体育器材捐赠", "乡村文体"],
        ["组织文艺演出和文体活动", "捐赠健身器材", "开展乡村体育比赛"],
    ),
    "waste": (
        "environment",
        ["low_income_rural"],
        ["垃圾分类", "环境整治", "垃圾处理"],
        ["村里垃圾随意堆放", "垃圾没人清运", "希望开展垃圾分类"],
        ["垃圾分类宣传", "清洁乡村", "环保行动"],
        ["开展垃圾分类宣传和督导", "组织志愿者清理垃圾", "捐赠分类垃圾桶"],
    ),
    "toilets": (
        "living_environment",
        ["relocated_people", "low_income_rural"],
        ["人居环境", "改厕", "村容村貌"],
        ["房前屋后脏乱", "旱厕需要改造", "希望改善人居环境"],
        ["厕所革命", "美丽庭院", "人居环境整治"],
        ["资助农户改厕", "开展美丽庭院创建", "整治房前屋后环境"],
    ),
    "relief": (
        "livelihood_security",
        ["dibao_recipients", "extreme_poverty", "monitored_households"],
        ["困难救助", "临时救助", "生活物资"],
        ["部分家庭生活困难", "因病因灾陷入困境", "困难家庭缺少过冬物资"],
        ["爱心救助", "物资捐赠", "温暖包"],
        ["为困难家庭发放生活物资", "提供临时救助金", "冬季送温暖包"],
    ),
    "social_work": (
        "governance",
        ["low_income_rural"],
        ["社工站", "社会治理", "社区服务"],
        ["希望建设社工站", "村里缺少专业社工", "村级治理能力薄弱"],
        ["社工服务", "社工站运营", "基层治理"],
        ["派驻社工运营乡镇社工站", "开展社区治理培训", "培育村级社会组织"],
    ),
    "customs": (
        "civic_culture",
        ["left_behind_women", "low_income_rural"],
        ["乡风文明", "移风易俗", "文明实践"],
        ["红白喜事大操大办", "希望开展移风易俗宣传", "需要建设新时代文明实践站"],
        ["文明乡风", "移风易俗", "道德讲堂"],
        ["开展移风易俗宣传", "组织道德讲堂和好人评选", "建设文明实践站"],
    ),
}
# Several ways of writing the same beneficiary group.
GROUP_SYNONYMS = {
    "left_behind_children": ["留守儿童", "父母外出务工的孩子", "留守孩子"],
    "children_in_difficulty": ["困境儿童", "困难家庭孩子", "困境家庭儿童"],
    "empty_nest_elderly": ["空巢老人", "独居老人", "空巢老年人"],
    "left_behind_elderly": ["留守老人", "农村留守老年人", "高龄老人"],
    "persons_with_disabilities": ["残疾人", "残障人士", "残疾群众"],
    "dibao_recipients": ["低保对象", "低保户", "低保家庭"],
    "extreme_poverty": ["特困人员", "五保户", "特困供养人员"],
    "lifted_out_of_poverty": ["脱贫人口", "脱贫户", "脱贫群众"],
    "monitored_households": ["监测对象", "防返贫监测户", "边缘易致贫户"],
    "left_behind_women": ["留守妇女", "农村妇女", "留守姐妹"],
    "relocated_people": ["易地搬迁群众", "搬迁户", "安置点居民"],
    "low_income_rural": ["农村低收入人口", "低收入农户", "困难群众"],
}
DEMAND_OPENERS = ["村里有不少", "本村", "我村", "全村"]
OFFER_CLOSERS = ["", "长期开展。", "已服务多个村。", "欢迎对接。"]
OFFER_PREFIX = ["", "乡村", "公益", "爱心", "关爱"]
OFFER_SUFFIX = ["项目", "计划", "行动", "公益项目"]


@dataclass
class Generated:
    villages: list[str] = field(default_factory=list)
    demand_ids: list[int] = field(default_factory=list)
    offer_ids: list[int] = field(default_factory=list)
    # The hidden need each record was written from (index into NEEDS), aligned with the ids.
    demand_needs: list[int] = field(default_factory=list)
    offer_needs: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _say(*parts: object) -> None:
    print("  generate:", *parts, flush=True)


def generate(
    *, demands: int, offers: int, organizations: int, villages: int = 35_000, seed: int = 20260611
) -> Generated:
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
    towns_per_county = 12
    per_town = max(1, -(-villages // (len(counties) * towns_per_county)))
    towns, village_rows = [], []
    for county in counties:
        for t in range(1, towns_per_county + 1):
            town = Region(
                code=f"{county.code[:6]}{100 + t:03d}000",
                name=f"{county.name[:2]}第{t}镇",
                level="township",
                parent_id=county.code,
                full_name=f"{county.full_name} {county.name[:2]}第{t}镇",
            )
            towns.append(town)
            for v in range(1, per_town + 1):
                village_rows.append(
                    Region(
                        code=f"{town.code[:9]}{200 + v:03d}",
                        name=f"{town.name}{v}村",
                        level="village",
                        parent_id=town.code,
                        full_name=f"{town.full_name}{v}村",
                    )
                )
    Region.objects.bulk_create(towns + village_rows, batch_size=10000)
    out.villages = [v.code for v in village_rows]
    del village_rows
    _say(len(towns), "townships,", len(out.villages), "villages")

    def a_village(county: str) -> str:
        return f"{county[:6]}{100 + rng.randint(1, towns_per_county):03d}{200 + rng.randint(1, per_town):03d}"

    def a_town(county: str) -> str:
        return f"{county[:6]}{100 + rng.randint(1, towns_per_county):03d}000"

    county_codes = [c.code for c in counties]
    city_of = {c.code: c.parent_id for c in counties}
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
    Designation.objects.bulk_create(designations, batch_size=10000)

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
    orgs = list(Organization.objects.order_by("pk").only("pk", "region_id"))
    _say(len(orgs), "organizations")
    index_cache: dict[tuple[str, str], str] = {}

    def indexed(title: str, description: str) -> str:
        key = (title, description)
        if key not in index_cache:
            index_cache[key] = index_text(title, description)
        return index_cache[key]

    today = timezone.localdate()
    now = timezone.now()
    domains = sorted({spec[0] for spec in NEEDS.values()})
    need_codes = list(NEEDS)
    # ---- offers, each written for one hidden need
    offer_rows, offer_domains, offer_groups, offer_regions = [], [], [], []
    for i in range(offers):
        org = rng.choice(orgs)
        need = rng.randrange(len(need_codes))
        main, need_groups, _, _, titles, sentences = NEEDS[need_codes[need]]
        chosen = {main} | ({rng.choice(domains)} if rng.random() < 0.3 else set())
        groups = rng.sample(need_groups, k=min(len(need_groups), rng.choice([0, 1, 1, 2])))
        group_word = rng.choice(GROUP_SYNONYMS[groups[0]]) if groups else ""
        title = f"{rng.choice(OFFER_PREFIX)}{group_word}{rng.choice(titles)}{rng.choice(OFFER_SUFFIX)}"
        description = f"面向{group_word or '农村困难群众'}，{rng.choice(sentences)}。{rng.choice(OFFER_CLOSERS)}"
        county = org.region_id
        roll = rng.random()
        nationwide = roll < 0.02
        if nationwide:
            regions = []
        elif roll < 0.10:
            regions = [county[:2] + "0" * 10]
        elif roll < 0.25:
            regions = [city_of[county]]
        elif roll < 0.70:
            regions = list(dict.fromkeys([county] + ([rng.choice(county_codes)] if rng.random() < 0.2 else [])))
        elif roll < 0.88:
            regions = [a_town(county)]
        else:
            regions = list({a_village(county) for _ in range(rng.randint(1, 3))})
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
        out.offer_needs.append(need)
        offer_domains.append(chosen)
        offer_groups.append(groups)
        offer_regions.append(regions)
    Offer.objects.bulk_create(offer_rows, batch_size=5000)
    offer_orgs = [o.organization_id for o in offer_rows]
    del offer_rows
    offer_ids = list(Offer.objects.order_by("pk").values_list("pk", flat=True))
    out.offer_ids = offer_ids
    Offer.domains.through.objects.bulk_create(
        (
            Offer.domains.through(offer_id=o, domain_id=domain_pk[d])
            for o, ds in zip(offer_ids, offer_domains, strict=True)
            for d in ds
        ),
        batch_size=10000,
    )
    Offer.beneficiary_groups.through.objects.bulk_create(
        (
            Offer.beneficiary_groups.through(offer_id=o, beneficiarygroup_id=group_pk[g])
            for o, gs in zip(offer_ids, offer_groups, strict=True)
            for g in gs
        ),
        batch_size=10000,
    )
    Offer.service_regions.through.objects.bulk_create(
        (
            Offer.service_regions.through(offer_id=o, region_id=r)
            for o, rs in zip(offer_ids, offer_regions, strict=True)
            for r in rs
        ),
        batch_size=10000,
    )
    _say(len(offer_ids), "offers")

    # ---- demands: villages near organizations are more likely (needs and help cluster)
    org_counties = [o.region_id for o in orgs]
    demand_domains, demand_groups = [], []
    batch: list[Demand] = []

    def flush() -> None:
        Demand.objects.bulk_create(batch, batch_size=5000)
        batch.clear()

    for i in range(demands):
        county = rng.choice(org_counties) if rng.random() < 0.7 else rng.choice(county_codes)
        need = rng.randrange(len(need_codes))
        main, need_groups, titles, sentences, _, _ = NEEDS[need_codes[need]]
        chosen = {main} | ({rng.choice(domains)} if rng.random() < 0.2 else set())
        groups = rng.sample(need_groups, k=rng.randint(1, min(2, len(need_groups))))
        word = rng.choice(GROUP_SYNONYMS[groups[0]])
        title = f"{word}{rng.choice(titles)}需求"
        description = f"{rng.choice(DEMAND_OPENERS)}{word}，{rng.choice(sentences)}。"
        published = now - datetime.timedelta(days=rng.randint(0, 180))
        p = rng.random()
        period_start = today + datetime.timedelta(days=rng.randint(0, 90)) if p < 0.5 else None
        period_end = period_start + datetime.timedelta(days=rng.randint(10, 120)) if period_start else None
        batch.append(
            Demand(
                number=f"XQ-B-{i:07d}",
                title=title,
                description=description,
                region_id=a_village(county),
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
        out.demand_needs.append(need)
        demand_domains.append(chosen)
        demand_groups.append(groups)
        if len(batch) == 50_000:
            flush()
            _say(i + 1, "demands")
    flush()
    demand_ids = list(Demand.objects.order_by("pk").values_list("pk", flat=True))
    out.demand_ids = demand_ids
    Demand.domains.through.objects.bulk_create(
        (
            Demand.domains.through(demand_id=d, domain_id=domain_pk[c])
            for d, cs in zip(demand_ids, demand_domains, strict=True)
            for c in cs
        ),
        batch_size=10000,
    )
    DemandBeneficiary.objects.bulk_create(
        (
            DemandBeneficiary(demand_id=d, group_id=group_pk[g], head_count=rng.randint(3, 60))
            for d, gs in zip(demand_ids, demand_groups, strict=True)
            for g in gs
        ),
        batch_size=10000,
    )
    _say(len(demand_ids), "demands with domains and groups")

    # ---- matches: history for organization records, and live ones that use offer capacity
    matches, seen = [], set()
    for i in range(demands // 10):
        offer_at = rng.randrange(len(offer_ids))
        demand_id = rng.choice(demand_ids)
        org_id = offer_orgs[offer_at]
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
        "villages": len(out.villages),
        "organizations": len(orgs),
        "offers": len(offer_ids),
        "demands": len(demand_ids),
        "matches": len(matches),
        "designations": len(designations),
        "hidden_needs": len(need_codes),
        "distinct_texts": len(index_cache),
    }
    return out
