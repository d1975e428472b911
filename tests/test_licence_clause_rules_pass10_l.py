"""Clause rules widened in the tenth pass for safety guardrails (rules/obligations.py) and
prescribed names (rules/naming.py), with their vetoes (rules/vetoes.py): guardrails named by what
they do or show (gates, checks, limits "which halt ...", warning banners and stamps, alarms) that
may not be hidden, switched off or prompted past, or must stay engaged; names described "as 'X by
Y'", designations, title openings, name formats and naming guides. Look-alikes: warnings the user
may switch off, training data filtered to remove, notices and logos, copyright lines, optional
names.

Sentences written for these tests (tests/clause_cases.py says how).
"""

from __future__ import annotations

from tests.clause_cases import rule_tests

# Wording each rule must find, by kind.
FOUND: dict[str, list[str]] = {
    "safety_guardrail": [
        # a device or a warning, then "may not be disabled / skipped"
        "The rollover detector, which halts the harvester when the slope exceeds its rating, "
        "must not be disabled or overridden by the operator.",
        "The 'Synthetic voice' warning that Lyra reads before each call must not be skipped or "
        "muted by any integrator.",
        "The wind-speed ceiling, which halts crane slewing in gusts above 20 m/s, may not be "
        "raised, bypassed or switched off.",
        # hidden, then the warning
        "Publishers shall not blur, crop or cover over the 'Computer-estimated values' stamp that "
        "PlotWise places on every map.",
        "No rider may silence the collision alarm while the scooter is moving.",
        "Each render carries a 'Synthetic scene' watermark, and studios may not blur or crop it.",
        # a device by its kind: "tamper with the fall-prevention system"
        "Nobody may tamper with the fall-prevention system fitted to the climbing robot.",
        "Licensees shall not circumvent the bed-exit escalation flow that pages a nurse.",
        # kept on
        "Operators must keep the pedestrian-proximity guard engaged at all times.",
        "The overdose limiter in the infusion planner, which rejects any rate above the protocol "
        "ceiling, is to remain enabled on every ward.",
        "Broadcasters must leave intact the 'AI-narrated' caution caption that Vocalis adds to "
        "each segment.",
        # prompted past
        "Players may not use scripted prompts to sneak slurs past the chat model's toxicity "
        "filter.",
        "Users shall not trick the tutoring bot, by role-play or otherwise, into producing the "
        "exam answers it is designed to withhold.",
        "The batch endpoint may not be used as a means around the moderation classifier of the "
        "live service.",
    ],
    "naming": [
        "Integrators are to describe the summaries as 'Digest by Quillon' in every newsletter.",
        "Every dashboard built on the engine shall state 'Forecasts by Nimbrel' beneath each "
        "chart.",
        "Forks may only be distributed under a designation that contains the word 'Larkspur'.",
        "Derived maps are to be titled with the opening words 'Based on Fenmoor Survey'.",
        "Anyone who retrains the model is to name it in the format 'Vesper-team-ft'.",
        "A distilled copy of the model shall be designated in the form 'Ostra-mini-2025'.",
        "Partners must list the tariffs using the product names set out in the Carrier's "
        "Catalogue.",
        "Resellers shall comply with the Hollow Oak Naming Standard for every bundle they sell.",
        "You must make sure that every user of your app knows that its answers are powered by "
        "Tarn.",
    ],
}

# Wording that only looks like the clause (a veto or a narrowed pattern keeps it out).
LOOK_ALIKES: dict[str, list[str]] = {
    "safety_guardrail": [
        # a warning the user controls
        "Clinic administrators may switch off the dosage safety check for senior prescribers.",
        "Drivers may mute the safety chime from the steering-wheel menu.",
        # how the training data was cleaned
        "The corpus was filtered to remove toxic posts before the Model was trained.",
        # crops are no verb of hiding
        "The Model supports crop protection planning for arable farms and orchards.",
        # notices, marks and logos kept are no guardrail
        "Licensees may not remove or alter any copyright notice, banner or logo shown in the app.",
        "You must not hide or cover over the 'Powered by Lyra' banner on the home screen.",
    ],
    "naming": [
        "You may describe your product as 'compatible with Quillon' if you wish.",
        "Each invoice shall state 'Copyright by Nimbrel Ltd' at the foot of the page.",
        "The Naming Standard appendix lists the colours used in our product logos.",
    ],
}

test_wording_is_found, test_look_alike_is_not_the_clause = rule_tests(FOUND, LOOK_ALIKES)
