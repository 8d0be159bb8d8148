"""GDELT 2.0 event export files: tab-separated, no header, 61 columns, every column read as text.

The url may be an export file (plain or zipped) or GDELT's `lastupdate.txt`, which names the
latest export. Each row becomes an article: a readable sentence from the actors and the CAMEO
root code, the SOURCEURL as url, SQLDATE as published, and curated labels with the countries
(actors' CAMEO codes, else their FIPS geo codes, and the action's FIPS geo code, all as ISO
alpha-2) and one relation from QuadClass (1-2 cooperation, 3-4 restriction). Themes are left to
the tagger. Rows re-emitted with the same SOURCEURL get the same id and collapse. `since` is not
used: an export file is already a 15-minute slice. Tone, Goldstein scale, counts, ADM codes,
coordinates and feature ids are dropped on purpose.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import httpx

from core.ingest.records import check_date, make_article, safe_url
from core.models import CuratedLabels, RelationType
from core.sources.context import FetchContext
from core.sources.countrycodes import cameo_to_iso, fips_to_iso
from core.sources.payload import first_line
from core.sources.spec import SourceSpec, required_url

_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
          "Type1Code", "Type2Code", "Type3Code")
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{c}" for c in _ACTOR), *(f"Actor2{c}" for c in _ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{a}Geo_{c}" for a in ("Actor1", "Actor2", "Action") for c in _GEO),
    "DATEADDED", "SOURCEURL",
)
QUAD_RELATION: dict[str, tuple[str, RelationType]] = {
    "1": ("verbal cooperation", "cooperation"), "2": ("material cooperation", "cooperation"),
    "3": ("verbal conflict", "restriction"), "4": ("material conflict", "restriction"),
}
ROOT_CODES: dict[str, tuple[str, str]] = {  # CAMEO root code -> (name, verb phrase)
    "01": ("Make public statement", "makes a public statement about"), "02": ("Appeal", "appeals to"),
    "03": ("Express intent to cooperate", "expresses intent to cooperate with"), "04": ("Consult", "consults with"),
    "05": ("Engage in diplomatic cooperation", "engages in diplomatic cooperation with"),
    "06": ("Engage in material cooperation", "engages in material cooperation with"), "07": ("Provide aid", "provides aid to"),
    "08": ("Yield", "yields to"), "09": ("Investigate", "investigates"), "10": ("Demand", "makes demands of"),
    "11": ("Disapprove", "criticizes"), "12": ("Reject", "rejects"), "13": ("Threaten", "threatens"),
    "14": ("Protest", "protests against"), "15": ("Exhibit force posture", "exhibits force posture toward"),
    "16": ("Reduce relations", "reduces relations with"), "17": ("Coerce", "coerces"), "18": ("Assault", "assaults"),
    "19": ("Fight", "fights"), "20": ("Use unconventional mass violence", "uses unconventional mass violence against"),
}


def crawl(context: FetchContext, source: SourceSpec, since: dt.date | None) -> None:
    """Emit one article per usable row of the export file (or of the latest export, for lastupdate.txt)."""
    url = required_url(source)
    response = context.get(url)
    if url.endswith("lastupdate.txt"):
        response = context.get(context.follow_up(export_url(context, response.text), url))
    text = export_text(context, response)
    rows = [(n, line.split("\t")) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if rows and all(len(fields) != len(COLUMNS) for _, fields in rows):
        raise context.fail(f"{response.url.host} did not send a GDELT 2.0 event export (no line has {len(COLUMNS)} "
                           f"tab-separated columns; it starts {first_line(text)!r})", "check the url")
    for n, fields in rows:
        emit_row(context, source, fields, n)


def export_url(context: FetchContext, listing: str) -> str:
    """The export file named in a lastupdate.txt listing (`size md5 url` per line)."""
    for line in listing.splitlines():
        url = line.split()[-1] if line.split() else ""
        if url.endswith(".export.CSV.zip") and safe_url(url):
            return url
    raise context.fail("lastupdate.txt names no .export.CSV.zip file", "check the url or try again later")


def export_text(context: FetchContext, response: httpx.Response) -> str:
    """The text of an export file; a zip archive is opened and its first member read."""
    data = response.content
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
                data = _bounded_member(context, archive, names[0], response.url.host) if names else b""
        # NotImplementedError is zipfile's answer to a compression method it cannot read
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
            raise context.fail(f"the export file from {response.url.host} is a broken zip ({exc})", "try again later") from None
    return data.decode("utf-8", errors="replace")


def _bounded_member(context: FetchContext, archive: zipfile.ZipFile, name: str, host: str) -> bytes:
    """A zip member read in chunks, at most the context's body limit (a small zip can inflate to gigabytes)."""
    out, size = [], 0
    with archive.open(name) as member:
        while chunk := member.read(1 << 20):
            size += len(chunk)
            if size > context.max_body_bytes:
                raise context.fail(f"the export file from {host} inflates to more than {context.max_body_bytes // 2**20} MB; "
                                   "not read", "check the url", "too_large")
            out.append(chunk)
    return b"".join(out)


