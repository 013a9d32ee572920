"""A small fixed-window rate limiter on the cache (Redis in production, shared by every process).

Used by `middleware.RateLimitMiddleware` for the login form and the public, anonymous reads (the
log, open data, feeds). Each rule is configured by an environment variable `"<count>/<seconds>"`;
unset or empty turns the rule off. django-axes still locks a username after repeated failures:
this adds a ceiling per address, whatever the usernames tried.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Rule:
    name: str
    count: int
    seconds: int
    # Path prefixes the rule covers, and the methods it counts there.
    prefixes: tuple[str, ...]
    methods: frozenset[str]

    def covers(self, method: str, path: str) -> bool:
        return method in self.methods and path.startswith(self.prefixes)


def parse_limit(value: str) -> tuple[int, int] | None:
    """Parse "120/60" into (120, 60), "" into None (no limit); ValueError on anything else."""
    value = value.strip()
    if not value:
        return None
    count, _, seconds = value.partition("/")
    parsed = int(count), int(seconds or "60")
    if parsed[0] <= 0 or parsed[1] <= 0:
        raise ValueError(f"rate limit {value!r}: count and seconds must be positive")
    return parsed


def hit(rule: Rule, client: str, now: float | None = None) -> int:
    """Count one request by `client` under `rule`; the seconds to wait if it is over the limit, else 0."""
    now = time.time() if now is None else now
    window = int(now // rule.seconds)
    key = f"ratelimit:{rule.name}:{client}:{window}"
    # add() only sets a missing key, so the first request of a window starts it at 1 atomically.
    if cache.add(key, 1, timeout=rule.seconds + 1):
        used = 1
    else:
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=rule.seconds + 1)
            used = 1
    if used <= rule.count:
        return 0
    return max(1, int((window + 1) * rule.seconds - now))
