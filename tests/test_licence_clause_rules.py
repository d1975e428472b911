"""The clause rules on wording written for these tests (in no shipped licence and not in the
labelled set): each new pattern finds its clause, and each veto keeps a look-alike out.

Every sentence below was written fresh, so a rule that only knows the shipped licences' phrases
fails here.
"""

from __future__ import annotations

import pytest

from modelbazaar.licenses.clause_model import category
from modelbazaar.licenses.clauses import find_clauses
from modelbazaar.licenses.rules import ORDER, RULES
from modelbazaar.licenses.rules.look_alikes import settle


def _found(sentence: str) -> set[str]:
    return {category(f.kind) for f in find_clauses(sentence, "LICENSE") if f.restrictive}


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Your use of the Weights must not violate the Orbit AUP.", "aup"),
        ("Operators may deploy the Model only as permitted by the Usage Guidelines.", "aup"),
        ("We may revise this Acceptable Use Policy whenever we see fit.", "aup"),
        ("Derivatives may only be referred to as Heron Derivatives.", "naming"),
        ("Your app must state that it is built on Heron by Heron Labs.", "naming"),
        ("The Licensor's name shall appear on the front page of every product.", "naming"),
        ("To obtain a licence for commercial use, contact sales@example.com.", "non_commercial"),
        (
            "Distribution by a commercial company is prohibited where payment is received.",
            "non_commercial",
        ),  # fmt: skip
        (
            "The Weights are licensed for non-commercial research and nothing more.",
            "research_only",
        ),  # fmt: skip
        ("Any use other than evaluation requires a separate agreement.", "research_only"),
        ("The Model cannot be used to build a rival speech recogniser.", "use_restriction"),
        ("Users are prohibited from using the Model to stalk anyone.", "use_restriction"),
        ("The following uses are strictly prohibited:", "use_restriction"),
        ("You shall use the Dataset solely for climate modelling.", "field_of_use"),
        (
            "The Weights may not be used by persons who are not members of the consortium.",
            "field_of_use",
        ),  # fmt: skip
        ("A permitted purpose is any purpose other than a competing service.", "field_of_use"),
        ("The grant extends only to applications that run on a Heron device.", "field_of_use"),
        ("You bind every sublicensee to these terms.", "flow_down"),
        ("These conditions apply to all copies and derivatives of the Weights.", "flow_down"),
        ("Heron Labs has the right to amend this licence at any time.", "terms_change"),
        ("The licence terms are subject to change without notice.", "terms_change"),
        ("You must follow the Style Rules as updated from time to time.", "terms_change"),
        ("We will notify you of material changes to this agreement by e-mail.", "terms_change"),
        (
            "If you assert a copyright, trade secret or other claim against us, this licence ends.",
            "termination",
        ),  # fmt: skip
        ("We may terminate your licence with or without cause on 30 days notice.", "termination"),
        ("Heron Labs may remotely disable any copy it believes is misused.", "remote_update"),
    ],
)
def test_new_wording_is_found(sentence: str, kind: str) -> None:
    assert kind in _found(sentence), _found(sentence)