def emit_row(context: FetchContext, source: SourceSpec, fields: list[str], line: int) -> None:
    """One row as an article with curated countries and relation, or a warning naming the line."""
    if len(fields) != len(COLUMNS):
        return context.warn(source.name, f"expected {len(COLUMNS)} tab-separated columns, got {len(fields)}; skipped", line)
    row = dict(zip(COLUMNS, fields, strict=True))
    url = safe_url(row["SOURCEURL"])
    if url is None:
        return context.warn(source.name, f"SOURCEURL {row['SOURCEURL'][:80]!r} is not http(s); skipped", line)
    try:
        published = check_date(dt.datetime.strptime(row["SQLDATE"].strip(), "%Y%m%d").date())
    except ValueError:
        return context.warn(source.name, f"SQLDATE {row['SQLDATE']!r} is not YYYYMMDD; skipped", line)
    if row["QuadClass"].strip() not in QUAD_RELATION:
        context.warn(source.name, f"QuadClass {row['QuadClass']!r} is not 1-4; no relation kept", line)
    article = make_article(event_text(row), published, title=event_title(row), url=url, source=httpx.URL(url).host)
    context.emit(article.model_copy(update={"curated": event_labels(row)}))
    return None


def actor_country(row: dict[str, str], actor: str) -> str | None:
    """An actor's country: its CAMEO country code, else the FIPS country of where it is."""
    return cameo_to_iso(row[f"{actor}CountryCode"]) or fips_to_iso(row[f"{actor}Geo_CountryCode"])


def event_labels(row: dict[str, str]) -> CuratedLabels:
    """Countries (actors, then the action's place) and the actor1 -> actor2 relation, if both are known and differ."""
    first, second = actor_country(row, "Actor1"), actor_country(row, "Actor2")
    place = fips_to_iso(row["ActionGeo_CountryCode"])
    countries = tuple(dict.fromkeys(c for c in (first, second, place) if c))
    quad = QUAD_RELATION.get(row["QuadClass"].strip())
    relations = ((first, second, quad[1]),) if first and second and first != second and quad else ()
    return CuratedLabels(countries=countries or None, relations=relations)


def actor_name(row: dict[str, str], actor: str) -> str:
    """The actor's name in title case (GDELT writes names in capitals); empty when unknown."""
    name = " ".join(row[f"{actor}Name"].split())
    return name.title() if name.isupper() else name


def event_title(row: dict[str, str]) -> str:
    """A readable sentence: "United States threatens China"."""
    name, verb = ROOT_CODES.get(row["EventRootCode"].strip().zfill(2), ("Event", "acts toward"))
    first, second = actor_name(row, "Actor1"), actor_name(row, "Actor2")
    if first and second:
        return f"{first} {verb} {second}"
    if first or second:
        return f"{first or second}: {name.lower()}"
    return f"{name} in {row['ActionGeo_FullName'].strip() or 'an unknown place'}"


def event_text(row: dict[str, str]) -> str:
    """The title, the place, and the CAMEO event in words."""
    root = row["EventRootCode"].strip().zfill(2)
    name = ROOT_CODES.get(root, (f"CAMEO root code {root}", ""))[0]
    quad = QUAD_RELATION.get(row["QuadClass"].strip(), ("unknown class", ""))[0]
    place = row["ActionGeo_FullName"].strip()
    where = f" in {place}" if place else ""
    return f"{event_title(row)}{where}. CAMEO event {row['EventCode'].strip()}: {name} ({quad})."
