"""Ready for the room: how `workbook serve` prepares for people who open their links at once.

A workshop starts with "please open your link now", so the questionnaire must be ready for
the whole room before anyone arrives, on Voila's own levers:

- **a pool sized for the room**: Voila pre-heats questionnaire kernels (imports, bank, store,
  all done before the request; the notebook then waits in `get_query_string` for its
  visitor). The pool holds the room plus a margin, so a room of the expected size never waits
  for a kernel to start;
- **no refill while the room arrives**: the pool was filled before anyone came; a kernel
  taken by one of the expected room is not replaced (that would only compete with the people
  still arriving, and most replacements would never be used). The pool keeps its margin for
  late-comers, and refills to the whole room again once nobody has arrived for
  `quiet_s` (a break, the next workshop);
- **admission**: beyond the pages the machine can hold (`max_visitors`), or while more
  people already wait for a starting kernel than the machine has cores (at least two), a
  newcomer gets a short page that says so and opens the questionnaire by itself a few
  seconds later, never a spinner that hangs;
- **kernels given back**: a closed tab's page asks Voila to shut its kernel down (the unload
  beacon); a page left open without activity for `idle_minutes` is culled by Jupyter's
  kernel culling (pooled kernels are never culled). Every answer is saved the moment it is
  given, so culling loses nothing; a reload opens a fresh page where the person left off.

This module decides; `voila_app` applies the decisions inside the Voila server, and `serve`
writes the plan into Voila's configuration.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Literal

#: memory a served questionnaire costs (kernel PSS plus Voila's share), for sizing; measured
#: by benchmarks/bench_room.py and written down in docs/deploy.md
MIB_PER_VISITOR = 75
#: after this long without a newcomer the room has settled: the pool fills up again
QUIET_S = 15 * 60.0
#: how often the "room is full" page tries again
RETRY_S = 5

Admit = Literal["pooled", "cold", "busy", "full"]


@dataclass(frozen=True)
class RoomPlan:
    """The numbers a server runs with for one expected room."""

    room: int
    pool: int
    margin: int
    max_visitors: int
    max_cold: int
    idle_seconds: float
    quiet_s: float = QUIET_S
    light: bool = False
    #: pre-heated kernels kept for each other page (dashboard, setup, portfolio): one makes
    #: a facilitator's first page quick; 0 for a server that only questionnaires will use
    other_pages: int = 1

    def describe(self) -> str:
        """One line for the facilitator."""
        mins = self.idle_seconds / 60
        if self.light:
            return (f"ready for a room of {self.room}: personal links open a light "
                    "questionnaire (no kernel each), other pages' idle kernels released after "
                    f"{mins:g} min")
        return (f"ready for a room of {self.room}: {self.pool} questionnaires kept ready, up "
                f"to {self.max_visitors} pages open at once, idle pages released after "
                f"{mins:g} min")


def plan(room: int, max_visitors: int = 0, idle_minutes: float = 20.0,
         cores: int | None = None, available_mib: float | None = None,
         light: bool = False, other_pages: int = 1) -> RoomPlan:
    """The pool, admission limits and culling for a room of `room` people.

    `max_visitors` 0 means: as many pages as about 70 % of the memory available now holds.
    `light`: personal links open the light questionnaire, which needs no kernel, so no
    questionnaire is kept ready in a kernel. `other_pages`: kernels kept ready for each
    other page (0 for a server only questionnaires will use).
    """
    room = max(int(room), 1)
    margin = max(2, room // 4)
    cores = cores or os.cpu_count() or 2
    if available_mib is None:
        import psutil

        available_mib = psutil.virtual_memory().available / 2**20
    by_memory = int(available_mib * 0.7 / MIB_PER_VISITOR)
    limit = max_visitors or max(by_memory, room + margin)
    return RoomPlan(room=room, pool=0 if light else room + margin, margin=margin,
                    max_visitors=max(limit, 1), max_cold=max(2, cores),
                    idle_seconds=max(float(idle_minutes), 0.1) * 60, light=light,
                    other_pages=max(int(other_pages), 0))


def voila_settings(p: RoomPlan, base: dict[str, Any]) -> dict[str, Any]:
    """Voila's configuration (`voila.json`) with the plan's pool, refill delay and culling."""
    conf = {k: dict(v) if isinstance(v, dict) else v for k, v in base.items()}
    km = dict(conf.get("VoilaKernelManager", {}))
    pools = dict(km.get("kernel_pools_config", {}))
    pools["questionnaire.ipynb"] = {"pool_size": p.pool}
    pools["default"] = {**pools.get("default", {}), "pool_size": max(p.other_pages, 0)}
    km["kernel_pools_config"] = pools
    km["fill_delay"] = 0
    conf["VoilaKernelManager"] = km
    conf["MappingKernelManager"] = {
        **conf.get("MappingKernelManager", {}),
        "cull_idle_timeout": int(p.idle_seconds),
        "cull_interval": int(max(10, min(60, p.idle_seconds / 4))),
        "cull_connected": True,   # an open tab nobody uses is released too
        "cull_busy": False,       # never a kernel in the middle of saving
    }
    return conf


def admit(p: RoomPlan, open_pages: int, ready: int, waiting: int) -> Admit:
    """What a newcomer to the questionnaire gets: a pre-heated kernel ("pooled"), a kernel
    still starting ("cold"), a short wait because enough people already wait for a kernel to
    start ("busy"), or a wait because the machine holds no more pages ("full").

    `open_pages` counts the kernels serving pages, `ready` the pre-heated ones in the pool,
    `waiting` the visitors already waiting for a kernel that is still starting."""
    if open_pages >= p.max_visitors:
        return "full"
    if ready > 0:
        return "pooled"
    if waiting < p.max_cold:
        return "cold"
    return "busy"


def pool_target(p: RoomPlan, arrived_recently: int) -> int:
    """How many questionnaires the pool should hold, given how many people took one since
    the room was last quiet: the rest of the room still to come, plus the margin."""
    return p.margin + max(p.room - arrived_recently, 0)
