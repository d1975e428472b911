"""Clause rules widened in the tenth clause pass for the licensor's powers and the grant's scope:
terms changes (terms that reach back, amendments accepted by conduct, lists the licensor may
lengthen), termination (safety devices defeated, IP claims in court, accounts closed at will),
research-only grants (no live use), use policies by name.

Sentences written for these tests (tests/clause_cases.py says how).
"""

from __future__ import annotations

from tests.clause_cases import rule_tests

FOUND: dict[str, list[str]] = {
    # a field of use beside the user's own data (the privacy-notice veto reads "receive your data")
    "field_of_use": ["You may not combine your data with the Model for any military purpose."],
    "terms_change": [
        "The Steering Board may at any time, and without asking any member, revise these Rules.",
        "This release of the Harbour Terms supersedes every prior edition of them.",
        "The terms apply to each model file already in circulation, whenever it was downloaded.",
        "The Portal Licence as currently published on our website prevails over any copy you hold.",
        "Every project is governed by the Data Schedule in force at the time of each query.",
        "You must follow the Kestrel Research Code of Conduct, as updated by the Trust from "
        "time to time.",
        "Members shall observe the Clinic Ethics Code, which the Board may amend whenever it "
        "wishes.",
        "Uploading a dataset after we publish a notice constitutes acceptance of the revised "
        "terms.",
        "Once new conditions are announced, continuing to stream means you are deemed to have "
        "accepted them.",
        "We reserve the right to extend the list of excluded applications at our discretion.",
        "Each amendment binds all existing subscribers from the day it is posted.",
        "The venue rules bind every exhibitor in their revised form from the date they are "
        "circulated.",
    ],
    "termination": [
        "Switching off the collision interlock terminates this licence immediately.",
        "Any attempt to get the model to slip a banned topic past the safety classifier loses "
        "you your licence.",
        "Should you claim before any tribunal that our engine infringes your copyright, this "
        "licence ends at once.",
        "We may close your studio account whenever we consider it appropriate.",
        "A licensee that releases a competing forecasting product forfeits its rights under "
        "this licence.",
        "Upon a change in control of the Licensee, the Licensor may withdraw the licence.",
    ],
    "research_only": [
        "The weights are shared for methods research, not for running a live triage service.",
        "The corpus may be studied for coursework and for no other purpose.",
        "Scientific benchmarking is the sole purpose for which these checkpoints are released.",
        "You may test the preview on recorded calls, but not on live callers or in production.",
        "The evaluation key lets you try the API; no live bookings may be made with it.",
        "The beta may be used to evaluate the model, not to serve answers to real customers.",
    ],
    "non_commercial": [
        "Hobby projects use the API free; a service that charges its users needs a commercial "
        "licence.",
        "Any podcast carrying paid sponsorship must upgrade to a commercial plan.",
        "The clinic edition may not be used by any hospital that charges patients for care.",
        "The weights are free for your own study, but not in any paid course, workshop or "
        "bootcamp service.",
    ],
    "aup": [
        "Every seller must comply with the Restricted Products Policy as a condition of sale.",
        "Access depends on compliance with the Consortium's Data Sharing Policy.",
        "Stations are bound by the Community Radio Code of Practice.",
        "Apps that use the Cortex API must follow the API Usage Policy at all times.",
    ],
}

LOOK_ALIKES: dict[str, list[str]] = {
    "field_of_use": ["Insurers are not authorised to receive your data through our app."],
    "terms_change": [
        # an entire-agreement clause supersedes earlier agreements, not earlier versions
        "This Agreement supersedes all prior agreements between the parties on its subject.",
        # the licensee's own additions
        "You may add your own notices to the NOTICE file you distribute.",
        # (hostile review) documents that are no licence, third parties' rules, negations
        "This printing of the handbook replaces all earlier editions.",
        "We follow the industry's security standards, as revised by their authors each year.",
        "Your silence does not constitute acceptance of any revised terms.",
        "The archive in its current form holds two million files.",
        "The seller may issue a superseding receipt if a refund is made.",
        "We will add new currencies to the list of supported payment methods.",
        "The warranty covers units already in circulation, whenever they were made.",
    ],
    "termination": [
        # the licensee's own account and plan
        "You may close your account at any time from the settings page.",
        "The Customer may cancel its subscription at the end of any billing month.",
        # ending on a plain breach
        "If you breach section 4, this licence terminates automatically.",
        # (hostile review) devices switched off end a cycle, not the licence; claims for damages
        "Turning off the smoke alarm ends the test cycle.",
        "Tampering with the pressure cut-off voids the hardware warranty.",
        "Any claim made before a tribunal must be filed within one year of the event.",
        "Team owners can deactivate a member account at any time.",
    ],
    "research_only": [
        # a description of what was studied, and a grant that allows live use
        "Our team evaluated the model on archived calls before release.",
        "You may use the model for research and in live production services.",
        # (hostile review) operations advice and release notes grant nothing
        "Never run the load test on a live database.",
        "This build has not been tried with real users yet.",
        "No live operators will answer calls on public holidays.",
        "The survey studied German speakers only.",
    ],
    "non_commercial": [
        # (hostile review) pricing of plans and a third party's fees
        "Teams that need single sign-on require a paid plan, billed monthly.",
        "Card payments need a separate agreement with the payment processor, which charges fees.",
        "You do not need a commercial licence to sell apps built with the kit.",
        # a revenue threshold: a cap, not a ban on commercial use
        "Free of charge for firms under EUR 5 million turnover; larger firms need a commercial "
        "subscription.",
    ],
    "aup": [
        # a policy about the licensor's own handling of data binds no use
        "Read our privacy policy to learn how we process account data.",
        # (hostile review) the licensor's own practice, staff rules
        "We share records with partners only as described in our Data Sharing Policy.",
        "Staff must follow the Restricted Stock Policy before trading shares.",
        "Our statisticians follow a code of practice for official statistics.",
    ],
}

test_wording_is_found, test_look_alike_is_not_the_clause = rule_tests(FOUND, LOOK_ALIKES)
