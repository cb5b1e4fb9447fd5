"""Labels the archive's tables and reports print, in Chinese and English (the archive is
Chinese first; English on request). Domain labels (categories, stages, kinds, register
types) come from the domain; these are the ones it does not have."""

from __future__ import annotations

import datetime as dt

from fieldcheck.domain.photo import Phase
from fieldcheck.domain.text import BilingualText as T

#: Times in tables and captions are shown in the programme's zone.
ARCHIVE_TZ = dt.timezone(dt.timedelta(hours=8))

PHASE_LABELS = {
    Phase.BEFORE: T("整治前", "Before"),
    Phase.DURING: T("施工中", "During"),
    Phase.AFTER: T("整治后", "After"),
    Phase.ACCEPTANCE: T("验收", "Acceptance"),
}
PHASE_ORDER = tuple(Phase)

ANSWER_LABELS = {
    "pass": T("合格", "Pass"),
    "fail": T("不合格", "Fail"),
    "na": T("不适用", "N/A"),
}

LOCATION_SOURCE_LABELS = {
    "exif": T("照片GPS", "EXIF GPS"),
    "plan_pin": T("平面图标注", "Site-plan pin"),
    "manual": T("手工录入", "Entered by hand"),
}

TIME_SOURCE_LABELS = {
    "exif": T("相机EXIF", "Camera EXIF"),
    "import": T("导入时间", "Import time"),
}

FLAG_LABELS = {
    "future_dated": T("拍摄时间晚于导入", "Dated in the future"),
    "clock_skewed": T("设备时钟偏差", "Device clock off"),
    "duplicate_before_after": T("前后照片相同", "Same before and after"),
    "implausible_time": T("时间可疑", "Implausible time"),
    "location_far": T("位置远离小区", "Far from the compound"),
    "location_missing": T("无位置", "No location"),
    "retracted": T("已撤回", "Retracted"),
}

ACTION_STATUS_LABELS = {
    "open": T("待整改", "Open"),
    "rectified": T("已整改", "Rectified"),
    "verified": T("已核验", "Verified"),
    "rejected": T("核验未通过", "Rejected"),
}

VERDICT_LABELS = {
    "accepted": T("通过", "Accepted"),
    "returned": T("退回", "Returned"),
}

UNPROCESSED = T(
    "原始照片未经后期加工处理；批注照片为派生副本，单独存放。",
    "Original photos are not post-processed; annotated photos are derived copies kept apart.",
)


def local_time(value: dt.datetime | None) -> str:
    """``YYYY-MM-DD HH:MM`` in the programme's zone (a time without offset as it is)."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(ARCHIVE_TZ)
    return value.strftime("%Y-%m-%d %H:%M")
