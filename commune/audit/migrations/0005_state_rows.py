"""An index of the rows each entry records, and a baseline: every row that confers power, as it stood when
the log began to hold them, in one entry per organisation and model (see commune.audit.baseline)."""

import django.db.models.deletion
from django.db import migrations, models

from commune.audit.baseline import baseline_record


def baseline(apps, schema_editor):  # type: ignore[no-untyped-def]
    baseline_record(apps, schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_chain_verifications'),
        ('federation', '0004_organisation_currency'),
        ('elections', '0001_initial'),
        ('mandates', '0004_recall_to_its_own_app'),
        ('recall', '0003_petition_electorate_fixed'),
        ('ballots', '0002_yes_no_box'),
        ('governance', '0005_tendencies_belong_to_their_members'),
        ('motions', '0004_session_notice'),
    ]

    operations = [
        migrations.CreateModel(
            name='StateRow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('model', models.CharField(help_text="The row's model, as app_label.model.", max_length=60)),
                ('row_pk', models.BigIntegerField()),
                ('entry', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='state_rows', to='audit.logentry')),
            ],
            options={
                'indexes': [models.Index(fields=['model', 'row_pk', 'entry'], name='audit_state_row_latest')],
            },
        ),
        migrations.RunPython(baseline, migrations.RunPython.noop),
    ]
