"""Clause rules for what a grant covers (rules/use_scope.py, rules/caps.py): caps,
non-commercial, research-only, output use, use restrictions, excluded fields, places, people.

Sentences written for these tests (tests/clause_cases.py says how).
The other families are in *_obligations.py and *_powers.py.
"""

from __future__ import annotations

from tests.clause_cases import rule_tests

# Wording each rule must find, by kind.
FOUND: dict[str, list[str]] = {
    "revenue_cap": [
        "Companies with more than $10 million in annual revenue must buy a licence.",
    ],
    "user_cap": [
        "If your product has more than 50 million users you need our permission.",
        "Services with more than 2 million daily active users need a separate licence.",
    ],
    "non_commercial": [
        "To obtain a licence for commercial use, contact sales@example.com.",
        "Distribution by a commercial company is prohibited where payment is received.",
        "You may not use the Model to generate revenue.",
        "This licence grants no right to use the Weights for any commercial purpose.",
        "Commercial exploitation of the Model is reserved to the Licensor.",
        "The Model may only be used for non-commercial purposes.",
        "Commercial deployment of the Weights requires prior registration with Orion Labs.",
        "Anyone wishing to use the Model commercially must submit a request through our portal.",
        "The weights are shared under a CC BY-NC 4.0 licence.",
        "For commercial usage, get in touch with partnerships@example.com.",
        "Commercial use of the Model, whether in an app, an API or an internal tool, needs a "
        "separate licence.",
    ],
    "research_only": [
        "The Weights are licensed for non-commercial research and nothing more.",
        "Any use other than evaluation requires a separate agreement.",
        "The Weights may be used for academic purposes only.",
        "Use of the Model is restricted to evaluation and internal testing; production "
        "deployment requires a commercial licence.",
        "This is a research licence: commercial or production use is not allowed.",
        "You may use the Model solely to conduct non-commercial scientific research.",
        "The Model is made available for evaluation purposes and may not be deployed in any "
        "product.",
        "The Weights are released for non-commercial research purposes only.",
        "You may only use the Model to evaluate its capabilities; no other use is licensed.",
        "Use is permitted for academic research; all other use is prohibited.",
        "This model is for testing only and must not be used in production.",
        "Licensee may use the Model solely for the purpose of internal research and development.",
        "- Permitted use: research and evaluation only.",
        "Use of the Model in a production environment is expressly excluded from this licence.",
        "The Materials may be used for research and testing and for no other purpose.",
        "You may use the Software for internal evaluation, but not in production.",
        "You may evaluate the Model internally, but you may not deploy it.",
        "Permitted Purpose means non-commercial scientific research.",
        "The Software may not be used for any purpose except academic research.",
        "The Model is made available for academic use only.",
        "This is a research licence: no rights are granted for production or commercial "
        "deployment.",
        "The Weights are provided for non-commercial research use; any other use is outside "
        "this Licence.",
        "You may use the Model solely to conduct and publish academic research.",
        "Use in production systems is not authorised under this licence.",
        "This licence permits internal evaluation of the Model for up to ninety days.",
        "Usage is confined to non-commercial academic purposes.",
        "The Weights are released under a research-only licence.",
        "Licensee may use the Model internally to evaluate it and for no other purpose.",
        "Borealis grants you a non-exclusive licence to use and modify the Model for research "
        "purposes.",
        "Subject to these terms, you are licensed to run the Weights for evaluation use.",
        '"Research Use" means non-commercial academic investigation.',
        "Nothing beyond research is licensed: any use outside research needs our written consent.",
        "You may trial the Weights for a period of 14 days.",
        "The Model may support your research, but it may not be used to offer services to "
        "customers.",
    ],
    "output_use": [
        "You may not use outputs of the Model to develop a competing large language model.",
        "Outputs of the Model may not be used to train any other model.",
        "You shall not use the Model's generations to fine-tune a competing model.",
        "Licensee shall not use any Output to develop models that compete with Nimbus.",
        "Neither the Model nor any output from it may be used to train another model.",
        "Do not distil the Model into any other language model.",
        "The Licensee shall not use any text or data produced by the Model as training data for "
        "another model.",
        "Content generated by the Model may not be used to create datasets for training other "
        "models.",
        "You shall not use Outputs to develop models that compete with Kestrel.",
        "You may not use the responses of the Model to improve or fine-tune any third-party model.",
        "Outputs may be used for any purpose except training a model that competes with Aster.",
        "Any content you generate with the Model is subject to the use restrictions in section 5.",
        "You may not feed whatever the Model produces into the training of another LLM.",
        "Generated outputs must not be used in a manner that conflicts with the restrictions "
        "in Schedule 2.",
    ],
    "use_restriction": [
        "The Model cannot be used to build a rival speech recogniser.",
        "Users are prohibited from using the Model to stalk anyone.",
        "The following uses are strictly prohibited:",
        "You must not use the Model for any of the purposes listed below:",
        "Licensee shall not use the Software, or allow others to use it, to generate "
        "disinformation.",
        "It is forbidden to use the Model to impersonate real people.",
        "You agree that you will not: (a) harass others with the Model;",
        "Use of the Model to produce malware is not permitted.",
        "You will not use the Model, or any derivative of it, to:",
        "Licensee agrees not to use the Software for the following purposes:",
        "The Model must not be used for generating spam.",
        "You may not deploy the Model in ways that deceive users.",
        "3.2 Licensee shall not, and shall not permit any third party to:",
        "* Do not use Nimbus to create weapons.",
        "Licensee undertakes not to use the Model to infringe the rights of others.",
        "Licensee must refrain from using the Model to harm minors.",
        "In no event may the Model be used to create malware.",
        "The Model must never be employed to generate disinformation.",
        "It is forbidden to use the Model for harassment.",
        "You are not allowed to use the Model to impersonate people.",
        "None of the following uses is permitted:",
        "You shall not employ the Model for any of the following purposes:",
        "The Model shall not be used in any manner that violates applicable law.",
        "Licensee agrees to refrain from using the Model to generate spam.",
        "The Model is not to be used for any unlawful purpose.",
        "Use of the Model to create malware is expressly forbidden.",
        "Licensee shall not, and shall not permit any third party to, use the Model to:",
        "Under no circumstances may the Weights be employed to track individuals.",
        "In no case shall the Software be utilised for phishing.",
        "Licensee must make sure the Model is never deployed to produce hate speech.",
        "Nobody may use the Model to create non-consensual intimate imagery.",
        "The Materials shall not be put to use in automated decisions that deny people benefits.",
        "You will not operate any public chatbot built on the Model without a content review "
        "process.",
        "Prohibited activities under this Agreement include:",
        "Using the Weights to stalk anyone is expressly prohibited.",
    ],
    "field_of_use": [
        # a ban on one field is field_of_use, not also use_restriction (CLAUSES.md)
        "Licensee undertakes not to use the Model for surveillance of individuals.",
        "You shall use the Dataset solely for climate modelling.",
        "The Weights may not be used by persons who are not members of the consortium.",
        "A permitted purpose is any purpose other than a competing service.",
        "The grant extends only to applications that run on a Heron device.",
        "The Model must not be used in military applications.",
        "Persons located in embargoed territories may not use the Model.",
        "The Model may not be used by or for any military organisation.",
        "No rights are granted to entities incorporated in Freedonia.",
        "You may not use the Model for surveillance of individuals.",
        "Nothing in this licence permits use of the Model in the oil and gas industry.",
        "Use of the Model by government agencies is excluded from this licence.",
        "You may use the Software only in connection with Kestrel hardware products.",
        '"Territory" means the whole world, excluding the European Union.',
        "This license does not grant any rights for use in the European Union.",
        "The Model may not be deployed in any weapons system.",
        "The licence does not extend to use by any armed forces or intelligence agency.",
        "Persons resident in the Territory of Exclusion may not use the Model.",
        "You may use the Model only with Kestrel-certified hardware.",
        "The grant applies only within the European Economic Area.",
        "This licence does not permit use of the Model for medical diagnosis.",
        "Only individuals and non-profit organisations may use the Model.",
        "The licence excludes use by or on behalf of any defence contractor.",
        "Any organisation that is a data broker shall not use the Model.",
        "The Software is unavailable for police use.",
        "Rights are granted for use with Acme accelerators only.",
        "The Model is provided only to accredited universities.",
        "You agree not to use the Model for electoral campaigning.",
    ],
}

