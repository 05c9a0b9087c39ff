"""The public statistics as open data: the JSON of ``/api/v1/statistics`` and of the page's
download, and the same records as CSV. Codes and numbers only (ISO countries, kinds, months,
thesaurus keys): no institution, person or contact appears in any figure."""

from __future__ import annotations

import csv
import io
from typing import Any

from portal.statistics.registry import RECORD_COLUMNS, registered


def payload(figures: dict[str, Any], center: str | None) -> dict[str, Any]:
    """Every registered figure with its records; titles in the current locale."""
    computed = figures["figures"]
    items = []
    for figure in registered():
        if figure.key not in computed:  # registered after the cached figures were computed
            continue
        items.append({"key": figure.key, "title": figure.title(),
                      "records": [_record(figure.key, record) for record in figure.records(computed[figure.key])]})
    return {"center": center, "generated_at": figures["generated_at"], "figures": items}


def _record(key: str, record: dict[str, Any]) -> dict[str, Any]:
    return {"figure": key, **{column: record[column] for column in RECORD_COLUMNS if column in record}}


def as_csv(figures: dict[str, Any], center: str | None) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["center", "generated_at", *RECORD_COLUMNS], lineterminator="\r\n")
    writer.writeheader()
    data = payload(figures, center)
    for figure in data["figures"]:
        for record in figure["records"]:
            writer.writerow({"center": center or "", "generated_at": data["generated_at"], **record})
    return buffer.getvalue()
