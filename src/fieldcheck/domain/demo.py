"""The demo district: 27 old compounds across five sub-districts, 1.07 million m² in all.

Every id is derived from a fixed key, so a laptop's ``fieldcheck demo`` and the server's
``fieldcheck-server demo`` seed the very same district and can sync with each other.
"""

from __future__ import annotations

import datetime as dt

from fieldcheck.domain.compound import (
    Compound,
    District,
    ManagementStatus,
    SubDistrict,
    default_schedule,
)
from fieldcheck.domain.ids import fixed_id
from fieldcheck.domain.stages import STAGE_ORDER, Stage, StageDates

DEMO_DISTRICT = District(id=fixed_id("district", "demo"), name="示范区")

_SUB_DISTRICTS = [
    ("CG", "城关街道"),
    ("DG", "东关街道"),
    ("XC", "西城街道"),
    ("NH", "南湖街道"),
    ("BY", "北园街道"),
]

DEMO_SUB_DISTRICTS = tuple(
    SubDistrict(id=fixed_id("sub_district", code), district_id=DEMO_DISTRICT.id, code=code, name=n)
    for code, n in _SUB_DISTRICTS
)

_M = ManagementStatus
_S = Stage
# code, name, sub-district, street address, year built, floor area m², buildings, households,
# property management today, programme stage reached.
_COMPOUNDS = [
    ("CG-01", "纺织厂宿舍", "CG", "城关路12号", 1984, 52300, 14, 720, _M.NONE, _S.CONSTRUCTION),
    ("CG-02", "建设新村", "CG", "建设街8号", 1989, 38600, 10, 512, _M.COMMUNITY, _S.CONSTRUCTION),
    (
        "CG-03",
        "人民路小区",
        "CG",
        "人民路45号",
        1992,
        61200,
        16,
        864,
        _M.NONE,
        _S.COMPLETION_SELF_CHECK,
    ),
    ("CG-04", "邮电局家属院", "CG", "邮电巷3号", 1981, 24800, 6, 298, _M.NONE, _S.BASELINE_SURVEY),
    ("CG-05", "光明里", "CG", "光明里1号", 1995, 45900, 12, 610, _M.SELF_MANAGED, _S.TENDER),
    ("DG-01", "东关一号院", "DG", "东关大街21号", 1987, 33700, 9, 452, _M.NONE, _S.CONSTRUCTION),
    (
        "DG-02",
        "机床厂生活区",
        "DG",
        "机床路6号",
        1979,
        51500,
        15,
        698,
        _M.NONE,
        _S.COMPREHENSIVE_ACCEPTANCE,
    ),
    ("DG-03", "粮食局宿舍", "DG", "粮库街17号", 1990, 29400, 8, 376, _M.COMMUNITY, _S.CONSTRUCTION),
    (
        "DG-04",
        "东湖花园",
        "DG",
        "东湖路88号",
        1998,
        40200,
        11,
        540,
        _M.PROFESSIONAL,
        _S.DESIGN_NOTICE,
    ),
    (
        "DG-05",
        "化肥厂小区",
        "DG",
        "化工路2号",
        1983,
        56800,
        15,
        788,
        _M.NONE,
        _S.ILLEGAL_STRUCTURE_REMOVAL,
    ),
    ("XC-01", "西城新村", "XC", "西城路30号", 1986, 21900, 6, 280, _M.NONE, _S.CONSTRUCTION),
    (
        "XC-02",
        "教师公寓",
        "XC",
        "文化路19号",
        1996,
        38300,
        10,
        496,
        _M.SELF_MANAGED,
        _S.COMPLETION_SELF_CHECK,
    ),
    ("XC-03", "电业局宿舍", "XC", "电力巷5号", 1988, 36100, 9, 468, _M.NONE, _S.CONSTRUCTION),
    ("XC-04", "卫生局家属院", "XC", "健康路11号", 1993, 47400, 12, 622, _M.COMMUNITY, _S.TENDER),
    ("XC-05", "棉纺厂小区", "XC", "棉纺路1号", 1980, 37600, 10, 514, _M.NONE, _S.CONSTRUCTION),
    (
        "XC-06",
        "税务局宿舍",
        "XC",
        "税苑街7号",
        1997,
        43800,
        11,
        560,
        _M.PROFESSIONAL,
        _S.COMPREHENSIVE_ACCEPTANCE,
    ),
    ("NH-01", "南湖小区", "NH", "南湖路66号", 1991, 39100, 10, 530, _M.NONE, _S.CONSTRUCTION),
    ("NH-02", "水利局家属院", "NH", "滨河路23号", 1985, 31200, 8, 402, _M.NONE, _S.BASELINE_SURVEY),
    ("NH-03", "印刷厂宿舍", "NH", "印刷巷9号", 1982, 25300, 7, 336, _M.NONE, _S.CONSTRUCTION),
    ("NH-04", "南苑新村", "NH", "南苑路15号", 1994, 40700, 11, 548, _M.COMMUNITY, _S.HANDOVER),
    (
        "NH-05",
        "交通局小区",
        "NH",
        "交通路40号",
        1999,
        44900,
        12,
        596,
        _M.PROFESSIONAL,
        _S.COMPLETION_SELF_CHECK,
    ),
    ("BY-01", "北园小区", "BY", "北园路3号", 1987, 42800, 11, 574, _M.NONE, _S.CONSTRUCTION),
    ("BY-02", "钢厂宿舍", "BY", "钢厂路27号", 1978, 28700, 8, 390, _M.NONE, _S.DESIGN_NOTICE),
    ("BY-03", "供销社家属院", "BY", "供销街14号", 1986, 39500, 10, 520, _M.NONE, _S.CONSTRUCTION),
    (
        "BY-04",
        "北城花园",
        "BY",
        "北城大道101号",
        2000,
        36200,
        9,
        476,
        _M.SELF_MANAGED,
        _S.CONSTRUCTION,
    ),
    ("BY-05", "林业局宿舍", "BY", "林苑路8号", 1990, 37100, 10, 488, _M.NONE, _S.TENDER),
    (
        "BY-06",
        "自来水公司小区",
        "BY",
        "清泉路52号",
        1993,
        45000,
        12,
        604,
        _M.COMMUNITY,
        _S.CONSTRUCTION,
    ),
]

#: When each stage was finished in the demo's plan year, for compounds already past it.
_DEMO_DONE = {
    Stage.PLAN_INCLUSION: (1, 20),
    Stage.BASELINE_SURVEY: (3, 28),
    Stage.ILLEGAL_STRUCTURE_REMOVAL: (5, 15),
    Stage.DESIGN_NOTICE: (6, 20),
    Stage.TENDER: (7, 25),
    Stage.CONSTRUCTION: (10, 31),
    Stage.COMPLETION_SELF_CHECK: (11, 10),
    Stage.COMPREHENSIVE_ACCEPTANCE: (11, 20),
    Stage.HANDOVER: (11, 25),
}


def demo_compounds(plan_year: int) -> list[Compound]:
    """The demo district's compounds for ``plan_year``, with stages and dates filled in."""
    sub_ids = {s.code: s.id for s in DEMO_SUB_DISTRICTS}
    compounds = []
    for code, name, sub, address, year, area, buildings, households, mgmt, stage in _COMPOUNDS:
        planned = {d.stage: d.planned_due for d in default_schedule(plan_year)}
        schedule = tuple(
            StageDates(
                s,
                planned_due=planned.get(s),
                actual_done=dt.date(plan_year, *_DEMO_DONE[s])
                if s.position < stage.position
                else None,
            )
            for s in STAGE_ORDER
            if s in planned or s.position < stage.position
        )
        compounds.append(
            Compound(
                id=fixed_id("compound", code),
                code=code,
                name=name,
                address=address,
                sub_district_id=sub_ids[sub],
                year_built=year,
                floor_area_m2=float(area),
                buildings=buildings,
                households=households,
                management=mgmt,
                plan_year=plan_year,
                stage=stage,
                schedule=schedule,
            )
        )
    return compounds
