"""Clause rules widened in the tenth pass for fields of use and use restrictions
(rules/fields.py, rules/field_words.py, rules/use_bans.py, rules/use_vetoes.py).

Sentences written for these tests (tests/clause_cases.py says how).
"""

from __future__ import annotations

from tests.clause_cases import rule_tests

# Wording each rule must find, by kind.
FOUND: dict[str, list[str]] = {
    "field_of_use": [
        # fields named by what they decide or serve
        "The survey layers may not be used to plan new coal mines.",
        "The voice pack may not be used in political advertising.",
        "You shall not use the scores to set insurance premiums.",
        "Licensees must not use the model to decide whether a tenant qualifies for a lease.",
        "The dataset may not be used for tenant screening.",
        "No subscriber may use the caller for forensic identification.",
        "The routing model may not be deployed within marine reserves.",
        "Mortgage lenders may not access the valuation model.",
        "Operators of betting shops are not eligible to access the odds feed.",
        # kinds of business left out
        "The corpus may not be used by any firm whose main business is debt collection.",
        "Entities involved in peat extraction cannot use the Model.",
        "You may not use the API to launch a marketplace that competes with Harbor.",
        "No payday lender and no debt collector may obtain a licence to the scorer.",
        # places
        "The grant covers subscribers resident in Ireland only; everyone else falls outside it.",
        "Shops situated in Norway may not download the catalogue model.",
        "The weights may not be hosted on servers outside the European Union.",
        "The recordings are cleared for broadcast in the UK only.",
        "The Territory is Ontario, and running the model beyond it is not permitted.",
        "The tool is for registered pharmacists in Wales and no one else.",
        # platforms and single fields
        "The model may run on Kestrel accelerators and on no other hardware.",
        "The engine is licensed for agricultural spraying drones only.",
        "Excluded sectors: tobacco and arms retail.",
        "Use in open-pit blasting falls outside this licence.",
        "The speech model is not licensed for courtroom transcription.",
    ],
    "use_restriction": [
        "Dealers are barred from using the model to rank applicants by their surnames.",
        "Researchers shall neither contact nor attempt to trace the donors in the cohort.",
        "Analysts must not profile any patient in the extract.",
        "No reseller may use the routing engine to track couriers off shift.",
        "Scraping rider profiles to build marketing lists is prohibited.",
        "Uses the Licensor forbids include the following:",
        "The following kinds of media may not be uploaded to the portal:",
        "No editor shall treat the model's verdict as the only ground for pulling a story.",
        "A fare penalty must not rest on the camera count alone.",
        "No clip shall be spliced so as to misrepresent a guest's views.",
    ],
}

# Look-alikes each rule must keep out, by kind.
LOOK_ALIKES: dict[str, list[str]] = {
    "field_of_use": [
        # outputs kept out of records or away from recipients: an output rule, not a field
        "Summaries produced by the tool must not be copied into a patient's clinical record.",
        "Reports produced by the tool must not be passed to insurers.",
        # staff barred from uses (a list of banned uses), not staff left out
        "Hospital staff must not use the chatbot for any of the following tasks:",
        # a scope of its own or the grant's edge, not a field
        "This release is licensed for non-production experimentation only.",
        "The weights are not licensed for production deployment.",
        "If you do not accept these terms, you are not licensed to use the Software.",
        "Third-party trademarks are not licensed for use under this Agreement.",
        "No third party shall be granted any licence under this Agreement.",
        "The kiosk edition runs on one server and one standby node, and on no other machine.",
        # vetoes: a label kept intact; the power to add to the list
        "You must not remove the 'not for diagnosis' banner from the clinical reports.",
        "The Licensor reserves the right to add military uses to the excluded list by notice.",
    ],
    "use_restriction": [
        # a licence's terms on copies and reverse engineering, a guardrail, advice
        "Redistributing the weights for a fee is prohibited.",
        "Reverse engineering the classifier is forbidden.",
        "The predictions should not be used as the sole basis for grading.",
        # veto: the power to add to the list
        "The Operator may add new excluded uses to Schedule 2 by notice to members.",
    ],
}

test_wording_is_found, test_look_alike_is_not_the_clause = rule_tests(FOUND, LOOK_ALIKES)
