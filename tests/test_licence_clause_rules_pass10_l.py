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
        # a warning no licensed product puts there, or no ban on the licensee
        "Linter warnings are not to be silenced with inline comments in merge requests.",
        "The consent banner must not be hidden behind the chat widget.",
        "Never remove the 'Sold out' stamp by hand; the shop clears it at midnight.",
        "The crate bears the CE stamp, and sellers may not remove that stamp.",
        "Our design system says the alerts the dashboard shows when a job fails must not be "
        "hidden.",
        # a device switched off in a description, or not the product's
        "Disabling the screening step makes the import run faster but lets more duplicates "
        "through.",
        "Switching off the junk-mail filter ends the quarantine of flagged messages.",
        "Patients must not skip the medical-screening questionnaire before their first "
        "appointment.",
        # kept on with no ban, or no safeguard
        "Keep the build monitor running while you profile the service.",
        "The nightly check must always run before merge; it is set up in the CI settings.",
        "Maintain the retry threshold, which pauses the queue on errors, at 5% in staging.",
        # prompted past, or a way around, with nothing forbidden
        "Our testers tried to rephrase queries past the rate limiter without success.",
        "The desktop app is not a way around the sync conflict checks.",
    ],
    "naming": [
        "You may describe your product as 'compatible with Quillon' if you wish.",
        "Each invoice shall state 'Copyright by Nimbrel Ltd' at the foot of the page.",
        "The Naming Standard appendix lists the colours used in our product logos.",
        # naming guides, designations and formats with no licensee bound
        "Module names in this project follow the PEP 8 naming standards.",
        "We make sure every visitor knows the site is built with Hugo.",
        "Nightly builds ship under a title that includes the build date.",
        "Please name it in the format YYYY-MM-DD so the exports sort by date.",
        # a label or a statement that names no maker, a title for no derivative
        "Triagers are to label the issue as 'needs-info' when details are missing.",
        "Commit messages must state 'Closes #7 by renaming the flag' when they close an issue.",
        "Test modules shall be titled with the prefix 'test_' so the runner finds them.",
        "You must add columns using the names listed in the schema file.",
    ],
}

test_wording_is_found, test_look_alike_is_not_the_clause = rule_tests(FOUND, LOOK_ALIKES)