# A second round of fresh wording, five or so per weak category.
MORE_WORDING = [
    (
        "termination",
        "The Company may suspend or revoke your rights under this licence if, in its reasonable "
        "opinion, you are harming its reputation.",
    ),
    (
        "termination",
        "This licence terminates immediately should you become a direct competitor of the "
        "Licensor.",
    ),
    (
        "termination",
        "Your licence is revoked automatically if you commence any action alleging that the "
        "Model infringes your copyright.",
    ),
    ("termination", "We can end this agreement for any or no reason by giving you notice."),
    ("termination", "If you are acquired by a competitor of Acme, all rights granted here cease."),
    (
        "terms_change",
        "Acme may from time to time publish amendments to this Agreement, which bind you from "
        "the date of publication.",
    ),
    (
        "terms_change",
        "The terms of this licence can be modified by the Licensor at its discretion.",
    ),
    (
        "terms_change",
        "Acme may update these terms; your continued use after the update means you accept them.",
    ),
    (
        "terms_change",
        "The current version of these terms will always be available at example.com/terms and "
        "supersedes earlier versions.",
    ),
    ("terms_change", "Licensor reserves the right to amend or replace this licence at any time."),
    ("research_only", "The Weights may be used for academic purposes only."),
    (
        "research_only",
        "Use of the Model is restricted to evaluation and internal testing; production "
        "deployment requires a commercial licence.",
    ),
    ("research_only", "This is a research licence: commercial or production use is not allowed."),
    (
        "research_only",
        "You may use the Model solely to conduct non-commercial scientific research.",
    ),
    (
        "research_only",
        "The Model is made available for evaluation purposes and may not be deployed in any "
        "product.",
    ),
    ("use_restriction", "You must not use the Model for any of the purposes listed below:"),
    (
        "use_restriction",
        "Licensee shall not use the Software, or allow others to use it, to generate "
        "disinformation.",
    ),
    ("use_restriction", "It is forbidden to use the Model to impersonate real people."),
    ("use_restriction", "You agree that you will not: (a) harass others with the Model;"),
    ("use_restriction", "Use of the Model to produce malware is not permitted."),
    ("naming", 'Any fine-tuned model must have "Acme" in its name.'),
    ("naming", "When you publish a derivative, its name must start with Acme-."),
    (
        "naming",
        "You shall credit Acme by displaying the phrase Powered by Acme in your user interface.",
    ),
    ("naming", "Products using the Model must carry the Acme logo on their home page."),
    ("aup", "Your use of the Model is governed by the Acme Responsible AI Policy."),
    ("aup", "Any use in breach of the AUP is a breach of this licence."),
    ("non_commercial", "You may not use the Model to generate revenue."),
    (
        "non_commercial",
        "This licence grants no right to use the Weights for any commercial purpose.",
    ),
    ("non_commercial", "Commercial exploitation of the Model is reserved to the Licensor."),
    (
        "output_use",
        "You may not use outputs of the Model to develop a competing large language model.",
    ),
    (
        "remote_update",
        "Acme may push updates to the Model that change its behaviour without your consent.",
    ),
    ("field_of_use", "The Model must not be used in military applications."),
    ("field_of_use", "Persons located in embargoed territories may not use the Model."),
]


@pytest.mark.parametrize(("kind", "sentence"), MORE_WORDING)
def test_more_new_wording_is_found(kind: str, sentence: str) -> None:
    assert kind in _found(sentence), _found(sentence)


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("You own the outputs you create with the Model.", "output_use"),
        ("Such election will not withdraw this licence.", "field_of_use"),
        (
            "This does not require the bundle incorporated in a collection to be relicensed.",
            "field_of_use",
        ),  # fmt: skip
        (
            "Advances in artificial intelligence must not be held back by this licence.",
            "field_of_use",
        ),  # fmt: skip
        ("The name of the author may not be used to endorse products.", "use_restriction"),
        ("You may not use this file except in compliance with the License.", "use_restriction"),
        ("Do not install the software until you have read these terms.", "use_restriction"),
        (
            "This licence is intended to facilitate the commercial use of the Program, so "
            "distributors should not create liability for others.",
            "non_commercial",
        ),  # fmt: skip
        ("Reporting violations of the Acceptable Use Policy: abuse@example.com", "aup"),
        ("This project follows the Contributor Covenant code of conduct.", "aup"),
        ("The release date may vary for each version of the Model.", "terms_change"),
        (
            "The following uses shall not in themselves be a breach of this section:",
            "use_restriction",
        ),  # fmt: skip
        # a ban on selling the work by itself leaves commercial use open (OFL, CPOL)
        ("The fonts may be sold with software, but not by themselves.", "non_commercial"),
        ("Disputes go to the courts located in the venue named in a notice.", "field_of_use"),
        ("Any use of the Work other than as authorised here is prohibited.", "use_restriction"),
        ("The Publisher may cease making the Work available at any time.", "termination"),
        ("You may install updates to the Model whenever you like.", "remote_update"),
        ("No one other than the steward has the right to modify this Agreement.", "terms_change"),
        ("The model is downloaded remotely from our mirror.", "remote_update"),
        (
            "Use includes, but is not limited to, training and evaluating the Model.",
            "research_only",
        ),  # fmt: skip
        (
            "If you file a patent suit against a contributor, your patent licence ends.",
            "termination",
        ),  # fmt: skip
    ],
)
def test_look_alikes_are_not_clauses(sentence: str, kind: str) -> None:
    assert kind not in _found(sentence), _found(sentence)


