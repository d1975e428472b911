"""Clause rules for who and where a grant leaves out (rules/fields.py): excluded fields of use,
places, people, platforms.

Sentences written for these tests (tests/clause_cases.py says how).
The other families are in *_scope.py, *_obligations.py and *_powers.py.
"""

from __future__ import annotations

from tests.clause_cases import rule_tests

# Wording each rule must find, by kind.
FOUND: dict[str, list[str]] = {
    "field_of_use": [
        # eighth pass, rounds 50-58
        "Nothing in this licence authorises use of the Model within programmes for chemical"
        " weapons.",
        "Persons located in embargoed countries may not download the Model.",
        "Entities on a sanctions list may not download the weights.",
        "People who reside in one of the Excluded Countries may not register.",
        "Persons ordinarily resident in a sanctioned region may not stream the Model.",
        "No part of the imagery may be relied on to select military targets.",
        # eighth pass, rounds 41-49
        "The Software is offered to banks domiciled in Norway only.",
        "Running the Software on another vendor's accelerators falls outside what you have"
        " been granted.",
        "No licence is granted for recognising people by their faces.",
        "The grant is conditional on the app never sending frames for facial recognition.",
        "The model may not be deployed in a territory listed in Annex 3.",
        "Access by private companies is not licensed.",
        "Use of the valuation model in tax assessments is excluded from this licence.",
        # eighth pass: screening job applicants; 'neither it nor its affiliates will use'
        "The Toolkit may not be used to screen job applicants.",
        "The Licensee undertakes that neither it nor its subsidiaries will use the Software"
        " for military targeting.",
        "People located in countries where encryption is outlawed may not download the Software.",
        "The Dataset may not be used by any party to an armed conflict.",
        "The weights may not be shared with anyone outside your laboratory.",
        "The Lab Edition may be downloaded only by registered university staff.",
        "Excluded countries are listed in Schedule 4.",
        "The Corpus is available to registered charities only.",
        "The Weights are not made available to companies that build missiles or other weapons.",
        "Nothing hereunder shall permit use of the Model by an armed force.",
        "You shall not run the Driver on chips not made by Corvid.",
        "The toolkit is licensed only for building programs that execute on Corvid GPUs.",
        "Buyers located in sanctioned territories may not download the Models.",
        "You shall not use the Model in any process that approves or refuses mortgages.",
        "The Weights may not be used in games aimed at children.",
        "The Territory is Japan; the Software is not licensed elsewhere.",
        "Use of the Corpus is limited to employees of member libraries.",
        "The Software may serve all purposes except the guidance of weapons.",
        "Staff of the Organiser and their relatives may not enter or download the Corpus.",
        "The Model may not be used for defence or security purposes.",
        "This licence does not cover any Excluded Field named in Annex 2.",
        "Can companies from Iran license the Model? No, not under any circumstances.",
        "The Corpus is licensed to registered charities only.",
        "Decisions on a person's eligibility for housing assistance may not be made with the"
        " Model.",
        "The Model must not be used in immigration enforcement.",
        # eligibility for credit, housing or employment is a field (settled in the eighth pass)
        "The Model may not be used to judge whether a tenant is eligible for housing.",
        "The Model shall not decide anyone's eligibility for credit or insurance.",
        "You may not use the Toolkit to make a service which competes with the Vendor's.",
        "No licence is granted to anyone resident outside of Canada.",
        "The licence does not cover safety-critical applications such as avionics.",
        "You may not use the weights to develop a competing or similar model.",
        "The weights aren't licensed for military use.",
        "You may not deploy the Model in any territory named in Schedule 4.",
        "No rights are granted to any company that, with its group, sells cloud computing "
        "services.",
        "(b) use the weights in any firearm targeting system;",
        "Nothing here shall be read to permit any use of the Model by firms that produce "
        "ammunition.",
        "Eligibility decisions about welfare claims may not be made with the Model.",
        "The grant does not apply to anyone residing in an embargoed territory.",
        "The licence key is valid only for the device it was issued to.",
        "Only organisations headquartered in Canada can sign this agreement.",
        "Access from regions subject to United States embargoes is not permitted.",
        "No licence extends to law-enforcement use of the Model.",
        "You must not use the Model for analysis of facial images of passers-by.",
        "Copies are licensed to member universities for teaching, and to no one else.",
        "This grant covers use on laptops only.",
        "Screening job applicants for hiring with the Model falls outside the licence.",
        "No permission is given for uses relating to nuclear weapons.",
        "The app is open only to users who are resident in participating countries.",
        "The licence extends solely to running the Model on Kestrel accelerators.",
        "Children who have not attained the minimum age set by local law may not use the Service.",
        "In no event may the Model be used for credit scoring of consumers.",
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
        "You may run the Model only within the United Kingdom.",
        "The Territory covers every country except Brazil and India.",
        "No rights are granted to any person on a denied party list.",
        "You may only run the Weights on servers that use the Licensor's accelerator cards.",
        "Use of the Weights for policing or border enforcement is not allowed.",
        "You may not use the Model to operate a hosted API that competes with Orion.",
        "The Model may only be run by employees of member institutions.",
        "No rights are granted to users in a country subject to an arms embargo.",
        "This licence is not granted to entities based in an embargoed jurisdiction.",
        "The Weights are licensed only for internal use by accredited hospitals.",
        "You may not provide the Weights to others as a managed service.",
        "You may not use the Weights to offer a hosted inference service that competes with "
        "Cobalt.",
        "No use of the Model is permitted for nuclear weapons research.",
        "Use of the Model for facial recognition in public places is not licensed.",
        "If you are a company that sells cloud hosting, you may not offer the Weights to your "
        "customers.",
        "Persons named on any export control list may not use the Model.",
        "People younger than 16 are not allowed to use the Model.",
        "The Weights may not be used to select targets for lethal strikes.",
        "You may not offer the Software to the public as a stand-alone vector-search service.",
    ],
}

