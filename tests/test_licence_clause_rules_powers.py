"""Clause rules for what the licensor keeps (rules/licensor_powers.py, rules/terms.py): terms
changes, termination, remote restriction.

Sentences written for these tests (tests/clause_cases.py says how).
The other families are in *_scope.py, *_fields.py and *_obligations.py.
"""

from __future__ import annotations

from tests.clause_cases import rule_tests

# Wording each rule must find, by kind.
FOUND: dict[str, list[str]] = {
    "terms_change": [
        # eighth pass, rounds 50-58
        "Each addition to Schedule 2 binds every licensee from the day it is posted.",
        "Revised terms, applying to all existing keyholders, take effect on notice.",
        "The revised Charter binds all members from its date of circulation.",
        "The Requester Rules may be revised by the platform whenever it sees fit.",
        "The Conduct Policy, which Ironveil revises as new threats appear, binds every user.",
        "The Ethics Annex, which the Council reviews each year and may amend, forms part of"
        " this licence.",
        "We may reword the Ethics Annex on notice.",
        # eighth pass, rounds 41-49
        "We reserve the right to vary the Data Access Terms at any time.",
        "The supplier may amend the Service Addendum by notice, and amendments bind the customer.",
        "We may update the list of blocked model sources at any time.",
        "The publisher can rewrite this licence whenever it wishes.",
        "The Hub Charter, which Orbwen revises every year, binds all members.",
        # eighth pass: terms reaching earlier copies, deemed acceptance, the latest posted licence
        "The portal's current conditions govern each download, even one made under an earlier"
        " version of the terms.",
        "Anyone still using the weights after 1 May is treated as having accepted the revised"
        " licence.",
        "The licence most recently published on our site governs every deployment.",
        "We will keep revising these guidelines as new risks emerge.",
        "Our content standards, which we may tighten at any time, form part of this licence.",
        "The Board reserves the power to amend these terms.",
        "The Foundation may revise this licence, and each revision binds existing licensees"
        " at once.",
        "This acceptable conduct policy is revised periodically.",
        "These terms govern each copy of the Weights, whenever downloaded.",
        "The revised Annex C binds all current licensees from the day it is posted.",
        "Our guidelines evolve, and the version on this page is the one that binds you.",
        "The Licensor may substitute new terms for this agreement on thirty days' notice.",
        "The Publisher may revise the download conditions, and continued downloading means"
        " acceptance.",
        "We may narrow the permitted uses in this licence at any time.",
        "Each later version of these terms takes effect automatically when we publish it.",
        "Each update to the scoring script or to this agreement takes effect when posted on"
        " the forum.",
        "The Host may revise these Challenge Guidelines whenever it wishes.",
        "The most recent licence always applies.",
        "Changes to these terms: at any time, by notice on our site.",
        "This agreement is revised yearly, and the version in force at the time of download"
        " applies.",
        "Updated licence conditions apply to every copy you hold from the date they are issued.",
        "Each new release of the Toolkit is governed by the then-current EULA.",
        "The revised agreement applies to all downloads made after its release.",
        "We may change the Benchmark Terms, and researchers must follow the latest text.",
        "The Licensor may amend this EULA by notice in the application.",
        "Orbis may revise these Platform Access Terms whenever it sees fit.",
        "Acme can impose further limitations on your use at any time.",
        "Check this page regularly: our terms change and the latest version applies.",
        "We could revise these rules at some point.",
        "Each such change will become effective on the date it is posted.",
        "Acme reserves the right, which it may exercise whenever it sees fit and without asking"
        " anyone, to amend these terms.",
        "You are deemed to accept all changes to the licence by keeping the Model.",
        "The prohibited-use policy is a living document.",
        "Acme may restate these terms from time to time.",
        "Acme may publish supplemental rules that form an integral part of this licence.",
        "We may update the policy, and changes to it are effective when we post them.",
        "The restrictions in this licence may be expanded by notice from the Licensor.",
        "Orbit may amend the list of prohibited uses at any time.",
        "Later versions of these terms will apply to copies you already hold.",
        "We may adjust this licence from time to time.",
        "The Licensor shall be entitled to amend these terms by notice on its website.",
        "Updated versions of this licence become effective as soon as they are published on our"
        " site.",
        "Heron Labs has the right to amend this licence at any time.",
        "The licence terms are subject to change without notice.",
        "You must follow the Style Rules as updated from time to time.",
        "We will notify you of material changes to this agreement by e-mail.",
        "Acme may from time to time publish amendments to this Agreement, which bind you from "
        "the date of publication.",
        "The terms of this licence can be modified by the Licensor at its discretion.",
        "Acme may update these terms; your continued use after the update means you accept them.",
        "The current version of these terms will always be available at example.com/terms and "
        "supersedes earlier versions.",
        "Licensor reserves the right to amend or replace this licence at any time.",
        "Nimbus Labs may change this licence; changes apply to all future use of the Model.",
        "These terms may be updated by us without prior notice.",
        "We may modify the Acceptable Use Policy at any time.",
        "By using the Model after we post a new version of these terms, you accept it.",
        "Licensor may vary the terms of this Licence by publishing the varied terms on its "
        "website.",
        "The Licensor may unilaterally amend the Acceptable Use Policy.",
        "This Agreement may be amended by Licensor from time to time.",
        "We may, in our sole discretion, revise the Acceptable Use Policy.",
        "Kestrel reserves the right, at its discretion, to update the terms of use.",
        "You agree to comply with any updated licence or cease using the Model.",
        "Your continued access after changes are posted means you accept them.",
        "Kestrel may issue revised versions of this Agreement, which apply to your continued use.",
        "Any new version of this Agreement published by Kestrel will bind you.",
        "We will post any modifications on this page, and they take effect at once.",
        "You must comply with the then-current version of the Acceptable Use Policy.",
        "The Usage Policy in effect from time to time applies to your use.",
        "The Licensor reserves the right to make changes to this Licence.",
        "Changes to these terms become effective thirty days after we publish them.",
        "It is your responsibility to review this Agreement periodically for changes.",
        "Your use of the Model is subject to the licence terms then in effect.",
        "Zephyr Labs may update these terms at its discretion; the updated terms take effect "
        "upon posting.",
        "Zephyr Labs may, at any time and without notice, replace this Agreement with a new "
        "version.",
        "Zephyr may publish a new version of this Agreement, which will apply to all later use "
        "of the Model.",
        "Kestrel AI may alter or replace any part of these Terms by giving thirty days' notice.",
        "We may amend this Licence; the amended Licence governs any use after its publication.",
        "The Licensor may vary this Agreement by publishing the varied terms on its website.",
        "From time to time we may introduce new terms, which you accept by continuing to use "
        "the Model.",
        "This Policy may change as we learn more about misuse.",
        "The Licensor may supplement this Agreement with additional terms at any time.",
        "We will post the revised Agreement on this page and it will apply from the date shown.",
        "Aster AI may modify this Agreement effective upon notice to you.",
        "The latest version of the Borealis Acceptable Use Policy is available at our website.",
        "You can always find the current edition of our usage guidelines on this page.",
        "Each revision takes effect for all further use of the Model.",
        "The revised terms bind everyone who keeps using the Model.",
        "Lyra may publish revised versions of these terms, and each replaces the previous "
        "version for everyone.",
        "Modified terms take effect seven days after they are emailed to you.",
        "The copy of this licence on our website prevails over earlier versions.",
        "Vela Labs may modify Annex B, the list of restricted uses, at any time.",
        "The current terms also govern all earlier releases of the Weights.",
        "This licence, as Orion may revise it from time to time, applies to every copy.",
        "You agree to be bound by any amended version of these terms.",
        "Changes to our Acceptable Use Policy take effect when they are published.",
        "Each amendment of this licence binds you from the date it is posted.",
        "Cobalt may at its sole discretion remove or change any of the terms of this Agreement.",
        "The terms of service may change, and the latest terms always apply to you.",
        "Please review this page regularly for updates to the licence.",
        "We may update this licence and the Usage Policy, and you will be bound by the "
        "updated versions.",
        "The Licensor may from time to time issue further rules, which form part of this licence.",
    ],
    "termination": [
        # eighth pass, rounds 50-58
        "We may withdraw your access whether or not you have broken any term of this licence.",
        "Access may be cut off by the licensor without waiting for the dispute to be resolved.",
        "The licensor may suspend your key whenever a partner reports misuse.",
        "On its own assessment of the risk, the Provider may revoke the licence.",
        "We may end the licence if you publish head-to-head comparisons of the model.",
        "Access lapses if our staff, in their sole judgement, doubt your research purpose.",
        # eighth pass, rounds 41-49
        "Access is at the vendor's discretion, and the vendor may pull it at any time.",
        "Seats may be suspended at the moderators' discretion.",
        "The operator's licence ends upon any change in the ownership of the operator.",
        "Halden may pull the licence on 10 days' notice, no cause needed.",
        "We may suspend your key whenever we receive a complaint, whether or not the"
        " complaint is upheld.",
        "The Board's determination that a member misused the model is final, and its access"
        " may be revoked on that basis.",
        "Stripping the safety filter from a derivative ends the licence for that derivative.",
        # eighth pass: disqualification, locking, sole election, losing access rights
        "The organisers may disqualify any entrant at their discretion.",
        "We may lock your account if we suspect it is shared, whether or not that is confirmed.",
        "Membership may be withdrawn at the Council's sole election.",
        "A member that sues another member over copyright or trade secrets in the Model shall"
        " lose its access rights.",
        "Licensor may withdraw the licence from anyone at its option, without having to show"
        " a breach.",
        "The Trust may revoke any licence whose holder acts against its values, as the Trust"
        " alone determines.",
        "The Licensor may revoke access without any justification.",
        "If the Model becomes the subject of a claim, the Licensor may, at its option: (a)"
        " replace the affected part; (b) obtain a licence for you; or (c) suspend your rights"
        " in it.",
        "Admins may suspend your licence at their discretion.",
        "We cannot revoke this licence except at our sole discretion.",
        "We may pull your API access and licence whenever we decide to.",
        "We may cut off access if, in Wren's judgement, your use creates legal risk for Wren.",
        "What if we publish a harsh review of Heron? We may then revoke your licence.",
        "Licence withdrawal: any reason, at the Publisher's discretion.",
        "We may suspend access where a licensee acts against our interests.",
        "The Board may revoke the licence if, in the Board's opinion, the licensee's conduct"
        " harms the programme.",
        "The Licensor may, at its option, suspend your licence while a claim about the Model"
        " is pending.",
        "Orbis may cancel your access if you start working for a company competing with Orbis.",
        "The Provider may suspend your key if the Provider decides your traffic is abusive.",
        "Leave the moderation filter on; switching it off terminates this licence.",
        "Build a rival product and your licence is over.",
        "Post negative reviews of Acme and we may revoke your access.",
        "Acme can take back your licence whenever it likes.",
        "Acme may end this licence regardless of whether you have complied with it.",
        "Acme may revoke the licence if it reasonably decides that your posts attack Acme.",
        "The licence may be terminated whenever the Licensor judges it appropriate.",
        "Acme may cancel this licence if the licensee starts business in competition with Acme.",
        "Acme may cancel the licence if you undermine the credibility of Acme.",
        "We may revoke access for anyone who ships a product that substitutes for ours.",
        "Acme may end the licence after a change in ownership of the licensee.",
        "Acme may stop licensing the weights to any company it regards as a competitor.",
        "Your licence expires the day you file a lawsuit against Acme over any right.",
        "Acme may end the licence if, in Licensor's opinion, your product reflects badly on the"
        " brand.",
        "Orbit may revoke this licence if you publish benchmark comparisons with rival models.",
        "We can pull your licence whenever we consider it necessary.",
        "Heron may withdraw your licence without giving any reason.",
        "All licences granted here end at once if control of the licensee changes hands.",
        "Orbit may revoke this licence at once and without any liability to you.",
        "If you assert a copyright, trade secret or other claim against us, this licence ends.",
        "We may terminate your licence with or without cause on 30 days notice.",
        "The Company may suspend or revoke your rights under this licence if, in its reasonable "
        "opinion, you are harming its reputation.",
        "This licence terminates immediately should you become a direct competitor of the "
        "Licensor.",
        "Your licence is revoked automatically if you commence any action alleging that the "
        "Model infringes your copyright.",
        "We can end this agreement for any or no reason by giving you notice.",
        "If you are acquired by a competitor of Acme, all rights granted here cease.",
        "Nimbus Labs may terminate this licence at its sole discretion.",
        "Your rights under this licence end if you file any lawsuit against Nimbus Labs.",
        "This licence will terminate if you publicly disparage Nimbus Labs or its products.",
        "Nimbus Labs may revoke this licence upon written notice for any reason.",
        "Licensor may, by notice to Licensee, terminate the licences granted hereunder where "
        "Licensee becomes insolvent.",
        "All rights granted hereunder shall lapse forthwith should Licensee challenge any "
        "intellectual property right of Licensor.",
        "The licence granted in Section 2 is revocable at will by the Licensor.",
        "Licensor may discontinue the licence granted hereunder upon notice at any time.",
        "Kestrel may terminate this License if it determines your use harms its name.",
        "Kestrel reserves the right to revoke this licence at its sole discretion.",
        "The licence ends if you bring any claim against Kestrel over the Weights.",
        "Kestrel may terminate this Agreement at once if you become subject to sanctions.",
        "Your rights under this licence will be revoked should you attempt to bypass the "
        "Model's safety features.",
        "If you or your affiliates challenge, or help others to challenge, Zephyr's ownership "
        "of the Model, this licence is void.",
        "Zephyr Labs may terminate this Agreement immediately if you bring any legal action "
        "against it.",
        "We may end your licence, without liability, whenever we consider it necessary to "
        "protect our business.",
        "Kestrel AI may revoke the licence if your use, in its view, damages its brand.",
        "This Agreement ends automatically if you institute any action against Kestrel AI "
        "relating to the Model.",
        "The Licensor may withdraw the rights granted here at any moment.",
        "Kestrel AI may terminate this Licence upon notice if you are acquired by another company.",
        "Aster may end this Agreement on thirty days' written notice.",
        "We can cancel your access to the Weights whenever we want.",
        "Your licence lapses automatically if you commence proceedings against any Aster entity.",
        "Aster AI may terminate this Agreement if it reasonably suspects misuse of the Model.",
        "If you launch legal action claiming the Weights infringe your copyright, this "
        "licence terminates.",
        "Disputing the validity of Aurora's copyright in the Model ends this licence.",
        "If you disable the content moderation that ships with the Model, or remove any other "
        "protection mechanism described in the documentation, in the model card or in Annex "
        "B, your licence ends at once.",
        "This grant ends immediately if you publicly disparage Sol Labs.",
        "Should you sue the Licensor over the Model, claiming it infringes your copyright, "
        "this licence ends.",
        "Taking legal proceedings against Lyra Labs over the Weights revokes your licence at once.",
        "Lyra Labs may terminate this licence if your conduct harms its goodwill.",
        "If you question Vela Labs' ownership of the Weights, your licence ends.",
        "Orion may end this licence if you act against Orion's commercial interests.",
        "Should you sue anyone claiming that the Weights infringe your copyright, this "
        "licence ends.",
        "Cobalt may end your licence if, in the Licensor's opinion, you misuse the Model.",
        "If you remove, disable or otherwise circumvent any of the filters, classifiers, "
        "watermarking tools, rate limiters, authentication checks or other safety guardrails "
        "that accompany the Weights (or any related tooling we supply), whether directly or "
        "through a contractor or other third party acting for you, your licence under these "
        "terms will automatically terminate.",
        "Filing a claim that the Weights infringe your copyright ends your licence.",
        "If you breach these terms or damage the Licensor's interests, the Licensor may "
        "terminate this licence.",
    ],
    "remote_update": [
        # ninth pass: remote commands and updates that cannot be refused
        "We may, by remote command, disable the voice-ordering feature on any speaker.",
        "Model updates are installed automatically and cannot be postponed or refused.",
        "The Customer shall not configure its firewall to block the update service.",
        "The Vendor may remotely switch off the summary feature on any installation.",
        "Heron Labs may remotely disable any copy it believes is misused.",
        "Acme may push updates to the Model that change its behaviour without your consent.",
        "Nimbus Labs may remotely restrict access to the Model if it suspects misuse.",
        "Licensor may deactivate the Model remotely in the event of misuse.",
        "Kestrel may restrict or revoke access to the Model through technical means.",
        "The Software checks your licence with our servers and stops working if not.",
        "A mechanism lets the Licensor deactivate the Model if these terms are broken.",
        "We may update the Model over the air.",
        "Lyra Labs may apply technical measures to block copies that it believes are misused.",
    ],
}