def test_a_more_specific_kind_replaces_use_restriction_and_caps_replace_field_of_use() -> None:
    assert settle(["output_use", "use_restriction"], "outputs must not train models") == [
        "output_use"
    ]
    assert settle(["revenue_cap", "field_of_use"], "available only to small firms") == [
        "revenue_cap"
    ]


def test_rule_families_are_listed_in_one_order() -> None:
    assert list(RULES) == list(ORDER) and len(set(ORDER)) == len(ORDER)


# A third round of fresh wording: one or more per category, none in any shipped licence.
THIRD_ROUND = [
    ("naming", "Every derivative model shall be named so that its name contains the word Nimbus."),
    ("naming", 'You must label any service built with the Model as "Nimbus inside".'),
    ("naming", "Any distribution of a fine-tuned version must be branded with the Nimbus name."),
    ("naming", 'Attribution: products must display "Based on Nimbus" in their about screen.'),
    ("termination", "Nimbus Labs may terminate this licence at its sole discretion."),
    (
        "termination",
        "Your rights under this licence end if you file any lawsuit against Nimbus Labs.",
    ),
    (
        "termination",
        "This licence will terminate if you publicly disparage Nimbus Labs or its products.",
    ),
    ("termination", "Nimbus Labs may revoke this licence upon written notice for any reason."),
    (
        "terms_change",
        "Nimbus Labs may change this licence; changes apply to all future use of the Model.",
    ),
    ("terms_change", "These terms may be updated by us without prior notice."),
    ("terms_change", "We may modify the Acceptable Use Policy at any time."),
    (
        "terms_change",
        "By using the Model after we post a new version of these terms, you accept it.",
    ),
    ("research_only", "The Weights are released for non-commercial research purposes only."),
    (
        "research_only",
        "You may only use the Model to evaluate its capabilities; no other use is licensed.",
    ),
    ("research_only", "Use is permitted for academic research; all other use is prohibited."),
    ("research_only", "This model is for testing only and must not be used in production."),
    ("use_restriction", "You will not use the Model, or any derivative of it, to:"),
    ("use_restriction", "Licensee agrees not to use the Software for the following purposes:"),
    ("use_restriction", "The Model must not be used for generating spam."),
    ("use_restriction", "You may not deploy the Model in ways that deceive users."),
    ("aup", "You must use the Model in accordance with the Nimbus Use Policy."),
    ("aup", "The Prohibited Use Policy forms part of this Agreement."),
    ("aup", "Use of the Model is conditioned on compliance with the AUP."),
    ("field_of_use", "The Model may not be used by or for any military organisation."),
    ("field_of_use", "No rights are granted to entities incorporated in Freedonia."),
    ("field_of_use", "You may not use the Model for surveillance of individuals."),
    ("output_use", "Outputs of the Model may not be used to train any other model."),
    ("output_use", "You shall not use the Model's generations to fine-tune a competing model."),
    (
        "remote_update",
        "Nimbus Labs may remotely restrict access to the Model if it suspects misuse.",
    ),
    ("flow_down", "You must pass these restrictions on to any party you provide the Model to."),
    ("non_commercial", "The Model may only be used for non-commercial purposes."),
    ("user_cap", "If your product has more than 50 million users you need our permission."),
    ("revenue_cap", "Companies with more than $10 million in annual revenue must buy a licence."),
    ("safety_guardrail", "You must not disable the safety classifier shipped with the Model."),
]


@pytest.mark.parametrize(("kind", "sentence"), THIRD_ROUND)
def test_third_round_of_wording_is_found(kind: str, sentence: str) -> None:
    assert kind in _found(sentence), _found(sentence)


