"""Erasing a person's name from the provenance log, leaving the chain verifiable.

An entry written under ``SCHEME_COMMITTED`` is hashed over a salted commitment to its text (who acted, the
summary), not over the text itself (``commune.audit.chain``). Erasure replaces each such text that names the
person by a redacted one under a fresh salt and deletes the old salt, then appends a signed
``person.erased`` entry listing every entry redacted with the commitment to its new text. Verification
then holds each redacted text to that listed commitment (``commune.audit.verification``): the redaction is
on the record, and no one can use it as cover to rewrite an entry.

Entries written before (``SCHEME_PLAIN``) hash their text as it stands: changing it would break the chain,
so they are counted and left as they are. Payloads are not touched either: the rows of power in them are
rebuilt and compared with the tables, and name members by number (a candidate's name as it stood on the
ballot is the one exception; it stays, as part of the election's public record).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from commune.accounts.models import User
from commune.accounts.services import NAME_ERASED, account_erase
from commune.audit.chain import SCHEME_COMMITTED, SCHEME_PLAIN, text_commitment, text_salt_new
from commune.audit.errors import AuditError
from commune.audit.models import ChainHead, LogEntry
from commune.audit.services import Actor, log_entry_record
from commune.audit.verification import ERASURE_ACTION
from commune.federation.models import Member, Organisation

#: Who the erasure entry says acted: the site's operator, whose duty the request is.
OPERATOR = Actor(None, "The site's operator (an erasure request)")


@dataclass
class OrganisationErased:
    slug: str
    #: The positions of the entries whose text was redacted.
    redacted: list[int] = field(default_factory=list)
    #: The ``person.erased`` entry that lists them (None when nothing was redacted).
    erasure_seq: int | None = None
    #: Entries written before erasure was possible that still name the person (their text is hashed).
    kept_plain: list[int] = field(default_factory=list)
    #: Entries whose payload still holds the name (a candidate's ballot label, in the election's record).
    kept_in_payload: int = 0


@dataclass
class PersonErased:
    person_id: int
    organisations: list[OrganisationErased]

    @property
    def redacted(self) -> int:
        return sum(len(o.redacted) for o in self.organisations)


def person_find(*, who: str, organisation: Organisation | None = None) -> User:
    """The person an erasure request is about: by email address, or by membership number in
    ``organisation``. The same error for anything not found."""
    who = who.strip()
    if "@" in who:
        user = User.objects.filter(email__iexact=who).first()
    elif organisation is not None:
        member = Member.objects.filter(organisation=organisation, number=who).select_related("person").first()
        user = member.person if member is not None else None
    else:
        raise AuditError("a membership number belongs to one organisation: name it (--org SLUG)")
    if user is None:
        raise AuditError(f"no person {who!r} is known here")
    return user


def _name_pattern(name: str) -> re.Pattern[str] | None:
    name = name.strip()
    if not name or name == NAME_ERASED:
        return None
    return re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)


def _label_redacted(label: str, pattern: re.Pattern[str] | None, *, acted: bool) -> str:
    """Who acted, without the person's name. When they acted and their name then was another (they changed
    it since), the whole name is replaced, keeping the role in brackets after it (their number)."""
    redacted = pattern.sub(NAME_ERASED, label) if pattern else label
    if acted and redacted == label:
        role = re.search(r" \([^()]*\)$", label)
        redacted = NAME_ERASED + (role.group(0) if role else "")
    return redacted


def person_erase(*, person: User) -> PersonErased:
    """Erase ``person`` from the text of every erasable entry of every organisation's log that names them (as
    who acted, or in the summary), record each organisation's erasure in a signed ``person.erased`` entry
    that does not name them, and erase their account (``account_erase``). Their membership stays, with its
    number: the votes they cast stay counted and the rows of power stay rebuildable from the log.

    One transaction; each chain's head is locked while its entries are redacted, so an erasure and an
    append cannot interleave."""
    pattern = _name_pattern(person.name)
    name = person.name.strip()
    in_text = Q(actor_id=person.pk)
    if pattern is not None:
        in_text |= Q(actor_label__icontains=name) | Q(summary__icontains=name)
    organisation_ids = set(Member.objects.filter(person=person).values_list("organisation_id", flat=True))
    organisation_ids |= set(
        LogEntry.objects.filter(in_text).values_list("organisation_id", flat=True).distinct()
    )
    done: list[OrganisationErased] = []
    with transaction.atomic():
        for organisation in Organisation.objects.filter(pk__in=organisation_ids).order_by("slug"):
            done.append(_organisation_erase(organisation, person, pattern, in_text))
        account_erase(user=person)
    return PersonErased(person.pk, done)


def _organisation_erase(
    organisation: Organisation, person: User, pattern: re.Pattern[str] | None, in_text: Q
) -> OrganisationErased:
    report = OrganisationErased(organisation.slug)
    list(ChainHead.objects.select_for_update().filter(organisation=organisation))
    listed: list[dict[str, object]] = []
    entries = LogEntry.objects.filter(in_text, organisation=organisation).order_by("seq")
    for entry in entries.only("pk", "seq", "scheme", "actor_id", "actor_label", "summary").iterator(2000):
        acted = entry.actor_id == person.pk
        label = _label_redacted(entry.actor_label, pattern, acted=acted)
        summary = pattern.sub(NAME_ERASED, entry.summary) if pattern else entry.summary
        if (label, summary) == (entry.actor_label, entry.summary):
            continue
        if entry.scheme == SCHEME_PLAIN:
            report.kept_plain.append(entry.seq)
            continue
        if entry.scheme != SCHEME_COMMITTED:
            continue
        salt = text_salt_new()
        LogEntry.objects.filter(pk=entry.pk).update(actor_label=label, summary=summary, text_salt=salt)
        listed.append({"seq": entry.seq, "text": text_commitment(salt, label, summary)})
        report.redacted.append(entry.seq)
    if pattern is not None:
        report.kept_in_payload = LogEntry.objects.filter(
            organisation=organisation, payload__icontains=person.name.strip()
        ).count()
    if listed:
        erasure = log_entry_record(
            organisation=organisation,
            action=ERASURE_ACTION,
            summary=(
                f"A person's name erased, at their request, from {len(listed)} "
                f"entr{'y' if len(listed) == 1 else 'ies'} of the log: "
                + ", ".join(f"#{item['seq']}" for item in listed)
            )[:500],
            actor=OPERATOR,
            payload={"redacted": listed},
        )
        report.erasure_seq = erasure.seq
    return report
