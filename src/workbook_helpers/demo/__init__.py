"""The demo engagement: its baseline round, its health check and the reference cases.

`baseline` holds the two companies, their executives and the first workshop's answers;
`health` the round six months after launch (it builds on the baseline's people); `cases` the
reference answer sets written from the seeds. `seed_demo` puts the whole demo in a store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..bank import Bank
    from ..store import Store


def seed_demo(store: Store, bank: Bank, with_health_check: bool = True) -> dict[str, int]:
    """Create (or recreate) the demo engagement in `store`: the baseline workshop and
    (unless told otherwise) the health check six months after launch, with actions."""
    from .baseline import seed_baseline
    from .health import seed_health_round

    counts = seed_baseline(store, bank)
    if with_health_check:
        counts["answers"] += seed_health_round(store)["answers"]
    return counts
