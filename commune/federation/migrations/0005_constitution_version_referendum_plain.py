"""A constitution version names the referendum that carried it by a plain id instead of a foreign key to
``motions.Referral``, so that the federation, below the motions, knows nothing of them.

The id is carried across for every version (and back), the column keeps its name, and the guarantees stay
in the database: every version after the first names a referendum, and no referendum carries two
versions. That the id names a carried referendum of the whole membership is checked when the version is
adopted (``constitution_adopt``, through the check the motions app installs) and proved by the log entry
that adopted it.
"""

from django.db import migrations, models
from django.db.models import F, Q

HELP = (
    "The membership referendum that carried this version (every version after the first): the id of the "
    "motions' referral, checked when the version was adopted and recorded in its log entry. A plain "
    "reference, so that the federation knows nothing of motions."
)


def carry_forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("federation", "ConstitutionVersion").objects.update(carried_by=F("referendum_id"))


def carry_back(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("federation", "ConstitutionVersion").objects.update(referendum_id=F("carried_by"))


class Migration(migrations.Migration):
    dependencies = [
        ("federation", "0004_organisation_currency"),
    ]

    operations = [
        migrations.AddField(
            model_name="constitutionversion",
            name="carried_by",
            field=models.PositiveBigIntegerField(null=True, blank=True),
        ),
        migrations.RemoveConstraint(
            model_name="constitutionversion", name="constitution_amended_only_by_referendum"
        ),
        migrations.RunPython(carry_forward, carry_back),
        migrations.RemoveField(model_name="constitutionversion", name="referendum"),
        migrations.RenameField(
            model_name="constitutionversion", old_name="carried_by", new_name="referendum_id"
        ),
        migrations.AlterField(
            model_name="constitutionversion",
            name="referendum_id",
            field=models.PositiveBigIntegerField(blank=True, help_text=HELP, null=True, unique=True),
        ),
        migrations.AddConstraint(
            model_name="constitutionversion",
            constraint=models.CheckConstraint(
                condition=Q(number=1) | Q(referendum_id__isnull=False),
                name="constitution_amended_only_by_referendum",
            ),
        ),
    ]