# Wording that looks like the clause but is not one (each a veto's or a narrowed pattern's case).
LOOK_ALIKES: dict[str, list[str]] = {
    "terms_change": [
        # eighth pass, rounds 50-58
        "Changes take effect only when you accept them in the app.",
        "A revision binds only those licensees who accept it in writing.",
        # eighth pass, rounds 41-49
        "The Change Date may vary for each version of the software.",
        "Model versions behind the endpoint may change without notice.",
        "Changes take effect only when set out in an addendum countersigned by the customer.",
        "Revised licences apply to future releases only; your copy stays under the version"
        " you accepted.",
        # eighth pass: mutual amendments; tools are no terms
        "This agreement may be varied only by an instrument signed by duly authorised"
        " officers of both parties.",
        "We may update the plugins, the SDK and their samples without notice.",
        "The Foundation may publish revised versions of this licence with new numbers.",
        "We may remove your account and cancel your licence if you break these rules.",
        "The app can check for updates once a week.",
        "Corvid may release new versions of the toolkit that no longer support older GPUs.",
        "We may take down any post that breaches these rules.",
        "The Licensee may request amendments to Annex B, which apply once both parties sign them.",
        "Licensee may, on written notice, suggest changes to this Agreement.",
        "Changes: see the release notes for what is new in each model version.",
        "Will the licence of version 1 ever change? No, version 1 stays under its licence.",
        "We may change the file layout of the Corpus at any time.",
        "Orbis may update the sample notebooks without notice.",
        "The Vendor will tell you about changes to the file formats in the release notes.",
        "This EULA may only be amended by a document that both parties sign.",
        "No party shall be entitled to alter these terms for copies already distributed.",
        "The release date may vary for each version of the Model.",
        "No one other than the steward has the right to modify this Agreement.",
        "You may modify the Model and add your own notices.",
        "Zephyr Labs may update the Model's weights from time to time.",
        "The Example Foundation may publish new versions of this licence; you may choose any "
        "version.",
        "This licence may not be modified except in a writing signed by both parties.",
        "We may update the Model, its documentation and its examples at any time.",
        "You may change the configuration files to suit your hardware.",
        "Each version of the licence is given a distinguishing version number.",
        "Any amendment must be agreed in writing by both parties.",
        "We may supplement the documentation with additional examples.",
        "A copy of the licence is included with the Model.",
        "This file is subject to the current version of the Example Public License 1.0.",
        "Your additions may carry new terms, provided you mark the files where those terms apply.",
        "We may publish new versions of this licence, and you may choose which version to follow.",
        "The Foundation may update this Appendix to list further compatible licences.",
        "You may add to the covered work material under other terms, provided they are compatible.",
        "The Steward may publish updated versions of this licence, each with its own number, "
        "and you may choose which one to follow.",
        "The Licensor may from time to time publish further tutorials for the Model.",
    ],
    "termination": [
        # eighth pass, rounds 50-58
        "The Supplier shall not be entitled to suspend the Services for any reason other than"
        " non-payment.",
        "Any beneficiary may withdraw consent to the use of their photographs at any time.",
        "Workers may end their participation at any time.",
        # eighth pass, rounds 41-49
        "Clients may terminate this order for convenience on thirty days' notice.",
        "The Data Office may withdraw datasets at any time.",
        "Your sole remedy is the immediate, unilateral termination of this agreement.",
        # eighth pass
        "The licence ends if you breach it, whether or not the licensor notices.",
        "You may, at your option: (a) keep the Model; or (b) terminate this licence by"
        " deleting it.",
        "Users may revoke their consent to analytics at any time.",
        "You can opt out of the newsletter at any time.",
        "The Publisher may end its distribution of the Model at any time without revoking"
        " licences already granted.",
        "We will not revoke your licence for any reason, provided that you pay the fees.",
        "A team may withdraw its submission at any time before the deadline.",
        "Entrants can leave the hackathon at any time.",
        "What happens if we break these terms? The licence ends after thirty days without a cure.",
        "Disputes are heard by a court of competent jurisdiction, and this licence ends if"
        " you breach it.",
        "You may cancel this EULA whenever you like by deleting the program.",
        "The Vendor may end its maintenance of release 2 after six months' notice.",
        "Subscribers can cancel the licence at any time from their dashboard.",
        "After termination for any reason, you must delete the weights.",
        "You may at any moment delete the Model and thereby end this licence.",
        "Access to the online playground may be paused for maintenance at any time.",
        "You may end this licence without any liability by deleting every copy.",
        "The Publisher may cease making the Work available at any time.",
        "If you file a patent suit against a contributor, your patent licence ends.",
        "You may terminate this Agreement at any time by deleting the Model.",
        "Sections 3 and 5 survive any termination of this Agreement.",
        "This licence terminates if you fail to comply with any of its terms.",
        "If you breach section 3, we may terminate this licence at any time after notice.",
        "Upon termination, you must delete all copies of the Model.",
        "Your patent licence ends if you sue anyone for patent infringement over the Model.",
        "This licence is perpetual and cannot be revoked except as stated in section 8 for breach.",
        "You may end this Agreement on 30 days' notice.",
        "Either you or we may terminate this Agreement if the other commits a material breach.",
        "If this Agreement is terminated, sections 4 to 7 continue to apply.",
        "We may discontinue the Model or any of its features at any time.",
        "The Licensor may at any time cease to maintain or update the Model.",
        "If you dispute an invoice, the licence does not terminate.",
        "Lyra Labs may end support for version 1 of the Model at any time.",
        "If you breach section 4, we may terminate this licence after notice.",
        "We may discontinue the online version of the Model whenever we choose.",
        "No provision of this licence allows the Licensor to terminate it for convenience.",
        "You can withdraw from the beta programme at any time.",
    ],
    "remote_update": [
        "You may install updates to the Model whenever you like.",
        "The model is downloaded remotely from our mirror.",
    ],
}


test_wording_is_found, test_look_alike_is_not_the_clause = rule_tests(FOUND, LOOK_ALIKES)
