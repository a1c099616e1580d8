"""The baseline written when rows that confer power were first held to the log.

A database that existed before then holds rows no entry wrote. The migration that started holding them
(``audit/0005_state_rows``) writes, for each organisation and each watched model, one ``state.baseline``
entry with every such row as it stood at that moment: from then on the rows must match the log. What was
changed before the baseline cannot be told from the log; what is changed after it can.

It works on the migration's historical models, so it reads the tables as they were at that point.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from commune.audit.chain import GENESIS_HASH, entry_content, entry_hash
from commune.audit.signing import entry_sign
from commune.audit.state import STATE_KEY, row_state, watched_models

_BATCH = 2000


def baseline_record(apps: Any, using: str, labels: set[str] | None = None) -> None:
    """Write the baseline of every watched model, or of those named in ``labels`` (a later migration that
    starts holding an app's rows to the log baselines its own models). A model the migration's state does
    not know yet is left to the migration that creates it."""
    Organisation = apps.get_model("federation", "Organisation")
    LogEntry = apps.get_model("audit", "LogEntry")
    ChainHead = apps.get_model("audit", "ChainHead")
    StateRow = apps.get_model("audit", "StateRow")
    for organisation_id in Organisation.objects.using(using).order_by("pk").values_list("pk", flat=True):
        for spec in watched_models():
            if labels is not None and spec.label not in labels:
                continue
            app_label, model_name = spec.label.split(".")
            try:
                model = apps.get_model(app_label, model_name)
            except LookupError:
                continue
            known = {f.attname for f in model._meta.concrete_fields}
            fields = [f for f in spec.fields if f in known]
            rows = [
                row_state(spec.label, values.pop("pk"), values)
                for values in model.objects.using(using)
                .filter(**{spec.organisation_lookup: organisation_id})
                .order_by("pk")
                .values("pk", *fields)
                .iterator(_BATCH)
            ]
            if not rows:
                continue
            head, _ = ChainHead.objects.using(using).get_or_create(
                organisation_id=organisation_id, defaults={"seq": 0, "head_hash": GENESIS_HASH}
            )
            seq = head.seq + 1
            recorded_at = datetime.now(UTC)
            summary = (
                f"Baseline: the {len(rows)} {model._meta.verbose_name_plural} as they stood when the log began "
                "to hold them"
            )
            content = entry_content(
                organisation_id=organisation_id,
                seq=seq,
                recorded_at=recorded_at,
                action="state.baseline",
                body_id=None,
                actor_id=None,
                actor_label="Commune (automatic)",
                summary=summary[:500],
                payload={STATE_KEY: rows},
            )
            digest = entry_hash(head.head_hash, content)
            signed_by, signature = entry_sign(organisation_id=organisation_id, seq=seq, entry_hash=digest)
            entry = LogEntry.objects.using(using).create(
                organisation_id=organisation_id,
                seq=seq,
                recorded_at=recorded_at,
                action="state.baseline",
                body_id=None,
                actor_id=None,
                actor_label="Commune (automatic)",
                summary=summary[:500],
                payload=content["payload"],
                prev_hash=head.head_hash,
                entry_hash=digest,
                signed_by=signed_by,
                signature=signature,
            )
            StateRow.objects.using(using).bulk_create(
                [StateRow(entry_id=entry.pk, model=r["model"], row_pk=r["pk"]) for r in rows],
                batch_size=_BATCH,
            )
            head.seq, head.head_hash = seq, digest
            head.save(update_fields=["seq", "head_hash"])
