"""Recall leaves the mandates app for its own. Its tables keep their names (``Meta.db_table``), so this
changes Django's record of which app owns them and nothing in the database: no table is copied or
renamed, and the data stays where it is on SQLite and PostgreSQL alike. The content types follow, so the
admin's history and permissions stay attached."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("recallpetition", "recallsignature", "recallballot", "recallballotregister", "recallballotpaper")


def content_types_move(apps, schema_editor, source="mandates", target="recall"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label=source, model__in=MODELS
    ).update(app_label=target)


def content_types_back(apps, schema_editor):
    content_types_move(apps, schema_editor, source="recall", target="mandates")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("elections", "0001_initial"),
        ("federation", "0004_organisation_currency"),
        ("mandates", "0003_recall"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='RecallBallot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('question', models.CharField(max_length=300)),
                        ('rule', models.JSONField(help_text='The majority it must reach, fixed when it opened.')),
                        ('opened_at', models.DateTimeField()),
                        ('closes_at', models.DateTimeField()),
                        ('closed_at', models.DateTimeField(blank=True, null=True)),
                        ('electorate', models.PositiveIntegerField()),
                        ('yes', models.PositiveIntegerField(default=0)),
                        ('no', models.PositiveIntegerField(default=0)),
                        ('abstain', models.PositiveIntegerField(default=0)),
                        ('carried', models.BooleanField(blank=True, null=True)),
                        ('explanation', models.TextField(blank=True)),
                    ],
                    options={
                        'db_table': 'mandates_recallballot',
                        'ordering': ['-opened_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='RecallBallotPaper',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('choice', models.CharField(choices=[('yes', 'Yes'), ('no', 'No'), ('abstain', 'Abstain')], max_length=8)),
                        ('ballot', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='recall.recallballot')),
                    ],
                    options={
                        'db_table': 'mandates_recallballotpaper',
                    },
                ),
                migrations.CreateModel(
                    name='RecallPetition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('grounds', models.TextField(blank=True)),
                        ('opened_at', models.DateTimeField()),
                        ('deadline', models.DateTimeField(help_text='The threshold must be reached before this moment.')),
                        ('constitution_version', models.PositiveIntegerField()),
                        ('threshold_percent', models.DecimalField(decimal_places=2, max_digits=5)),
                        ('procedure', models.CharField(choices=[('immediate', 'Removal at the threshold'), ('recall-ballot', 'A recall ballot at the threshold')], max_length=16)),
                        ('ballot_majority', models.CharField(help_text='A fraction such as 1/2 or 2/3.', max_length=12)),
                        ('replacement', models.CharField(choices=[('countback', 'Countback of the original ballots'), ('by-election', 'By-election')], max_length=12)),
                        ('electorate_size', models.PositiveIntegerField(help_text='Electors of the conferring election still members within its body at opening.')),
                        ('signatures_required', models.PositiveIntegerField()),
                        ('signatures', models.PositiveIntegerField(default=0)),
                        ('status', models.CharField(choices=[('gathering', 'Gathering signatures'), ('balloting', 'Threshold reached; recall ballot open'), ('recalled', 'Recalled'), ('retained', 'Threshold reached; the recall ballot kept the holder'), ('lapsed', 'Lapsed: the threshold was not reached in time'), ('vacated', 'The seat ended before the recall was decided')], default='gathering', max_length=12)),
                        ('threshold_reached_at', models.DateTimeField(blank=True, null=True)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('replacement_outcome', models.CharField(blank=True, choices=[('', 'Not yet'), ('countback', 'Filled by countback'), ('by-election', 'By-election called'), ('by-election-seated', 'Filled by by-election'), ('vacant', 'Left vacant (no replacement possible)')], default='', max_length=20)),
                        ('countback', models.JSONField(blank=True, help_text="The countback's recount, stage by stage (commune.tally.render).", null=True)),
                        ('replacement_note', models.TextField(blank=True, help_text='Why the seat was filled as it was.')),
                        ('body', models.ForeignKey(help_text='The body that held the election.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='federation.body')),
                        ('by_election', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='fills_recall', to='elections.election')),
                        ('holder', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='recall_petitions_against', to='federation.member')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='federation.organisation')),
                        ('replaced_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='federation.member')),
                        ('replacement_seat', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='fills_recall', to='elections.electedseat')),
                        ('seat', models.ForeignKey(help_text='The seat or office term to recall, with the election whose electorate may recall it.', on_delete=django.db.models.deletion.PROTECT, related_name='recall_petitions', to='elections.electedseat')),
                    ],
                    options={
                        'db_table': 'mandates_recallpetition',
                        'ordering': ['-opened_at', '-id'],
                    },
                ),
                migrations.AddField(
                    model_name='recallballot',
                    name='petition',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='ballot', to='recall.recallpetition'),
                ),
                migrations.CreateModel(
                    name='RecallSignature',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('signer_key', models.CharField(max_length=64)),
                        ('petition', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='recall.recallpetition')),
                    ],
                    options={
                        'db_table': 'mandates_recallsignature',
                    },
                ),
                migrations.CreateModel(
                    name='RecallBallotRegister',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('ballot', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='register', to='recall.recallballot')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='federation.member')),
                    ],
                    options={
                        'db_table': 'mandates_recallballotregister',
                        'constraints': [models.UniqueConstraint(fields=('ballot', 'member'), name='one_recall_vote_per_member')],
                    },
                ),
                migrations.AddIndex(
                    model_name='recallpetition',
                    index=models.Index(fields=['status', 'deadline'], name='recall_status_due'),
                ),
                migrations.AddConstraint(
                    model_name='recallpetition',
                    constraint=models.UniqueConstraint(condition=models.Q(('status__in', ('gathering', 'balloting'))), fields=('seat',), name='one_live_recall_per_seat'),
                ),
                migrations.AddConstraint(
                    model_name='recallpetition',
                    constraint=models.CheckConstraint(condition=models.Q(('signatures__lte', models.F('electorate_size'))), name='recall_signatures_within_electorate'),
                ),
                migrations.AddConstraint(
                    model_name='recallpetition',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['gathering', 'lapsed']), ('threshold_reached_at__isnull', True)), models.Q(('signatures__gte', models.F('signatures_required')), ('status__in', ['balloting', 'recalled', 'retained']), ('threshold_reached_at__isnull', False)), ('status', 'vacated'), _connector='OR'), name='recall_threshold_reached_when_past_gathering'),
                ),
                migrations.AddConstraint(
                    model_name='recallpetition',
                    constraint=models.CheckConstraint(condition=models.Q(('deadline__gt', models.F('opened_at'))), name='recall_deadline_after_opening'),
                ),
                migrations.AddIndex(
                    model_name='recallballot',
                    index=models.Index(fields=['closed_at', 'closes_at'], name='recall_ballot_due'),
                ),
                migrations.AddConstraint(
                    model_name='recallballot',
                    constraint=models.CheckConstraint(condition=models.Q(('closes_at__gt', models.F('opened_at'))), name='recall_ballot_closes_after_opening'),
                ),
                migrations.AddConstraint(
                    model_name='recallballot',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('carried__isnull', True), ('closed_at__isnull', True)), models.Q(('carried__isnull', False), ('closed_at__isnull', False)), _connector='OR'), name='recall_ballot_result_once_closed'),
                ),
                migrations.AddConstraint(
                    model_name='recallsignature',
                    constraint=models.UniqueConstraint(fields=('petition', 'signer_key'), name='one_signature_per_person'),
                ),
    
            ],
        ),
        migrations.RunPython(content_types_move, content_types_back),
    ]
