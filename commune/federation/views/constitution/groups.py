"""The groups of rules in the order the page shows them, each with its heading and the wording of its
rules (``wordings``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from commune.federation.constitution_words import (
    fraction_words,
    method_words,
    number_words,
)
from commune.federation.views.constitution.wordings import (
    StrOrLazy,
    Wording,
    _caretaker,
    _delegable_powers,
    _dues_lapse,
    _dues_rate,
    _dues_standing,
    _electorate,
    _federation_wide,
    _industrial_action,
    _n,
    _pledge_counts,
    _quorum,
    _recall_petition,
    _recall_procedure,
    _replacement,
    _seconders,
    _sessions,
    _turnout,
    _wage_bands_body,
    _yes_no,
)

# Each group: its heading, then (the keys a sentence covers, the sentence).
GROUPS: list[tuple[str, StrOrLazy, list[tuple[tuple[str, ...], Wording]]]] = [
    (
        "elections",
        gettext_lazy("Elections"),
        [
            (
                ("delegate_method",),
                lambda g: (
                    _("Delegates are elected by %(method)s.") % {"method": method_words(g["delegate_method"])}
                ),
            ),
            (
                ("single_seat_method",),
                lambda g: (
                    _("Single-seat elections use %(method)s.")
                    % {"method": method_words(g["single_seat_method"])}
                ),
            ),
            (
                ("officer_method",),
                lambda g: (
                    _("Officers are elected by %(method)s.") % {"method": method_words(g["officer_method"])}
                ),
            ),
            (("seconders_required",), _seconders),
            (
                ("allow_revote",),
                _yes_no(
                    "allow_revote",
                    gettext_lazy(
                        "Members may change their vote until the ballot closes; the last vote counts."
                    ),
                    gettext_lazy("A vote, once cast, is final."),
                ),
            ),
            (("electorate",), _electorate),
            (
                ("weighted_council_votes",),
                _yes_no(
                    "weighted_council_votes",
                    gettext_lazy(
                        "In councils, each delegate's vote is weighted by the members they represent."
                    ),
                    gettext_lazy("In councils, each delegate has one vote."),
                ),
            ),
        ],
    ),
    (
        "decisions",
        gettext_lazy("Decisions"),
        [
            (("quorum_percent", "quorum_of"), _quorum),
            (
                ("ordinary_majority",),
                lambda g: (
                    _("Ordinary decisions need a majority of %(fraction)s of the votes cast.")
                    % {"fraction": fraction_words(g["ordinary_majority"])}
                ),
            ),
            (
                ("constitutional_majority",),
                lambda g: (
                    _(
                        "Changes to the constitution need a majority of %(fraction)s of the votes cast, in a vote of "
                        "the membership."
                    )
                    % {"fraction": fraction_words(g["constitutional_majority"])}
                ),
            ),
            (
                ("motion_supporters",),
                lambda g: (
                    ngettext(
                        "A motion reaches the agenda once %(n)s member besides its mover support it.",
                        "A motion reaches the agenda once %(n)s members besides its mover support it.",
                        _n(g.get("motion_supporters", 1)),
                    )
                    % {"n": g.get("motion_supporters", 1)}
                ),
            ),
            (("referendum_turnout_percent",), _turnout),
            (("industrial_action_preset",), _industrial_action),
        ],
    ),
    (
        "recall",
        gettext_lazy("Recall"),
        [
            (("petition_threshold_percent", "petition_window_days"), _recall_petition),
            (("procedure", "recall_ballot_majority"), _recall_procedure),
            (("replacement",), _replacement),
        ],
    ),
    (
        "offices",
        gettext_lazy("Offices"),
        [
            (
                ("term_months",),
                lambda g: (
                    ngettext(
                        "A term of office lasts %(n)s month.",
                        "A term of office lasts %(n)s months.",
                        _n(g["term_months"]),
                    )
                    % {"n": g["term_months"]}
                ),
            ),
            (("caretaker_days",), _caretaker),
            (
                ("max_consecutive_terms",),
                lambda g: (
                    ngettext(
                        "No one may hold the same office for more than %(n)s consecutive term.",
                        "No one may hold the same office for more than %(n)s consecutive terms.",
                        _n(g["max_consecutive_terms"]),
                    )
                    % {"n": g["max_consecutive_terms"]}
                ),
            ),
            (
                ("pay_cap_multiple",),
                lambda g: (
                    _("An officer's pay is capped at %(n)s times the members' median wage.")
                    % {"n": number_words(g["pay_cap_multiple"])}
                ),
            ),
            (("wage_bands_body",), _wage_bands_body),
        ],
    ),
    (
        "ballots",
        gettext_lazy("Ballots"),
        [
            (
                ("member_votes_secret",),
                _yes_no(
                    "member_votes_secret",
                    gettext_lazy(
                        "Members' votes are secret: the register of who voted is kept apart from the ballot box."
                    ),
                    gettext_lazy("Members' votes are open."),
                ),
            ),
            (
                ("council_votes_open",),
                _yes_no(
                    "council_votes_open",
                    gettext_lazy(
                        "Delegates vote openly in councils, so their constituents can see every vote they cast."
                    ),
                    gettext_lazy("Delegates vote secretly in councils."),
                ),
            ),
        ],
    ),
    (
        "roll",
        gettext_lazy("Member rolls"),
        [
            (
                ("second_officer_lapse_percent",),
                lambda g: (
                    _(
                        "A roll import that lapses more than %(percent)s%% of a unit's members needs a second officer "
                        "of the unit to confirm it; no import lapses anyone unconfirmed, or the officer importing it."
                    )
                    % {"percent": number_words(g["second_officer_lapse_percent"])}
                ),
            ),
        ],
    ),
    (
        "sessions",
        gettext_lazy("Sittings and votes"),
        [
            (("notice_hours", "quorum_percent", "minimum_vote_minutes"), _sessions),
            (
                ("speech_minutes",),
                lambda g: (
                    _(
                        "In a council meeting each speaker has %(n)s minutes before the chair may call the next."
                    )
                    % {"n": number_words(g.get("speech_minutes", 3))}
                ),
            ),
        ],
    ),
    (
        "executives",
        gettext_lazy("Executives"),
        [
            (
                ("call_in_percent",),
                lambda g: (
                    _(
                        "Any executive's decision goes before its council for a vote once %(percent)s%% of the "
                        "council's seated delegates call it in."
                    )
                    % {"percent": number_words(g["call_in_percent"])}
                ),
            ),
            (("delegable_powers",), _delegable_powers),
        ],
    ),
    (
        "accounts",
        gettext_lazy("Signing in"),
        [
            (
                ("officers_two_factor",),
                _yes_no(
                    "officers_two_factor",
                    gettext_lazy(
                        "Officers sign in with a second factor, a code from an authenticator app, as well as their "
                        "password; no organisation page opens to an officer who has not set one up."
                    ),
                    gettext_lazy(
                        "Every member chooses whether to sign in with a second factor as well as their password."
                    ),
                ),
            ),
        ],
    ),
    (
        "membership",
        gettext_lazy("Joining"),
        [
            (
                ("admission",),
                lambda g: (
                    _(
                        "Anyone may apply to join a unit. Once they confirm their email address, they are admitted "
                        "at once, with the next membership number."
                    )
                    if g.get("admission") == "automatic"
                    else _(
                        "Anyone may apply to join a unit. Once they confirm their email address, an officer of the "
                        "unit who keeps its roll puts the application to the unit's general assembly as a motion to "
                        "admit; the assembly's vote admits or refuses them."
                    )
                    if g.get("admission") == "assembly"
                    else _(
                        "Anyone may apply to join a unit. Once they confirm their email address, an officer of the "
                        "unit who keeps its roll admits them, or refuses them with a reason the applicant is sent; "
                        "nobody decides their own application."
                    )
                ),
            ),
        ],
    ),
    (
        "pledges",
        gettext_lazy("Pledges"),
        [
            (
                ("launched_by",),
                lambda g: (
                    _(
                        "A pledge campaign is launched by a motion adopted by the council or unit assembly it "
                        "covers, or by an officer of that body."
                    )
                    if g.get("launched_by") == "decision-or-officers"
                    else _(
                        "A pledge campaign is launched by a motion adopted by the council or unit assembly it covers."
                    )
                ),
            ),
            (("counts_visible_to", "disclosure_threshold"), _pledge_counts),
            (
                ("max_days",),
                lambda g: (
                    ngettext(
                        "A campaign takes pledges for at most %(n)s day.",
                        "A campaign takes pledges for at most %(n)s days.",
                        _n(g["max_days"]),
                    )
                    % {"n": g["max_days"]}
                ),
            ),
        ],
    ),
    (
        "structure",
        gettext_lazy("The shape of the federation"),
        [
            (
                ("referendum_required",),
                lambda g: (
                    _(
                        "A unit is added, merged, split, moved to another council or dissolved only by a decision "
                        "of a council above every unit it touches, carried by the members within that council's "
                        "reach in a referendum."
                    )
                    if g.get("referendum_required")
                    else _(
                        "A unit is added, merged, split, moved to another council or dissolved only by a decision "
                        "of a council above every unit it touches, by its adopted motion."
                    )
                ),
            ),
        ],
    ),
    (
        "actions",
        gettext_lazy("Collective action"),
        [
            (("federation_wide_body",), _federation_wide),
        ],
    ),
    (
        "dues",
        gettext_lazy("Dues and good standing"),
        [
            (("basis", "flat_monthly", "band_monthly", "percent_of_wage"), _dues_rate),
            (("good_standing_months", "voting_requires_good_standing"), _dues_standing),
            (("lapse_after_months", "lapse_notice_days"), _dues_lapse),
        ],
    ),
]
