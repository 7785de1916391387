"""A report section: a title, Markdown body, terminal summary lines and JSON data, or a plain reason it is missing.

>>> s = unavailable("figures", "Figures", "matplotlib", ImportError("No module named 'matplotlib'"))
>>> s.available, s.reason
(False, "needs matplotlib, which is not available here (No module named 'matplotlib')")
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Section", "unavailable"]


@dataclass
class Section:
    key: str
    title: str
    available: bool = True
    markdown: str = ""
    summary: list = field(default_factory=list)
    data: dict = field(default_factory=dict)
    reason: str = ""
    figures: list = field(default_factory=list)  # (file name, caption)

    def body(self) -> str:
        if self.available:
            return self.markdown
        return f"**Unavailable.** {self.reason}\n"

    def to_json(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "available": self.available,
            "reason": self.reason,
            "summary": list(self.summary),
            "figures": [f for f, _ in self.figures],
            "data": self.data,
        }


def unavailable(key: str, title: str, module: str, exc: BaseException | None = None, why: str = "") -> Section:
    """A section that could not be built because ``module`` is missing or failed; says which and why."""
    detail = f" ({exc})" if exc is not None else ""
    reason = why or f"needs {module}, which is not available here{detail}"
    return Section(key, title, available=False, reason=reason, summary=[f"{title}: unavailable ({reason})"])