# A fourth round in a formal register ("hereunder", "Licensee", numbered headings, bullets).
FORMAL_ROUND = [
    (
        "termination",
        "Licensor may, by notice to Licensee, terminate the licences granted hereunder where "
        "Licensee becomes insolvent.",
    ),
    (
        "termination",
        "All rights granted hereunder shall lapse forthwith should Licensee challenge any "
        "intellectual property right of Licensor.",
    ),
    ("termination", "The licence granted in Section 2 is revocable at will by the Licensor."),
    (
        "terms_change",
        "Licensor may vary the terms of this Licence by publishing the varied terms on its "
        "website.",
    ),
    ("terms_change", "The Licensor may unilaterally amend the Acceptable Use Policy."),
    ("terms_change", "This Agreement may be amended by Licensor from time to time."),
    (
        "research_only",
        "Licensee may use the Model solely for the purpose of internal research and development.",
    ),
    ("research_only", "- Permitted use: research and evaluation only."),
    (
        "research_only",
        "Use of the Model in a production environment is expressly excluded from this licence.",
    ),
    ("use_restriction", "3.2 Licensee shall not, and shall not permit any third party to:"),
    ("use_restriction", "* Do not use Nimbus to create weapons."),
    (
        "use_restriction",
        "Licensee undertakes not to use the Model to infringe the rights of others.",
    ),
    ("naming", 'Derivative Models shall bear the prefix "Nimbus-" in their names.'),
    (
        "naming",
        'Licensee shall display the notice "Powered by Nimbus" wherever the Model is used.',
    ),
    ("aup", "Licensee shall use the Model only in conformity with the Nimbus Usage Guidelines."),
    ("aup", "Schedule 3 (Acceptable Use) forms part of this Licence."),
    ("output_use", "Licensee shall not use any Output to develop models that compete with Nimbus."),
    (
        "field_of_use",
        "Nothing in this licence permits use of the Model in the oil and gas industry.",
    ),
    ("remote_update", "Licensor may deactivate the Model remotely in the event of misuse."),
]


# Fourth round (written for issue 11's second clause pass): how licences phrase these powers
# and bans in general, then the look-alikes each new pattern must leave alone.
FOURTH_ROUND = [
    (
        "termination",
        "Licensor may discontinue the licence granted hereunder upon notice at any time.",
    ),
    ("termination", "Kestrel may terminate this License if it determines your use harms its name."),
    ("termination", "Kestrel reserves the right to revoke this licence at its sole discretion."),
    ("termination", "The licence ends if you bring any claim against Kestrel over the Weights."),
    ("terms_change", "We may, in our sole discretion, revise the Acceptable Use Policy."),
    ("terms_change", "Kestrel reserves the right, at its discretion, to update the terms of use."),
    ("terms_change", "You agree to comply with any updated licence or cease using the Model."),
    ("terms_change", "Your continued access after changes are posted means you accept them."),
    (
        "terms_change",
        "Kestrel may issue revised versions of this Agreement, which apply to your continued use.",
    ),
    ("terms_change", "Any new version of this Agreement published by Kestrel will bind you."),
    (
        "remote_update",
        "Kestrel may restrict or revoke access to the Model through technical means.",
    ),
    (
        "remote_update",
        "The Software checks your licence with our servers and stops working if not.",
    ),
    (
        "remote_update",
        "A mechanism lets the Licensor deactivate the Model if these terms are broken.",
    ),
    ("remote_update", "We may update the Model over the air."),
    ("output_use", "Neither the Model nor any output from it may be used to train another model."),
    (
        "research_only",
        "The Materials may be used for research and testing and for no other purpose.",
    ),
    ("research_only", "You may use the Software for internal evaluation, but not in production."),
    ("field_of_use", "Use of the Model by government agencies is excluded from this licence."),
    ("field_of_use", "You may use the Software only in connection with Kestrel hardware products."),
    ("field_of_use", '"Territory" means the whole world, excluding the European Union.'),
    ("field_of_use", "This license does not grant any rights for use in the European Union."),
    ("naming", "If you distribute a fine-tuned model, name it with the prefix Kestrel-."),
    ("naming", 'Derivatives must be identified as "Kestrel-based" in their model cards.'),
    ("use_restriction", "Licensee must refrain from using the Model to harm minors."),
    ("use_restriction", "In no event may the Model be used to create malware."),
    ("terms_change", "We will post any modifications on this page, and they take effect at once."),
    ("terms_change", "You must comply with the then-current version of the Acceptable Use Policy."),
    ("terms_change", "The Usage Policy in effect from time to time applies to your use."),
    (
        "naming",
        'Derivatives must be named so as to show they are derived from Kestrel ("Kestrel-FT").',
    ),
    (
        "termination",
        "Kestrel may terminate this Agreement at once if you become subject to sanctions.",
    ),
]


