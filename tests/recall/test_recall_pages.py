"""The recall pages: the petitions a member may sign, a petition's count against its threshold, signing
and taking a signature back, opening a petition, the secret recall ballot, the result with its
countback, and the links from home and from a delegate's record. Every denial too: anonymous visitors
sign in first, outsiders of the organisation get a 404, members outside the electorate are refused
with a clear reason, and nobody, the recalled delegate included, ever sees who signed."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commune.accounts.models import User
from commune.accounts.services import user_create
from commune.notifications.models import Notification
from commune.recall.models import RecallPetition, RecallStatus, ReplacementOutcome
from commune.recall.services import recall_ballot_cast, recall_petition_open, recall_petition_sign
from tests.conftest import PASSWORD
from tests.described import unlinked_errors
from tests.recall.conftest import Recall

pytestmark = pytest.mark.django_db

SLUG = "rc"


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def as_member(recall: Recall, key: str) -> Client:
    return client_of(recall.member(key).person)


def text(response: Any) -> str:
    """The page's visible words, tags stripped and spaces collapsed."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"recall:{name}", kwargs={"slug": SLUG, **kwargs})


def petition_against(recall: Recall, holder: str = "m1", *signers: str, opener: str = "m7") -> RecallPetition:
    petition = recall_petition_open(
        seat=recall.seats[holder], member=recall.member(opener), grounds="Absent."
    )
    for key in signers:
        petition = recall_petition_sign(petition=petition, member=recall.member(key))
    return petition


def every_page(recall: Recall, petition: RecallPetition) -> list[str]:
    holder = recall.member("m1").number
    return [
        url("list"),
        url("open"),
        url("detail", petition_id=petition.pk),
        url("ballot", petition_id=petition.pk),
        url("result", petition_id=petition.pk),
        url("of_holder", number=holder),
    ]


# --- who may see the pages ----------------------------------------------------------------------------


def test_every_recall_page_sends_an_anonymous_visitor_to_sign_in(recall: Recall) -> None:
    """Anonymous visitors are sent to the sign-in page from every recall page and every form."""
    petition = petition_against(recall)
    posts = [url("sign", petition_id=petition.pk), url("withdraw", petition_id=petition.pk)]
    for page in [*every_page(recall, petition), *posts]:
        response = Client().get(page) if page not in posts else Client().post(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("accounts:login")), page


def test_a_person_who_is_not_a_member_gets_404_from_every_recall_page(recall: Recall) -> None:
    """Someone without a membership of the organisation learns nothing: 404, as for a missing page."""
    petition = petition_against(recall)
    outsider = client_of(user_create(email="out@example.org", name="Out Sider", password=PASSWORD))
    for page in every_page(recall, petition):
        assert outsider.get(page).status_code == 404, page
    assert outsider.post(url("sign", petition_id=petition.pk)).status_code == 404
    assert RecallPetition.objects.get(pk=petition.pk).signatures == 1


def test_a_petition_of_another_organisation_or_none_at_all_is_404(recall: Recall) -> None:
    """A petition id that does not exist answers 404 to a member, for reading and for signing."""
    member = as_member(recall, "m7")
    assert member.get(url("detail", petition_id=999_999)).status_code == 404
    assert member.post(url("sign", petition_id=999_999)).status_code == 404
    assert member.get(url("of_holder", number="NOBODY")).status_code == 404


# --- the list and the petition ------------------------------------------------------------------------


def test_the_list_shows_my_electorates_petitions_with_count_threshold_deadline_and_status(
    recall: Recall,
) -> None:
    """An elector of D0-U0 sees the petition against its delegate under "Petitions you may sign" with
    its count, threshold, deadline and status; a member of another unit sees it among the others."""
    petition = petition_against(recall, "m1", "m8")
    response = as_member(recall, "m9").get(url("list"))
    assert response.status_code == 200
    page = text(response)
    mine = page.split("Petitions you may sign")[1].split("Every other petition")[0]
    assert "Member 001" in mine
    assert "2 of 3 signatures needed" in mine
    assert f"{petition.deadline:%-d %B %Y}" in mine
    assert petition.get_status_display() in mine
    assert 'max="3" value="2"' in response.content.decode()
    assert "Open a petition" in page

    other = text(as_member(recall, "m13").get(url("list")))
    assert "No petition has been opened against anyone you helped elect" in other
    assert "Member 001" in other.split("Every other petition")[1]
    assert "Open a petition" not in other


