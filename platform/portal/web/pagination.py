from __future__ import annotations

from dataclasses import dataclass

from flask import request

MAX_PAGE = 10_000


def page_number() -> int:
    """``?page=`` as a sane positive integer: garbage and absurd numbers become page 1 or the cap."""
    raw = request.args.get("page", "1")
    try:
        value = int(raw)
    except ValueError:
        return 1
    return min(max(value, 1), MAX_PAGE)


@dataclass(frozen=True)
class Page:
    number: int
    per_page: int
    total: int

    @classmethod
    def of(cls, number: int, per_page: int, total: int) -> Page:
        last = max(1, -(-total // per_page))
        return cls(min(number, last), per_page, total)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages
