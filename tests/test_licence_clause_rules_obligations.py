"""Clause rules for what a user must do (rules/obligations.py, rules/naming.py): use policies
(AUP), prescribed names, notices, safety guardrails, flow-down; plain wording with no clause;
overlaps (settle).

Sentences written for these tests (tests/clause_cases.py says how).
The other families are in *_scope.py, *_fields.py and *_powers.py.
"""

from __future__ import annotations

import pytest

from modelbazaar.licenses.rules import ORDER, RULES
from modelbazaar.licenses.rules.look_alikes import settle
from tests.clause_cases import found, rule_tests

# Wording each rule must find, by kind.
FOUND: dict[str, list[str]] = {
    "aup": [
        # ninth pass: a use policy by any name, made binding
        "Every deployment must conform to the Harbour Responsible Robotics Charter.",
        "Use of the toolkit is governed by the Quayside Fair Use Principles.",
        "Licensees shall honour the Fenwick Ethical Deployment Guidelines in every product.",
        "Your use of the Weights must not violate the Orbit AUP.",
        "Operators may deploy the Model only as permitted by the Usage Guidelines.",
        "We may revise this Acceptable Use Policy whenever we see fit.",
        "Your use of the Model is governed by the Acme Responsible AI Policy.",
        "Any use in breach of the AUP is a breach of this licence.",
        "You must use the Model in accordance with the Nimbus Use Policy.",
        "The Prohibited Use Policy forms part of this Agreement.",
        "Use of the Model is conditioned on compliance with the AUP.",
        "Licensee shall use the Model only in conformity with the Nimbus Usage Guidelines.",
        "Schedule 3 (Acceptable Use) forms part of this Licence.",
        "Deployments must respect the Ethical AI Principles published by the licensor.",
        "Deployers must observe the Responsible AI Guide that accompanies the Model.",
        "Every deployment must be in conformity with the Orion Acceptable Use Policy.",
    ],
    "naming": [
        # eighth pass, rounds 50-58
        "Dataset cards must carry, near the title, the line 'Labelled on Tally'.",
        "Every report is to carry in its footer the legend 'Drafted with Quill'.",
        "The widget shall show 'Answers by Vela' under the input box.",
        "Fine-tunes shall carry a designation that opens with 'vela-ft-'.",
        "Community builds are designated by appending the suffix '-community' to the model name.",
        # eighth pass, rounds 41-49
        "Each derivative must be labelled 'Powered by Wren'.",
        "Apps must show the 'Built with Wren' splash screen at start-up.",
        "Model cards must state, near the top, 'Based on Wren-7B'.",
        "Distributors shall append '-wren' to the original model name.",
        "Checkpoints must be published under the naming scheme wren-<size>.",
        "Any fork has to include the word Wren somewhere in its name.",
        "Releases must ship with the statement 'Trained on the Wren corpus'.",
        "Its public name has to open with 'Wren-'.",
        "Each release must rename the file so that its name ends in '-wren'.",
        # eighth pass: participles, first words, quoted badges and statements
        "Any adapter you publish must carry a name containing 'Wren-adapter'.",
        "Every release has to keep 'Osprey' as its first word.",
        "Each fork shall ensure it is named 'Heron-' followed by a descriptor.",
        "Resellers shall affix the 'Kestrel Inside' sticker to every box.",
        "Every app must display the wording 'Uses Ibis speech' on its about screen.",
        "Vendors must state that the kiosk 'runs Ibis vision'.",
        "The title suffix '-ibis' is mandatory for derived voices.",
        'Each listing must read "Runs on Wren" under its title.',
        "Every title built with the Kit must show the Kit's logo on its loading screen.",
        "A merged model's name needs to include the names of its parents.",
        'Licensee must ensure that each fork\'s name carries the word "Corvid".',
        'Every kit that includes the Library must bear the "Corvid Ready" seal on its box.',
        'Apps must display the "Made with Wren" badge on their start screen.',
        "Call every derivative orca_ followed by a short tag.",
        "Please name your adapter heron-[language] so that it can be traced to Heron.",
        'Forks are required to ship under names starting with "Wren".',
        "Each Adapter must be titled in accordance with Schedule 5.",
        'Community models bear the "-heron" suffix.',
        'Does my fork need Heron in its name? Yes, its name needs to begin with "Heron".',
        'Adapters must describe themselves as "based on Orbis-7B" in their model cards.',
        'Every fine-tune must have "-corvid" at the end of its name.',
        "Name your variants something that begins with corvid.",
        'Put "Corvid" at the front of every fork\'s name.',
        "The title of every fork must carry the Corvid prefix.",
        "Every fork must carry a project name which begins with corvid-.",
        'The words "Corvid inside" must appear on the packaging.',
        'Your product must show a banner reading "Search uses Corvid".',
        "Apps that use the Model must state in their store listing that they contain Corvid "
        "technology.",
        "Models built from Corvid must be marked as such in their names.",
        "You must name each fine-tune according to the pattern Corvid-<task>.",
        'Your model name must end with the suffix "-cv".',
        "Any derivative's name is to include the word Corvid.",
        "Any variant's name should begin with Corvid.",
        "You may not release a modified model under a name which lacks the Corvid prefix.",
        "You shall identify it as a Corvid derivative on its model page.",
        "Products built on the Model are obliged to display a notice that they are powered by "
        "Corvid.",
        "Every fine-tune must use a name whose leading word is Corvid.",
        "Derivatives may only be referred to as Heron Derivatives.",
        "Your app must state that it is built on Heron by Heron Labs.",
        "The Licensor's name shall appear on the front page of every product.",
        'Any fine-tuned model must have "Acme" in its name.',
        "When you publish a derivative, its name must start with Acme-.",
        "You shall credit Acme by displaying the phrase Powered by Acme in your user interface.",
        "Products using the Model must carry the Acme logo on their home page.",
        "Every derivative model shall be named so that its name contains the word Nimbus.",
        'You must label any service built with the Model as "Nimbus inside".',
        "Any distribution of a fine-tuned version must be branded with the Nimbus name.",
        'Attribution: products must display "Based on Nimbus" in their about screen.',
        'Derivative Models shall bear the prefix "Nimbus-" in their names.',
        'Licensee shall display the notice "Powered by Nimbus" wherever the Model is used.',
        "If you distribute a fine-tuned model, name it with the prefix Kestrel-.",
        'Derivatives must be identified as "Kestrel-based" in their model cards.',
        'Derivatives must be named so as to show they are derived from Kestrel ("Kestrel-FT").',
        "Any fine-tuned version you release must carry the Zephyrine name in its title.",
        "You shall display the notice 'Powered by Zephyrine' on your product's about page.",
        "Derivative models must be named in the form Zephyrine-<your name>.",
        "Products incorporating the Model must acknowledge, in their user interface, that they "
        "are built with Zephyrine.",
        "Model names of derivatives must begin with the prefix 'zeph-'.",
        "When you publish a derivative, its repository name must include the word Zephyrine.",
        "Include the phrase Built with Zephyrine in a prominent place on any website that uses "
        "the Model.",
        'Every public deployment of the Model shall bear the mark "Kestrel Inside".',
        "You agree to identify any derivative as a Kestrel derivative in its documentation and "
        "name.",
        "Derivatives must use the naming convention kestrel-<task>-<size>.",
        "You must retain the Kestrel prefix in the name of every model you derive from the "
        "Weights.",
        'Licensee shall ensure that the name of any Derivative Model begins with "Aster".',
        'The attribution "Powered by Aster" must appear in a visible place in your application.',
        "Each product made available to end users must visibly mention that it uses Aster.",
        "Fine-tuned models must include 'Borealis' in their names.",
        "Place the words 'Built with Borealis' at the start of your model card.",
        "You must mention the name Vega in the title of every derivative you publish.",
        "A fine-tuned model's name must retain the word Sirius.",
        "Licensees shall state in the release notes that their model was created from Polaris.",
        "You must identify each fine-tuned model as a derivative of Rigel.",
        "Publish any derivative under a name which begins with the word Lyra.",
        "You must describe each fine-tuned model as derived from Lyra on its download page.",
        "Your chat product shall disclose the underlying model to users as Lyra.",
        "The titles of all derivatives you publish must contain the original model name.",
        "Derivatives are to be released under names following the pattern Vela-<size>-<variant>.",
        "Your app must inform users, in its about box, that it is powered by Vela.",
        "Any checkpoint name you choose shall begin with Vela.",
        "Name your fine-tuned model by following the Orion naming rules.",
        "Every derivative shall use the prefix Cobalt- at the start of its name.",
        "Your model must carry the Cobalt name as the first word of its name.",
        "The name you choose must indicate that the model is based on Cobalt.",
        'Derivatives shall be designated as "Cobalt-derived" on their download page.',
        "The leading word of every derivative's name must be Cobalt.",
        "Public fine-tunes shall be labelled in a way that makes clear which base model they "
        "come from.",
        "Each hosted service must name Cobalt as the base model on its landing page.",
    ],
    "safety_guardrail": [
        # ninth pass: interlocks, provenance manifests, hooks that must stay on
        "The overload interlock shipped with the planner may not be suppressed or patched out.",
        "Every image carries a provenance manifest that no licensee may strip or forge.",
        "The escalation hook, which routes self-harm messages on, must remain connected.",
        "If you disable any safety filter or digital rights management in the Model, this"
        " licence ends.",
        "You must not disable the safety classifier shipped with the Model.",
    ],
    "flow_down": [
        # ninth pass: binding, passing on and flowing down to named downstream parties
        "Each reseller must bind every school it supplies to the Usage Limits in Schedule 2.",
        "Integrators shall pass the prohibitions in Clause 9 on to their own customers.",
        "A distributor must flow down Sections 4 to 6 to each client.",
        "You shall present end users with terms forbidding the uses banned by Section 8.",
        "Do not transfer the Images to anyone unless the recipient has signed the access terms.",
        "You may give the Corpus to a colleague only if that colleague has first agreed to"
        " this licence.",
        "End customers must first accept the licence restrictions before using your app.",
        "You must offer your customers only terms that are at least as strict as these.",
        "You bind every sublicensee to these terms.",
        "These conditions apply to all copies and derivatives of the Weights.",
        "You must pass these restrictions on to any party you provide the Model to.",
        "Every customer of your hosted service must first accept terms that include these "
        "restrictions.",
        "You may hand the Weights only to third parties who agree to this licence.",
        "Any licence under which you share the Weights must reproduce the use restrictions of "
        "Annex A.",
        "Your customers must be told of, and accept, the restrictions in section 4.",
        "Each recipient of a derivative must accept it before use.",
        "You must impose the same limitations on every end user of your application.",
        "Each customer of your service must be informed that the Acceptable Use Policy binds them.",
        "Any sublicence you grant must contain conditions no less protective of the Licensor "
        "than these.",
        "You must ensure that each of your resellers requires its customers to impose the "
        "same limits.",
    ],
}

