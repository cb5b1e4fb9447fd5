"""The one error body every failing request answers with."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from fieldcheck.protocol.base import WireResponse


class ErrorBody(WireResponse):
    """``code`` is stable and meant for branching; ``message`` is English for people and logs."""

    code: str = Field(examples=["invalid_request"])
    message: str
    details: dict[str, Any] = Field(default_factory=dict)
