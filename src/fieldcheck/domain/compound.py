"""Districts, sub-districts (街道) and the residential compounds of the renovation plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from fieldcheck.domain.errors import ValidationError
from fieldcheck.domain.stages import Stage, StageDates
from fieldcheck.domain.text import BilingualText

#: Old compounds are those built before the end of 2000 (RENOVATION.md B.1 [D1]).
OLD_COMPOUND_LAST_YEAR = 2000


class ManagementStatus(StrEnum):
    """Who manages a compound today."""

    NONE = "none"
    PROFESSIONAL = "professional"
    SELF_MANAGED = "self_managed"
    COMMUNITY = "community"

    @property
    def label(self) -> BilingualText:
        return MANAGEMENT_LABELS[self]


MANAGEMENT_LABELS = {
    ManagementStatus.NONE: BilingualText("无物业管理", "No property management"),
    ManagementStatus.PROFESSIONAL: BilingualText("专业物业", "Professional management"),
    ManagementStatus.SELF_MANAGED: BilingualText("业主自管", "Owner self-management"),
    ManagementStatus.COMMUNITY: BilingualText("社区托管", "Community caretaking"),
}


@dataclass(frozen=True)
class District:
    id: str
    name: str


@dataclass(frozen=True)
class SubDistrict:
    """A sub-district office (街道办事处); scopes of access are sub-districts."""

    id: str
    district_id: str
    code: str
    name: str


#: The district a plan list's sub-districts belong to when none is named (laptop and server).
DEFAULT_DISTRICT_NAME = "本区"
#: The plain facts of a compound as the plan lists them (the store and the server copy these
#: between a ``Compound`` and their rows; management, stage and schedule are kept apart).
FACT_FIELDS = (
    "code",
    "name",
    "address",
    "sub_district_id",
    "year_built",
    "floor_area_m2",
    "buildings",
    "households",
    "plan_year",
)


@dataclass(frozen=True)
class Compound:
    """A residential compound in the renovation plan, with its programme stage and schedule."""

    id: str
    code: str
    name: str
    address: str
    sub_district_id: str
    year_built: int
    floor_area_m2: float
    buildings: int
    households: int
    management: ManagementStatus
    plan_year: int
    stage: Stage = Stage.PLAN_INCLUSION
    schedule: tuple[StageDates, ...] = field(default=())

    @property
    def built_after_2000(self) -> bool:
        """True for a compound outside the old-compound definition, to be flagged."""
        return self.year_built > OLD_COMPOUND_LAST_YEAR

    def dates(self, stage: Stage) -> StageDates:
        found = next((d for d in self.schedule if d.stage is stage), None)
        return found or StageDates(stage)


def default_schedule(plan_year: int) -> tuple[StageDates, ...]:
    """The district's standard deadlines: baseline survey by 31 March, completion by 30 November."""
    return (
        StageDates(Stage.BASELINE_SURVEY, planned_due=dt.date(plan_year, 3, 31)),
        StageDates(Stage.COMPLETION_SELF_CHECK, planned_due=dt.date(plan_year, 11, 30)),
    )


def validate_compound_facts(
    *,
    code: str,
    name: str,
    year_built: int,
    floor_area_m2: float,
    buildings: int,
    households: int,
    plan_year: int,
) -> None:
    """Raise ValidationError naming the first fact of a compound that cannot be right."""
    checks = [
        (bool(code.strip()), "code", "the compound code is empty"),
        (bool(name.strip()), "name", "the compound name is empty"),
        (1900 <= year_built <= 2100, "year_built", f"year built {year_built} is not plausible"),
        (0 < floor_area_m2 <= 5_000_000, "floor_area_m2", "floor area must be above 0 m²"),
        (buildings >= 1, "buildings", "a compound has at least one building"),
        (households >= 0, "households", "households cannot be negative"),
        (2000 <= plan_year <= 2100, "plan_year", f"plan year {plan_year} is not plausible"),
    ]
    for ok, key, message in checks:
        if not ok:
            raise ValidationError(message, "compound_invalid", {"field": key})
