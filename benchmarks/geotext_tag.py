"""Baseline for the speed benchmark: geotext's country extraction behind the same
JSON Lines in / JSON Lines out shape as `geotech tag`."""

from __future__ import annotations

import json
import sys

from geotext import GeoText


def main() -> None:
    if len(sys.argv) > 1:
        with open(sys.argv[1], encoding="utf-8") as src:
            run(src)
    else:
        run(sys.stdin)


def run(src: object) -> None:
    out = sys.stdout
    for n, line in enumerate(src, start=1):  # type: ignore[call-overload]
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            countries = list(GeoText(obj["text"]).country_mentions)
            out.write(json.dumps({"id": obj.get("id"), "countries": countries}) + "\n")
        except (ValueError, KeyError) as exc:
            out.write(json.dumps({"line": n, "error": str(exc)}) + "\n")


if __name__ == "__main__":
    main()
