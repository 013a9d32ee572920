from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "xiangzhen.matching"
    label = "matching"
    verbose_name = "供需对接"

    def ready(self) -> None:
        from xiangzhen.matching import leaves, tallies
        from xiangzhen.matching.models import Match, MatchActivity
        from xiangzhen.stats import rollups

        leaves.register()
        rollups.register(
            Match, tallies.match_tallies, region_field="demand__region__code", prepare=tallies.matches_for_recount
        )
        rollups.register(
            MatchActivity,
            tallies.activity_tallies,
            region_field="match__demand__region__code",
            prepare=tallies.activities_for_recount,
        )