def test_the_petition_page_shows_progress_deadline_status_and_what_happens_at_the_threshold(
    recall: Recall,
) -> None:
    """The count against the threshold is a progress bar with the figures in words, so it reads without
    script or styles; the constitution's procedure and replacement are spelled out; signers are
    protected and the page says why."""
    petition = petition_against(recall, "m1")
    response = as_member(recall, "m9").get(url("detail", petition_id=petition.pk))
    assert response.status_code == 200
    body = response.content.decode()
    page = text(response)
    assert '<progress id="progress-' in body and 'max="3" value="1"' in body
    assert "1 of 3 signatures needed (25% of an electorate of 12)" in page
    assert "2 more signatures needed" in page
    assert "When 3 sign, a secret recall ballot of the same electorate opens for a week" in page
    assert "more than half of those voting yes or no" in page
    assert "filled by countback" in page
    assert "Who can see who signed: nobody" in page
    assert "Absent." in page
    assert "You signed" not in page
    assert "Sign the petition" in page


def test_a_member_of_the_electorate_signs_sees_the_count_go_up_and_takes_it_back(recall: Recall) -> None:
    """Signing redirects to the petition with one more signature and "You signed", shown to the signer
    alone; taking it back brings the count down again."""
    petition = petition_against(recall, "m1")
    signer = as_member(recall, "m9")
    response = signer.post(url("sign", petition_id=petition.pk), follow=True)
    assert response.status_code == 200
    page = text(response)
    assert "2 of 3 signatures needed" in page
    assert "You signed this petition. Only you can see this." in page
    assert "Nobody else can see that you did." in page
    assert RecallPetition.objects.get(pk=petition.pk).signatures == 2

    assert "You signed" not in text(as_member(recall, "m10").get(url("detail", petition_id=petition.pk)))

    response = signer.post(url("withdraw", petition_id=petition.pk), follow=True)
    assert "1 of 3 signatures needed" in text(response)
    assert "You signed" not in text(response)
    assert RecallPetition.objects.get(pk=petition.pk).signatures == 1


def test_signing_twice_is_refused_with_the_reason(recall: Recall) -> None:
    """The opener has signed already: signing again answers 409 with the service's reason."""
    petition = petition_against(recall, "m1")
    response = as_member(recall, "m7").post(url("sign", petition_id=petition.pk))
    assert response.status_code == 409
    assert "You have already signed this petition." in text(response)
    assert RecallPetition.objects.get(pk=petition.pk).signatures == 1


def test_a_member_outside_the_electorate_cannot_sign_and_is_told_why(recall: Recall) -> None:
    """m13 belongs to another unit: no sign button, and a forged request is refused with 403 and a clear
    reason; the count does not move."""
    petition = petition_against(recall, "m1")
    outsider = as_member(recall, "m13")
    page = text(outsider.get(url("detail", petition_id=petition.pk)))
    assert "Sign the petition" not in page
    assert "Only the electorate that elected Member 001 may sign, and you are not on it." in page
    response = outsider.post(url("sign", petition_id=petition.pk))
    assert response.status_code == 403
    assert (
        "Only the electorate that elected this holder, as it stood when the petition opened, may sign."
        in text(response)
    )
    assert RecallPetition.objects.get(pk=petition.pk).signatures == 1


def test_the_recalled_delegate_sees_the_count_but_no_names(recall: Recall) -> None:
    """The holder reads the petition against them like any member: the count, never who signed — no
    signer's name or membership number appears on any recall page they can open."""
    petition = petition_against(recall, "m1", "m8", opener="m9")
    holder = as_member(recall, "m1")
    signers = [recall.member(k) for k in ("m8", "m9")]
    pages = [
        url("detail", petition_id=petition.pk),
        url("list"),
        url("of_holder", number=recall.member("m1").number),
    ]
    for page in pages:
        response = holder.get(page)
        assert response.status_code == 200, page
        body = response.content.decode()
        for signer in signers:
            assert signer.person.name not in body and signer.number not in body, page
    detail = text(holder.get(pages[0]))
    assert "2 of 3 signatures needed" in detail
    assert "This is a petition to recall you." in detail


def test_the_petition_page_reads_in_a_constant_number_of_queries(recall: Recall) -> None:
    """However many have signed, the petition page costs the same queries."""
    petition = petition_against(recall, "m1")
    client = as_member(recall, "m10")
    client.get(url("detail", petition_id=petition.pk))

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("detail", petition_id=petition.pk)).status_code == 200
        return len(captured)

    before = count()
    recall_petition_sign(petition=petition, member=recall.member("m11"))
    assert count() == before <= 12


# --- opening a petition -------------------------------------------------------------------------------


