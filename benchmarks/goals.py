"""A benchmark figure with its goal as numbers, so that `make bench` can fail on a miss.

Each row has the measured time and a baseline measured in the same run, and any of three
limits: `max_ratio` (measured / baseline), `max_seconds` (measured) and `max_over`
(measured - baseline, in seconds). A row without a limit is for information.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    name: str
    measured: float
    baseline: float
    max_ratio: float | None = None
    max_seconds: float | None = None
    max_over: float | None = None
    note: str = ""
    unit: str = "s"  # what the figures count: seconds, CPU-s, MiB, or "" for a count

    @property
    def ratio(self) -> float:
        return self.measured / self.baseline if self.baseline > 0 else float("nan")

    @property
    def checked(self) -> bool:
        return any(v is not None for v in (self.max_ratio, self.max_seconds, self.max_over))

    @property
    def ok(self) -> bool:
        """Whether every limit of the row is met (True for an information row)."""
        return ((self.max_ratio is None or self.ratio <= self.max_ratio)
                and (self.max_seconds is None or self.measured <= self.max_seconds)
                and (self.max_over is None or self.measured - self.baseline <= self.max_over))

    def goal(self) -> str:
        parts = []
        if self.max_ratio is not None:
            parts.append(f"ratio <= {self.max_ratio:g}x")
        if self.max_seconds is not None:
            parts.append(f"<= {self.max_seconds:g} {self.unit}".rstrip())
        if self.max_over is not None:
            parts.append(f"<= {self.max_over:g} {self.unit} over baseline".replace("  ", " "))
        text = " and ".join(parts) or "(information)"
        return f"{text}; {self.note}" if self.note else text
