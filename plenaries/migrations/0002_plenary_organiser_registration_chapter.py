"""Who organises a plenary, and which chapter each registered person comes from.

A departmental plenary is organised by its own chapter. A regional plenary planned
before this rule gets no organiser: admins manage it until one of them names the
organising chapter (its edit page). Each registration's chapter is its cohort's, or,
for a facilitator, the chapter of the plenary where they facilitate.
"""

import django.db.models.deletion
from django.db import migrations, models


def organisers_and_chapters(apps, schema_editor):
    Plenary = apps.get_model("plenaries", "Plenary")
    Registration = apps.get_model("plenaries", "Registration")
    ChapterRole = apps.get_model("groups", "ChapterRole")
    Plenary.objects.filter(scope="departmental").update(organiser_id=models.F("chapter_id"))
    for registration in Registration.objects.filter(chapter__isnull=True).select_related("plenary", "cohort"):
        if registration.cohort_id:
            chapter_id = registration.cohort.chapter_id
        else:
            plenary = registration.plenary
            roles = ChapterRole.objects.filter(user_id=registration.person_id, role="facilitator")
            if plenary.scope == "departmental":
                roles = roles.filter(chapter_id=plenary.chapter_id)
            else:
                roles = roles.filter(chapter__region_id=plenary.region_id)
            chapter_id = roles.order_by("chapter_id").values_list("chapter_id", flat=True).first()
        if chapter_id:
            Registration.objects.filter(pk=registration.pk).update(chapter_id=chapter_id)


class Migration(migrations.Migration):

    dependencies = [
        ('groups', '0005_chapter_instalments'),
        ('plenaries', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='plenary',
            name='organiser',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='organised_plenaries', to='groups.chapter', verbose_name='organising chapter'),
        ),
        migrations.AddField(
            model_name='registration',
            name='chapter',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='groups.chapter', verbose_name='chapter'),
        ),
        migrations.RunPython(organisers_and_chapters, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='plenary',
            constraint=models.CheckConstraint(condition=models.Q(('scope', 'regional'), models.Q(('organiser', models.F('chapter')), ('organiser__isnull', False)), _connector='OR'), name='plenary_departmental_organised_by_its_chapter'),
        ),
    ]
