"""French departments and regions, from django-localflavor.

localflavor attaches each department to its pre-2016 region code; CCIs work with
the 13 regions of the 2015 reform (loi n° 2015-29), so the old codes are mapped
onto the new ones here. Unchanged regions keep their code.
"""

from localflavor.fr.fr_department import DEPARTMENT_CHOICES, DEPARTMENT_CHOICES_PER_REGION
from localflavor.fr.fr_region import REGION_2016_CHOICES

__all__ = ["DEPARTMENT_CHOICES", "REGION_2016_CHOICES", "department_name", "region_of_department"]

_MERGED_INTO = {
    "21": "44",
    "41": "44",
    "42": "44",  # Champagne-Ardenne, Lorraine, Alsace → Grand Est
    "22": "32",
    "31": "32",  # Picardie, Nord-Pas-de-Calais → Hauts-de-France
    "23": "28",
    "25": "28",  # Haute- and Basse-Normandie → Normandie
    "26": "27",
    "43": "27",  # Bourgogne, Franche-Comté → Bourgogne-Franche-Comté
    "54": "75",
    "72": "75",
    "74": "75",  # Poitou-Charentes, Aquitaine, Limousin → Nouvelle-Aquitaine
    "73": "76",
    "91": "76",  # Midi-Pyrénées, Languedoc-Roussillon → Occitanie
    "82": "84",
    "83": "84",  # Rhône-Alpes, Auvergne → Auvergne-Rhône-Alpes
    "05": "06",  # Mayotte's code became 06
}

_DEPARTMENTS = {code: (name, region) for code, name, region in DEPARTMENT_CHOICES_PER_REGION}
_REGION_NAMES = dict(REGION_2016_CHOICES)


def region_of_department(department: str) -> str | None:
    """The 2016 region code of a department (None for territories outside any region)."""
    if department not in _DEPARTMENTS:
        return None
    old_region = _DEPARTMENTS[department][1]
    if old_region is None:
        return None
    return _MERGED_INTO.get(old_region, old_region)


def department_name(department: str) -> str:
    return _DEPARTMENTS.get(department, ("", None))[0]


def region_name(region: str) -> str:
    return _REGION_NAMES.get(region, "")
