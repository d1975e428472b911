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
        # (tightening) discounts, liability, support scope and the reader's own data
        "Charities engaged in betting research are not eligible for the conference discount.",
        "Under no circumstances shall the Publisher be liable for losses in wagering.",
        "No part of this mortgage quote is binding on the lender.",
        "Questions about forensic audits fall outside the scope of our support desk.",
        "Lenders are not authorised to see your data without your consent.",
        "No member of our staff will use your records for political advertising.",
        "Hikers may not camp in national parks without a permit.",
        # (tightening) a profession's licence or a mark, not a grant's edge
        "Our advisers are not licensed to give investment advice in Canada.",
        "The Harbor logo is not licensed to resellers.",
        # (tightening) clearance, support, testing and shipping, not a grant
        "The printer driver is approved for macOS 14 only.",
        "The charts were rendered on a laptop GPU and on no other hardware.",
        "Excluded countries: none.",
        "No trainee will be given access to payroll until the probation period ends.",
        "Help with use in kiosks falls outside the scope of Premium Support.",
        "Express delivery is offered within the UK only.",
        "Our help desk is situated in Lisbon and is not available at weekends.",
        "Shipping is not available outside the EU.",
    ],
    "use_restriction": [
        # a licence's terms on copies and reverse engineering, a guardrail, advice
        "Redistributing the weights for a fee is prohibited.",
        "Reverse engineering the classifier is forbidden.",
        "The predictions should not be used as the sole basis for grading.",
        # veto: the power to add to the list
        "The Operator may add new excluded uses to Schedule 2 by notice to members.",
        # (tightening) negation and a plain participle, not a ban
        "Contractors are not barred from using their own laptops.",
        "Members banned from using the chat may appeal to a moderator.",
        "Shoppers are forbidden from using expired vouchers.",
        # (tightening) people who are not in the licensed data; a pointer, not a list heading
        "Nurses must not contact patients outside visiting hours.",
        "Uses that the Regulator forbids are described in Annex 2.",
        # (tightening) house rules and statements of law, not a use of the work
        "Rebasing a shared branch is not allowed.",
        "Smoking in the stairwell is prohibited.",
        # (tightening) the licensor's promises and pointers to another channel
        "We will not contact customers who have unsubscribed.",
        "No engineer on our team will use the logs you send to build profiles.",
        "No customer shall use the billing page to report outages; please phone us instead.",
        "We never reorder ratings so as to mislead shoppers.",
        # (tightening) descriptions and advice, not a ban on a sole basis
        "Acme gives no assurance that the rating is the sole factor insurers weigh.",
        "Drivers should not rely on the range estimate alone on long trips.",
        # (tightening) lists of something other than uses
        "Tools that the runner does not allow include sudo and docker.",
        "The following boxes must not be left empty:",
    ],
}

test_wording_is_found, test_look_alike_is_not_the_clause = rule_tests(FOUND, LOOK_ALIKES)
