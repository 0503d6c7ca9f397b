"""Declared conflicts: two companies of a chapter that must never sit together."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from groups.enums import ConflictSource
from groups.models import Chapter, DeclaredConflict


@transaction.atomic
def declare_conflict(
    chapter: Chapter,
    *,
    siren: str,
    name: str,
    other_siren: str,
    other_name: str,
    reason: str,
    actor,
    declared_as: str = ConflictSource.COORDINATOR,
) -> DeclaredConflict:
    """Two companies must not sit together, whatever their NAF codes say."""
    if siren == other_siren:
        raise ValidationError(_("A company cannot be declared in conflict with itself."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why these two companies compete.")})
    (siren_a, name_a), (siren_b, name_b) = sorted([(siren, name.strip()), (other_siren, other_name.strip())])
    conflict = DeclaredConflict(
        chapter=chapter,
        siren_a=siren_a,
        name_a=name_a,
        siren_b=siren_b,
        name_b=name_b,
        reason=reason.strip(),
        declared_by=actor,
        declared_as=declared_as,
    )
    conflict.full_clean()
    conflict.save()
    return conflict


@transaction.atomic
def withdraw_conflict(conflict: DeclaredConflict, *, actor) -> None:
    conflict.delete()