def test_a_member_opens_a_petition_against_a_seat_they_helped_elect_and_is_its_first_signer(
    recall: Recall,
) -> None:
    """The form offers the four delegates m7's unit elected; choosing one opens the petition, signed
    once, and the member lands on it seeing "You signed"."""
    member = as_member(recall, "m7")
    page = text(member.get(url("open")))
    for key in ("m1", "m2", "m3", "m4"):
        assert f"{recall.member(key).person.name}, delegate of Unit 0.0 on District 0" in page
    response = member.post(
        url("open"), {"seat": recall.seats["m2"].pk, "grounds": "Never reports back."}, follow=True
    )
    assert response.status_code == 200
    petition = RecallPetition.objects.get(holder=recall.member("m2"))
    assert petition.signatures == 1 and petition.grounds == "Never reports back."
    assert response.redirect_chain[-1][0] == url("detail", petition_id=petition.pk)
    assert "You signed this petition" in text(response)


def test_the_open_form_offers_only_seats_without_a_running_petition_and_sends_to_it(recall: Recall) -> None:
    """With a petition running against m1, the form leaves m1 out and links to that petition; a forged
    request for m1's seat is refused as an invalid choice, opening nothing."""
    running = petition_against(recall, "m1")
    member = as_member(recall, "m8")
    response = member.get(f"{url('open')}?holder={recall.member('m1').number}")
    page = text(response)
    assert "is already running" in page and "sign that one" in page
    assert url("detail", petition_id=running.pk) in response.content.decode()
    forged = member.post(url("open"), {"seat": recall.seats["m1"].pk})
    assert forged.status_code == 400
    assert RecallPetition.objects.count() == 1


def test_a_member_outside_every_electorate_has_nobody_to_petition_against(recall: Recall) -> None:
    """m13 elected none of D0-U0's delegates: the form offers nothing, says why, and a forged request
    opens nothing."""
    member = as_member(recall, "m13")
    page = text(member.get(url("open")))
    assert "there is nobody you can petition against" in page
    assert member.post(url("open"), {"seat": recall.seats["m1"].pk}).status_code == 400
    holder = text(member.get(url("of_holder", number=recall.member("m1").number)))
    assert "you cannot petition to recall them: only that electorate can" in holder
    assert not RecallPetition.objects.exists()


# --- the ballot and the result ------------------------------------------------------------------------


def test_the_recall_ballot_is_secret_one_vote_each_and_refuses_outsiders(recall: Recall) -> None:
    """At the threshold the ballot opens; an elector votes once and sees only that they voted; an
    outsider is refused with 403 and a reason; counting early is refused."""
    petition = petition_against(recall, "m1", "m8", "m9")
    assert RecallPetition.objects.get(pk=petition.pk).status == RecallStatus.BALLOTING
    voter = as_member(recall, "m10")
    page = text(voter.get(url("ballot", petition_id=petition.pk)))
    assert "Recall Member 001 from their seat on District 0 for Unit 0.0?" in page
    assert "more than half of those voting yes or no" in page
    response = voter.post(url("ballot", petition_id=petition.pk), {"choice": "yes"}, follow=True)
    page = text(response)
    assert "You have voted in this ballot. Nobody can see how." in page
    assert "Cast my vote" not in page
    again = voter.post(url("ballot", petition_id=petition.pk), {"choice": "no"})
    assert again.status_code == 409
    outsider = as_member(recall, "m13").post(url("ballot", petition_id=petition.pk), {"choice": "yes"})
    assert outsider.status_code == 403
    assert (
        "Only the electorate that elected this holder, as it stood when the petition opened, may vote on recalling them."
        in text(outsider)
    )
    early = voter.post(url("count", petition_id=petition.pk), follow=True)
    assert "The ballot was not counted: The recall ballot is still open" in text(early)
    assert RecallPetition.objects.get(pk=petition.pk).status == RecallStatus.BALLOTING
    assert "vote" in text(voter.get(url("detail", petition_id=petition.pk))).lower()


