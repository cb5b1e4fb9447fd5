"""Bilingual text: every label a user reads in templates and domain data has zh and en."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class BilingualText:
    """A label in Simplified Chinese and English."""

    zh: str
    en: str

    def get(self, language: str) -> str:
        """The text in ``language`` ("zh" or "en"; a locale such as "zh_CN" also works)."""
        return self.zh if language.lower().startswith("zh") else self.en

    @classmethod
    def from_dict(cls, data: object, where: str) -> BilingualText:
        from fieldcheck.domain.errors import TemplateError

        if not isinstance(data, dict):
            raise TemplateError(f"{where}: expected an object with 'zh' and 'en'", "template_text")
        zh, en = data.get("zh"), data.get("en")
        if not isinstance(zh, str) or not zh.strip() or not isinstance(en, str) or not en.strip():
            raise TemplateError(
                f"{where}: both 'zh' and 'en' must be non-empty strings", "template_text"
            )
        return cls(zh=zh, en=en)

    def to_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}
