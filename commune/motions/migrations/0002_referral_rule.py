"""A referral stores the rule its aggregate is decided by, fixed when it opens.

Until now the aggregate of a referral to the assemblies was decided at close by the ordinary majority of
the constitution in force then, even on a constitutional motion. Existing referrals are filled with the
rule that applies to each, so every stored result stays true to how it was decided:

* a referendum: its ballot's rule, stored when the ballot opened (which alone decided it);
* a referral to the assemblies still open: the rule every unit votes under, stored when the units' votes
  opened (the constitutional majority on a constitutional motion);
* a referral to the assemblies already decided: the rule that decided it, the ordinary majority of the
  constitution in force when it closed.

The rule is rebuilt here from the constitution's stored figures as the code did at the time, not by
importing today's code, so the migration keeps its meaning whatever the code becomes.
"""

from fractions import Fraction

from django.db import migrations, models

#: The constitution's defaults for the figures read here (``commune.federation.constitution``).
_DEFAULT_DECISIONS = {"quorum_percent": "10", "quorum_of": "electorate", "ordinary_majority": "1/2"}


def _ordinary_rule(decisions):
    decisions = {**_DEFAULT_DECISIONS, **(decisions or {})}
    majority = Fraction(str(decisions["ordinary_majority"]))
    quorum = Fraction(str(decisions["quorum_percent"])) / 100
    return {
        "name": "ordinary majority",
        "majority": str(majority),
        "majority_strict": majority == Fraction(1, 2),
        "abstentions_count": False,
        "quorum": str(quorum) if quorum else None,
        "quorum_of": decisions["quorum_of"],
        "turnout": None,
        "support": None,
    }


def _rules_in_force(ConstitutionVersion, organisation_id, moment):
    versions = ConstitutionVersion.objects.filter(organisation_id=organisation_id)
    version = versions.filter(adopted_at__lte=moment).order_by("-number").first()
    version = version or versions.order_by("number").first()
    return version.rules if version is not None else {}


def referral_rules_fill(apps, schema_editor):
    Referral = apps.get_model("motions", "Referral")
    Vote = apps.get_model("motions", "Vote")
    ConstitutionVersion = apps.get_model("federation", "ConstitutionVersion")
    for referral in Referral.objects.select_related("council").order_by("pk").iterator():
        first_vote = Vote.objects.filter(referral_id=referral.pk).order_by("pk").first()
        if first_vote is not None and (referral.kind == "referendum" or referral.closed_at is None):
            rule = first_vote.rule
        else:
            rules = _rules_in_force(
                ConstitutionVersion, referral.council.organisation_id, referral.closed_at or referral.opened_at
            )
            rule = _ordinary_rule(rules.get("decisions"))
        Referral.objects.filter(pk=referral.pk).update(rule=rule)


class Migration(migrations.Migration):
    dependencies = [
        ("federation", "0002_constitution_amended_by_referendum"),
        ("motions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="rule",
            field=models.JSONField(null=True),
        ),
        migrations.RunPython(referral_rules_fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="referral",
            name="rule",
            field=models.JSONField(
                help_text="The thresholds the membership's aggregate must meet, fixed when the referral opened."
            ),
        ),
    ]