# Look-alikes of the fourth round's patterns: permissive and copyleft licences' own wording.
FOURTH_ROUND_LOOK_ALIKES = [
    "You may terminate this licence at any time by destroying all copies of the Model.",
    "No terms of this licence can be modified unless done in a writing signed by all parties.",
    "This Agreement (as may be amended in accordance with its terms) applies to the Software.",
    "The Example Foundation may revise this license from time to time.",
    "We claim no rights in the outputs; you may use them for any purpose, including training.",
    "Export the Software only as export control laws allow, never to restricted parties.",
    "In no event will we be liable under any theory, whether based in contract or tort.",
    "The Software has been designed for research purposes only and is not a medical device.",
    "You must either buy a commercial licence or refrain from using the Licensed Work.",
    "We may suspend downloads of the Model at any time for maintenance.",
    "Users accessing the Software remotely over a network must be offered its source code.",
    "Any dispute goes to the courts of London, United Kingdom, excluding other venues.",
    "If you breach this licence and do not cure within 30 days, your rights terminate.",
    "If you initiate patent litigation against the Licensor, your patent licence ends.",
    "You may use the Model for research, evaluation and production.",
    "You may not use the Work for any purpose other than those permitted by this License.",
    "Licensee may not use the Software beyond the scope of this License.",
    "You must not use the Software in a way that removes or obscures its copyright notices.",
    "Output is not covered by this License and may be used to build any system.",
    "Modified versions must not be called by the original name.",
    "We may update the software, but you are not required to install updates.",
]


@pytest.mark.parametrize(("kind", "sentence"), FORMAL_ROUND + FOURTH_ROUND)
def test_formal_wording_is_found(kind: str, sentence: str) -> None:
    assert kind in _found(sentence), _found(sentence)


# Plain licence and model-card wording that restricts nothing.
PLAIN = [
    "You may use the Model for any purpose, including commercial purposes.",
    "The Model was trained on publicly available data and evaluated on standard benchmarks.",
    "Nothing in this licence restricts your use of outputs generated by the Model.",
    "We release the weights to support research and commercial applications alike.",
    "This licence does not grant you any rights in our trademarks.",
    "If you distribute the Model, you must include a copy of this licence.",
    "Contributions are welcome; see CONTRIBUTING.md for our code of conduct.",
    "The authors are not liable for any damages arising from the use of the Model.",
    "You may not claim that you wrote the original software.",
    "This licence is governed by the laws of the Netherlands.",
    "The Model is not a medical device and its outputs are not medical advice.",
    "We do not collect any data when you run the Model locally.",
    "Updates to the Model may be published on our website.",
    "You are responsible for complying with export laws that apply to you.",
    "The licence terminates automatically if you breach any of its conditions.",
    "Results on the benchmark are reported in the paper.",
    "You may run the Model on any hardware, including military-grade servers you own.",
    "Users in every country may use the Model.",
    "The Licensor may update the Model's documentation from time to time.",
    "Each contributor grants you a patent licence, which ends if you sue over patents.",
    "Synthetic data generated with the Model may be used to train other models.",
    "Please cite the paper if you use the Model in research.",
    "Modified versions must be marked as changed from the original.",
    "The software is provided for educational value and may be used commercially.",
    "This project follows the Contributor Covenant code of conduct.",
    "You can remotely access the demo at our website.",
    "The model card describes the model's intended uses and limitations.",
    "Safety filters are included in the demo; you may configure them.",
    "The licensee may not sublicense the software.",
    "Redistributions in binary form must reproduce the above copyright notice.",
]


@pytest.mark.parametrize("sentence", PLAIN + FOURTH_ROUND_LOOK_ALIKES)
def test_plain_wording_has_no_restrictive_clause(sentence: str) -> None:
    assert _found(sentence) == set()
