"""The five renovation categories of the district programme (DESIGN §1)."""

from __future__ import annotations

from enum import StrEnum

from fieldcheck.domain.text import BilingualText


class Category(StrEnum):
    """A renovation category; the value is its code in checklist templates ("1"…"5")."""

    SECURITY_FIRE = "1"
    ILLEGAL_SANITATION = "2"
    ENVIRONMENT_FACADE = "3"
    INFRASTRUCTURE_CABLES = "4"
    UTILITIES = "5"

    @property
    def label(self) -> BilingualText:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS: dict[Category, BilingualText] = {
    Category.SECURITY_FIRE: BilingualText("治安防控和消防设施", "Public security and fire safety"),
    Category.ILLEGAL_SANITATION: BilingualText(
        "清理违章和配齐环卫设施", "Illegal structures and sanitation"
    ),
    Category.ENVIRONMENT_FACADE: BilingualText(
        "改善小区环境设施和立面出新", "Environment and facade renewal"
    ),
    Category.INFRASTRUCTURE_CABLES: BilingualText(
        "改造小区基础设施和弱电线路落地", "Infrastructure and weak-current cables"
    ),
    Category.UTILITIES: BilingualText("改造水、电暖专业经营设施", "Water, power and heating"),
}
