"""Postcodes placed on a map, flat distances in km and k-means anchors for stage 3."""

import csv
import math
from collections import defaultdict
from functools import cache
from pathlib import Path

POSTCODES_FILE = Path(__file__).parent.parent / "data" / "postcodes.csv"


@cache
def _postcode_points() -> dict[str, tuple[float, float]]:
    with POSTCODES_FILE.open(encoding="utf-8", newline="") as data:
        return {
            row["postcode"]: (float(row["latitude"]), float(row["longitude"])) for row in csv.DictReader(data)
        }


@cache
def _prefix_points() -> dict[str, tuple[float, float]]:
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for postcode, (latitude, longitude) in _postcode_points().items():
        for length in (2, 3, 4):
            entry = sums[postcode[:length]]
            entry[0] += latitude
            entry[1] += longitude
            entry[2] += 1
    return {prefix: (lat / count, lon / count) for prefix, (lat, lon, count) in sums.items()}


def postcode_point(postcode: str) -> tuple[float, float] | None:
    """Latitude and longitude of a postcode, or of its longest known prefix; None if unknown."""
    postcode = (postcode or "").strip()
    found = _postcode_points().get(postcode)
    if found is not None:
        return found
    for length in (4, 3, 2):
        found = _prefix_points().get(postcode[:length]) if len(postcode) >= length else None
        if found is not None:
            return found
    return None


def _planar(points: list[tuple[float, float] | None]) -> list[tuple[float, float] | None]:
    """Kilometres on a flat projection centred on the pool: within 1 % at a département's scale."""
    known = [point for point in points if point is not None]
    if not known:
        return points
    reference = math.radians(sum(lat for lat, _lon in known) / len(known))
    east = 111.32 * math.cos(reference)
    return [None if point is None else (point[1] * east, point[0] * 110.57) for point in points]


def _centre(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    if not points:
        return None
    return (sum(x for x, _y in points) / len(points), sum(y for _x, y in points) / len(points))


def _kmeans(points: list[tuple[float, float]], k: int, rounds: int = 12) -> list[tuple[float, float]]:
    """k anchors spread over the points (farthest-point start, then Lloyd): deterministic."""
    middle = _centre(points)
    first = min(points, key=lambda p: (math.dist(p, middle), p))
    anchors = [first]
    nearest = [math.dist(p, first) for p in points]
    while len(anchors) < min(k, len(set(points))):
        index = max(range(len(points)), key=lambda i: (nearest[i], -i))
        anchors.append(points[index])
        nearest = [min(d, math.dist(p, points[index])) for d, p in zip(nearest, points, strict=True)]
    for _round in range(rounds):
        members: list[list[tuple[float, float]]] = [[] for _anchor in anchors]
        for point in points:
            members[min(range(len(anchors)), key=lambda a: math.dist(point, anchors[a]))].append(point)
        anchors = [_centre(group) or anchor for group, anchor in zip(members, anchors, strict=True)]
    while len(anchors) < k:  # fewer distinct places than cohorts
        anchors.append(anchors[len(anchors) % max(1, len(anchors))])
    return anchors