def test_a_carried_ballot_shows_its_figures_and_the_countback_that_filled_the_seat(recall: Recall) -> None:
    """Everyone votes; the count may then be asked for; the result page shows yes, no and abstain with
    the majority needed, and the countback's recount stage by stage with who fills the seat."""
    petition = petition_against(recall, "m1", "m8", "m9")
    for n in range(1, 13):
        choice = "no" if n in (1, 2, 3) else "abstain" if n == 4 else "yes"
        recall_ballot_cast(petition=petition, member=recall.member(f"m{n}"), choice=choice)
    response = as_member(recall, "m7").post(url("count", petition_id=petition.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("result", petition_id=petition.pk)
    petition.refresh_from_db()
    assert petition.status == RecallStatus.RECALLED
    assert petition.replacement_outcome == ReplacementOutcome.COUNTBACK
    assert petition.replaced_by is not None
    page = text(response)
    assert "Yes (recall) No (keep) Abstain Electorate 8 3 1 12" in page
    assert "Carried: Member 001 is recalled." in page
    assert f"{petition.replaced_by.person.name} fills the seat for the rest of the term, by countback" in page
    assert "The countback, stage by stage" in page
    assert "Stage 1" in page
    body = response.content.decode()
    assert 'class="stages"' in body
    assert reverse("elections:result", kwargs={"slug": SLUG, "election_id": recall.election.pk}) in body


def test_an_immediate_recall_shows_no_ballot_and_the_countback(recall: Recall) -> None:
    """Under an immediate procedure the result says there was no ballot, and shows the countback."""
    recall.rules(procedure="immediate")
    petition = petition_against(recall, "m1", "m8", "m9")
    petition.refresh_from_db()
    page = text(as_member(recall, "m10").get(url("result", petition_id=petition.pk)))
    assert "removed at once" in page and "there was no recall ballot" in page
    assert petition.replaced_by is not None
    assert f"{petition.replaced_by.person.name} fills the seat" in page
    assert "The countback, stage by stage" in page
    ballot = text(as_member(recall, "m10").get(url("ballot", petition_id=petition.pk)))
    assert "This petition has no recall ballot" in ballot


def test_the_result_of_an_undecided_recall_says_so(recall: Recall) -> None:
    """Before the threshold the result page says the recall is not decided and when the window ends."""
    petition = petition_against(recall, "m1")
    page = text(as_member(recall, "m10").get(url("result", petition_id=petition.pk)))
    assert "This recall is not decided yet" in page
    assert "The countback" not in page


# --- links from elsewhere -----------------------------------------------------------------------------


def test_home_marks_recall_beside_each_delegate_i_may_recall(recall: Recall) -> None:
    """An elector of D0-U0 finds "recall" beside the delegates their unit elected; a member of another
    unit, who did not elect them, does not."""
    link = url("of_holder", number=recall.member("m1").number)
    home = as_member(recall, "m7").get("/").content.decode()
    assert f'href="{link}"' in home
    assert f'recall<span class="visually-hidden"> {recall.member("m1").person.name}</span>' in home
    other = as_member(recall, "m13").get("/").content.decode()
    assert f'href="{link}"' not in other
    assert f'href="{url("list")}"' in other


def test_the_delegate_record_links_to_the_petitions_against_them(recall: Recall) -> None:
    """The delegate's compliance record links to the petitions to recall them, or opening one."""
    number = recall.member("m1").number
    page = as_member(recall, "m7").get(reverse("mandates:delegate", kwargs={"slug": SLUG, "number": number}))
    assert f'href="{url("of_holder", number=number)}"' in page.content.decode()


def test_the_holders_page_lists_their_petitions_and_offers_to_sign_the_running_one(recall: Recall) -> None:
    """The page of recalls against m1 lists the running petition and sends an elector to sign it."""
    petition = petition_against(recall, "m1")
    response = as_member(recall, "m8").get(url("of_holder", number=recall.member("m1").number))
    page = text(response)
    assert "Petitions to recall Member 001" in page
    assert "1 of 3 signatures needed" in page
    assert "a petition is running — sign it or see its count" in page
    assert url("detail", petition_id=petition.pk) in response.content.decode()


def test_recall_notifications_link_to_the_petition_page(recall: Recall) -> None:
    """The electorate's notice that the threshold was reached links to the petition's page."""
    petition = petition_against(recall, "m1", "m8", "m9")
    notice = Notification.objects.filter(
        person=recall.member("m10").person, kind="recall.threshold_reached"
    ).get()
    assert notice.link == url("detail", petition_id=petition.pk)
    response = as_member(recall, "m10").get(reverse("notifications:list"))
    assert f'href="{notice.link}"' in response.content.decode()


def test_the_open_form_links_a_missing_seat_to_its_choices(recall: Recall) -> None:
    """Opening a petition without choosing a seat: the seat's choices are described by the refusal."""
    page = as_member(recall, "m7").post(url("open"), {"grounds": "Never reports back."}).content.decode()
    assert unlinked_errors(page) == []
    assert re.search(r'<fieldset aria-describedby="id_seat_error">', page)
    assert re.search(r'<div class="error" role="alert" id="id_seat_error">', page)