# Wording that looks like the clause but is not one (each a veto's or a narrowed pattern's case).
LOOK_ALIKES: dict[str, list[str]] = {
    "non_commercial": [
        "This licence is intended to facilitate the commercial use of the Program, so "
        "distributors should not create liability for others.",
        "The fonts may be sold with software, but not by themselves.",
    ],
    "research_only": [
        "Use includes, but is not limited to, training and evaluating the Model.",
        "You may use the Model for research or commercial purposes.",
        "We hope the Model supports research on language.",
        "The model was trained for research and is released for everyone to use.",
        "This licence applies to research, testing and production use alike.",
        "This licence is not limited to research use.",
        "We encourage academic research with the Model and also allow commercial products.",
        "We grant you a licence to use the Model for research and commercial purposes.",
        "You are licensed to use the Model for any purpose, including research purposes.",
        "The grant covers research, evaluation and production use.",
        "This model helps research, but may not be suitable for products.",
    ],
    "output_use": [
        "You own the outputs you create with the Model.",
        "Outputs are not subject to this licence, and you may use them to train other models.",
        "We do not claim ownership of outputs, which you may use to develop other AI systems.",
        "You must not publish benchmark results of the Model without our consent.",
        "You own the outputs and may use them for any purpose, including training other models.",
        "The outputs may contain errors and should not be used without human review.",
        "Kestrel does not use your outputs to train its models.",
        "You may use outputs to improve your own products and models.",
        "You are permitted to redistribute output of the generator, even where doing so would "
        "otherwise violate this licence.",
    ],
    "use_restriction": [
        "The name of the author may not be used to endorse products.",
        "You may not use this file except in compliance with the License.",
        "Do not install the software until you have read these terms.",
        "The following uses shall not in themselves be a breach of this section:",
        "Any use of the Work other than as authorised here is prohibited.",
        "You may not use the Model after this licence has ended.",
        "You must include the use restrictions of section 4 in any licence you grant.",
        "You may not use this file except under the terms of the Licence.",
        "Nothing in this licence restricts how you use the Model.",
        "You must not use the Model if you do not accept these terms.",
        "You are not to be held liable for how others use the Model.",
    ],
    "field_of_use": [
        "Such election will not withdraw this licence.",
        "This does not require the bundle incorporated in a collection to be relicensed.",
        "Advances in artificial intelligence must not be held back by this licence.",
        "Disputes go to the courts located in the venue named in a notice.",
        "The Licensor is located in Germany and does not offer support.",
        "The Model is not intended for use in clinical settings.",
        "The Model is available to users in all countries, including the United States.",
        "You are not required to live in the European Union to use the Model.",
        "Governments, companies and individuals may all use the Model.",
        "The Model is provided without warranty for military or civilian use.",
        "This licence does not permit you to use the Licensor's trademarks.",
        "The Licensor is incorporated in Delaware and based in the United States.",
        "A user who is a student may use the Model free of charge.",
        "The Model runs on GPUs only when CUDA is installed.",
    ],
}


test_wording_is_found, test_look_alike_is_not_the_clause = rule_tests(FOUND, LOOK_ALIKES)
