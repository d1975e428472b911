"""Clause rules for what a grant covers (rules/use_scope.py, rules/caps.py): caps,
non-commercial, research-only, output use, use restrictions.

Sentences written for these tests (tests/clause_cases.py says how).
The other families are in *_fields.py, *_obligations.py and *_powers.py.
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
        "You may evaluate the Model, and for no commercial or production purpose may you run it.",
        "Once your registration has been approved, commercial use of the Weights is free.",
        "Businesses may use the Model commercially after they fill out the online form.",
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
        "You may study the Weights in your lab, and you may not embed them in any product.",
        "Commercial deployment is outside the scope of this licence; production use is "
        "outside this licence too.",
        "The Checkpoint may be used solely for the assessment of its accuracy.",
        "The Weights must not be used for anything other than evaluation.",
        "Use the Model for benchmarking, and for no operational purpose.",
        "Nothing here licenses use of the Weights in any live or operational system.",
        "Use of the Model for anything except academic study requires a licence from us.",
        "You may try the Model on your laptop, but you may not use it to serve customers.",
        "Rights are granted for the sole purpose of academic evaluation.",
        "Other than for benchmarking, you are not permitted to run the Model.",
        "This is a non-production licence for the Orion weights.",
        "The grant covers benchmarking the Model and nothing more.",
        "You may not run the Weights except for internal testing.",
        "Under this research licence, no use in products is allowed.",
        "The Weights may only be run in a sandbox environment.",
        "Use of the Model outside an academic context needs our consent.",
        "The Model may not be used for purposes other than scientific research.",
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
        "Responses generated by the Model must not be used for distillation of other networks.",
        "Outputs may not be used to compete with Cobalt Labs.",
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
        "Neither the Licensee nor its customers may use the Model to build spyware.",
        "You will not use the Weights to publish content that promotes violence.",
        "In particular, you undertake not to:",
        "Licensees shall ensure that the Weights are never used for covert profiling of "
        "individuals.",
        "You must not negligently allow anyone to use the Model for fraud.",
        "Under this Agreement the following is strictly prohibited:",
        "Licensees must abstain from utilising the Model to profile individuals.",
        "You will not, and will make sure your contractors do not, use the Model to spy on anyone.",
        "Forbidden uses: using the Model to create fake reviews.",
        "The Model must not be employed, whether by you or by others, to defraud anyone.",
        "You may not make the Weights available for any of the activities listed in Schedule 3.",
    ],
}

# Wording that looks like the clause but is not one (each a veto's or a narrowed pattern's case).
LOOK_ALIKES: dict[str, list[str]] = {
    "non_commercial": [
        "This licence is intended to facilitate the commercial use of the Program, so "
        "distributors should not create liability for others.",
        "The fonts may be sold with software, but not by themselves.",
        "The terms apply to commercial use in the same way as to any other use.",
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
        "The datasets are released for research transparency.",
        "Our testing covered only the English-language version of the Model.",
        "The 7B variant was evaluated only on English benchmarks.",
        "We only publish checkpoints that have passed our evaluation suite.",
        "Our research licence is described elsewhere; this model uses the open licence.",
        "Benchmark results below cover only the instruction-tuned variant.",
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
        "Your prompts and outputs are private; we do not store them or use them for training.",
        "A model trained on outputs of the Weights does not count as a derivative of them.",
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
        "You must not use the Model where this would breach export regulations.",
        "After the licence term expires, you must not use the Weights.",
        "You may not use Lyra's name to promote your services.",
        "If you want others not to be able to use your file under this licence, delete this "
        "notice and replace it with yours.",
        "You may not use this Agreement to claim rights against third parties.",
        "You may not use the Weights without first accepting these terms.",
        "You must stop using the Model once this licence has expired.",
        "We will not use your fine-tuning data except to provide the service.",
    ],
}


test_wording_is_found, test_look_alike_is_not_the_clause = rule_tests(FOUND, LOOK_ALIKES)