# Wording that looks like the clause but is not one (each a veto's or a narrowed pattern's case).
LOOK_ALIKES: dict[str, list[str]] = {
    "aup": [
        # ninth pass: a policy said not to bind; program code; industry standards
        "Our Responsible Use Standard is guidance only, not a condition of this licence.",
        "You must make the source code available under the terms of this License.",
        "Products must comply with the relevant industry standards for electrical safety.",
        "Reporting violations of the Acceptable Use Policy: abuse@example.com",
        "This project follows the Contributor Covenant code of conduct.",
    ],
    "naming": [
        # eighth pass, rounds 50-58
        "The widget shall show 'Loading...' while the model runs.",
        # eighth pass, rounds 41-49
        "A 'Built with Wren' badge: optional.",
        "Maps must carry the copyright line '(c) Orbwen 2025'.",
        # eighth pass: optional badges
        "Add the 'Built on Tidewater' badge if you'd like; it is optional.",
        "The display must show the time in the format 'HH:MM'.",
        "Each file name includes the date of the release.",
        "Do I have to put Heron in my model's name? No, any name is fine.",
        "If you like, your product page can say it is built with Corvid.",
        "You may give your fine-tune any name that does not imply our endorsement.",
        "You may not use the Zephyrine name to endorse your product.",
        "Give appropriate credit and indicate if changes were made.",
        "Modified versions must not be called Zephyrine.",
        "This disclaimer must be displayed prominently in every copy.",
        "Redistributions must retain the above copyright notice and this list of conditions.",
        "You must give credit to the original authors in your documentation.",
        "You may not use the Kestrel logo without permission.",
        "Please include the name of the licence in any copy.",
        "You may state that your product is compatible with Aster.",
        "You must acknowledge that the product includes software developed by Aster contributors.",
        "The file 'LICENSE' must be included in the root of the repository.",
        "Naming Conventions.",
        "If you change the protocol, rename your product so our naming conventions are unused.",
        "You must mention any known limitations in the model card.",
        "Your derivative's name must not include our trademark.",
        "You may give your derivative a name of your choice.",
        "Names of contributors are listed in the AUTHORS file.",
        "Do not use the Cobalt name in advertising without our permission.",
    ],
    "flow_down": [
        # ninth pass: the licence accepted directly; 'binding on' as an adjective; a revised charter
        "Commercial and hobby users alike must accept these terms before downloading.",
        "Part 2 is only binding on each Recipient to the extent it sets out duties.",
        "The revised Charter binds all Members from the date it is circulated.",
        "Amendments to these terms bind every licensee from the date they are posted.",
        "Amended licence conditions apply to all copies from the date we publish them.",
        "You may share the Corpus with colleagues, and they need not sign anything.",
        "Your own licence may differ, provided its terms are no less protective of the authors "
        "than these.",
        "You need not pass these terms on to your customers.",
        "An amended licence will bind every user from the day it is published.",
        "Every user must comply with applicable export laws.",
        "Your licence agreement with customers may contain additional terms of your own.",
        "Your users may choose whether to accept cookies.",
        "You may not impose any further restrictions on the recipients of the Model.",
        "Generated text is not subject to the restrictions that apply to derivatives.",
    ],
    "safety_guardrail": [
        # ninth pass: safety features the user controls; a red-team invitation; 'crop science'
        "The profanity filter can be turned off by administrators in the settings page.",
        "Researchers are encouraged to try to bypass the classifier inside the sandbox.",
        "The pipeline ships an optional NSFW checker that you can switch off.",
        "Growers in crop science are encouraged to run their own biosafety review.",
        "You shall not use the Model to bypass the technical protection measures of any website.",
    ],
}


test_wording_is_found, test_look_alike_is_not_the_clause = rule_tests(FOUND, LOOK_ALIKES)


# Plain licence and model-card wording that restricts nothing, in any category.
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


@pytest.mark.parametrize("sentence", PLAIN)
def test_plain_wording_has_no_restrictive_clause(sentence: str) -> None:
    assert found(sentence) == set()


def test_a_more_specific_kind_replaces_use_restriction_and_caps_replace_field_of_use() -> None:
    assert settle(["output_use", "use_restriction"], "outputs must not train models") == [
        "output_use"
    ]
    assert settle(["revenue_cap", "field_of_use"], "available only to small firms") == [
        "revenue_cap"
    ]


def test_passing_restrictions_on_is_flow_down_not_a_use_restriction() -> None:
    assert settle(["use_restriction", "flow_down"], "include the restrictions in any licence") == [
        "flow_down"
    ]


def test_rule_families_are_listed_in_one_order() -> None:
    assert list(RULES) == list(ORDER) and len(set(ORDER)) == len(ORDER)