# Wording that looks like the clause but is not one (each a veto's or a narrowed pattern's case).
LOOK_ALIKES: dict[str, list[str]] = {
    "field_of_use": [
        # eighth pass, rounds 50-58
        "Our embargo on press coverage lifts on 1 May.",
        # eighth pass, rounds 41-49
        "Hiring and lending appear in this card as risks to assess.",
        # eighth pass
        "The corpus includes essays written by job applicants, anonymised before release.",
        "Our paper measures eligibility for employment programmes across regions.",
        "Access is restricted to users who have verified their e-mail address.",
        "People in Canada may not yet see the new features.",
        "Training data for the model was not provided by any government agency.",
        "Support is not provided for deployments in military settings.",
        "If you are a school, the Toolkit is licensed to you with only the rights in this"
        " document.",
        "The Driver runs on Corvid GPUs and on processors from other vendors.",
        "The manual explains that its use is restricted to experienced administrators.",
        "You may not use Wren's completions to build a model that competes with Wren.",
        "Can people in Brazil use Heron? Yes, the licence is worldwide.",
        "Our annotators were based outside the European Union.",
        "Do not rely on answers for safety-critical decisions without checking them.",
        "Use of the Model by police forces is permitted under these terms.",
        "This licence does not restrict any field of use, military research included.",
        "Examples such as weapons screening are given to explain the policy rather than to "
        "restrict anyone.",
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
        "The Licensor's entity list of subsidiaries is in Appendix C.",
        "The licence does not cover regimental badges or military insignia, which the "
        "publisher is not authorised to license.",
        "Orion may end the licence if you start selling a service that competes with Orion.",
        "You shall not attempt to break into the hosted service.",
        "Customers who reach the Model through a hosted service must follow our Prohibited "
        "Use Policy.",
    ],
}


test_wording_is_found, test_look_alike_is_not_the_clause = rule_tests(FOUND, LOOK_ALIKES)
