"""The words of excluded fields of use (military, surveillance, credit scoring, hosted services,
other vendors' hardware, ...) and of exclusion ("may not", "no licence is granted", "falls
outside"); fields.py combines them into the field-of-use rule.

Example: `re.search(FIELD_WORDS, "military applications")` matches.
"""

from __future__ import annotations

# (tenth pass) fields that count near an exclusion only where the sentence uses, licenses or
# gives access to something (fields.py): "drones may not be flown in national parks", "lenders
# may not approve every application", "persons involved in the incident must not discuss it"
TENTH_FIELD_WORDS = (
    r"\b(thermal coal|coal (mining|mines?|power)"
    # politics: "may not be used by any registered political party ... nor for political ads"
    r"|political (part(y|ies)|advert\w*|ads?\b|candidates?|lobbying|messaging)"
    r"|campaign committees?"
    # insurance and lending decisions: "to set pet-insurance premiums"; "mortgage lenders, title
    # insurers and their underwriting vendors are not licensed"; "decide whether an applicant
    # qualifies for a lease, a home loan or an insurance policy"; "to price cover"
    # (as the users: outputs "not disclosed to livestock insurers" is an output rule)
    r"|(insurance|credit|loan|mortgage) underwriting|\bfor underwriting\b|insurance premiums?"
    r"|home loans?"
    r"|(^([\w-]+ ){0,2}|\bby (any )?([\w-]+ ){0,2})(insurers|lenders|underwriters)\b"
    r"|qualif\w* for (a |an )?([\w'-]+ ){0,2}(lease|tenancy|loan|mortgage|insurance|credit"
    r"|housing|benefits|employment)\b|\bprice (insurance )?cover\b"
    r"|(employment|tenant|tenancy|background) screening"
    # criminal justice: "for forensic identification or in support of criminal investigations"
    r"|forensic|criminal (investigations?|proceedings|prosecutions?|justice)"
    # protected places: "not licensed for exploration within declared Indigenous Protected Areas"
    r"|protected areas?|national parks?|(marine|nature|wildlife) reserves?"
    # a kind of business: "any firm whose principal business is the bulk purchase of homes"
    r"|whose (\w+ ){0,2}business (is|includes|consists)|\b(wagering|betting)\b"
    # "any company or joint venture engaged in the mining, processing or sale of thermal coal"
    r"|\b(compan(y|ies)|firms?|entit(y|ies)|(joint )?ventures?|businesses|persons?"
    r"|organi[sz]ations?|operators?|merchants?) (that are |which are |who are )?(engaged|active"
    r"|involved) in\b"
    r"|(eligib|entitle)\w* (to|for) (\w+ ){0,2}cover\b"
    # "to build or run a ticket-sales platform that competes with TapGate"
    r"|\b(build|develop|create|offer|make|run|operat|launch|provid|host)\w*\b.{0,60}\b(that"
    r"|which) compet\w+ (with|against)\b)"
)
SETTLED_FIELD_WORDS = (
    r"\b(military|armed forces?|weapon|nuclear|surveillance|law[- ]enforcement|polic(e|ing)\b"
    r"|(?<!artificial )intelligence (agenc|service|purpose|gathering)|border control"
    r"|defen[cs]e (industry|sector|purposes?|applications?|contractors?|department)"
    r"|oil and gas|fossil fuel|electoral|political campaign"
    # (a clinical record is where outputs go, not a field: "not be entered in a clinical record")
    r"|clinical(?! (or [\w-]+ )?(health |medical )?records?\b)"
    r"|(?<!such )(?<!any )(?<!this )(?<!its )(?<!your )(?<!their )elections?\b"
    # (offering it as a hosted service; "reverse engineer the hosted service" names the licensor's)
    r"|diagnos|human rights|gambling|firearm|biometric|facial recognition|social scoring"
    r"|lethal|targeting of (people|persons|individuals)|creditworth|credit scor"
    # lending: "any automated system that denies people loans"; apps for children
    r"|\b(loans?|lending|mortgages?) (decisions?|approvals?|applications?)|(deny|denies|denying"
    r"|refus\w*|approv\w*) (\w+ ){0,2}(loans?|credit|mortgages?)\b|(target\w*|aimed at|directed (at"
    r"|to)|designed for) (\w+ )?(children|minors|kids)\b"
    r"|eligibility (determinations?|decisions?)|public benefits|immigration (enforcement|control"
    # eligibility for benefits, credit, housing or employment: a field (settled in the eighth pass)
    r"|decisions?|authorit)|(eligib|entitle)\w* (to|for) (\w+ ){0,2}(benefits|assistance"
    r"|credit|housing|employment|loans?|insurance)"
    r"|hiring|dismissal|employment decisions?|recruit(ment|ing) decisions?"
    r"|(screen|select|shortlist|filter)\w* (\w+ ){0,2}job applicants?"
    r"|recogni[sz]\w* (people|persons|individuals|faces)|by their faces"
    r"|facial (features|images|characteristics|analysis)"
    r"|(as|for) (a |an |any )?(stand-?alone |hosted |managed )(or managed )?([\w-]+ )?(service"
    r"|offering)"
    r"|(offer|provid|operat|run|make available|host)\w* (a |an |any )?(hosted|managed)( or "
    r"managed)? (\w+ )?service"
    r"|\b(by|for|to|with) (any |a |the |other )?government (agenc\w*|entit\w*|bod\w*|use"
    r"|customers?|departments?)"
    # other vendors' hardware: "with any processor not manufactured by or for Lumina"
    r"|another vendor'?s'? (hardware|processors?|devices?|chips?|gpus?|accelerators?)"
    r"|(hardware|processors?|devices?|chips?|gpus?|accelerators?|platforms?) (that (is|are) )?(not "
    r"(made|manufactured|supplied|sold|provided|designed) by|other than (those|the) )"
    r"|armed conflicts?|embargo(ed)?\b|entity list|sanctions? list|\b(persons?|people|users|anyone"
    r"|residents) (located |resident )?in (any )?"
    r"(jurisdictions?|countries|territories|regions?) (where|in which)\b"
    r"|good, not evil|munitions|ammunition|excluded fields?\b|defen[cs]e (and|or) (intelligence"
    r"|security|military)"
    r"|safety[- ]critical (systems?|infrastructure|applications?)"
    # a competing product: "may not access the Services to build a similar or competitive product"
    r"|\b(build|develop|create|offer|make)\w* (a |an |any )?(similar|competing|competitive|rival)"
    r"( or (similar|competing|competitive|rival))? (products?|services?|offerings?|models?)"
    # "to develop a product that competes with the Software"
    r"|\b(build|develop|create|offer|make)\w* (a |an |any )?(products?|services?|offerings?"
    r"|models?) (that|which) compet\w+ with\b"
    # cloud providers left out: "no licence is granted to any entity that provides cloud services"
    r"|(public )?cloud (computing )?(services|providers?|platforms?)"
    # places a schedule lists: "make the Model available in any country listed in Annex C"
    r"|\b(in|within|into|to) (any |the |a )?(countr(y|ies)|territor(y|ies)|jurisdictions?|regions?)"
    r" (listed|named|specified|set out|identified)\b)"
)
FIELD_WORDS = r"(" + SETTLED_FIELD_WORDS + r"|" + TENTH_FIELD_WORDS + r")"
# what the tenth-pass fields need in the sentence: a use, a licence or access ("permitted" is
# no such word: "betting shops are not permitted to display our logo")
USE_OR_GRANT = (
    r"\b(use|used|using|uses|deploy\w*|access\w*|licen[cs]\w*|obtain|receive|download\w*|run"
    r"|operat\w*|install\w*|host\w*|quer(y|ied)|connect|activate|relied|employ\w*|exploit\w*)\b"
)
EXCLUSION_WORDS = (
    r"(may|must|shall|can|will) ?not|cannot|\bnot to (use|deploy|employ)\b|not available"
    r"|unavailable|(is|are) not (permitted|allowed)\b|not (be )?(used|deployed|designed|licensed"
    r"|intended"
    # (the name of a "Prohibited Use Policy" excludes nothing by itself)
    r"|granted)|not (offered|provided|made available) to\b|exclud|prohibit(?!\w* uses? polic)"
    r"|forbid"
    # (not "outside the scope of our support plan")
    r"|outside the scope(?! of (our|your)\b)"
    r"|(does|do|shall|will) not (cover|extend|apply|grant|permit|allow|authori[sz]e)"
    r"|no (licen[cs]es?|rights?|permission) (is |are )?(granted|conferred|given)|consistent with"
    r"|void|not extend|no (licen[cs]e|rights?|grant) (\w+ )?extends?\b|\bno use\b"
    r"|outside (the|this) (licen[cs]e|grant|agreement)"
    r"|nothing in this .{0,40}(permits|allows|authori[sz]es|grants)"
    r"|nothing (herein|hereunder) (shall |will |may )?(authori[sz]e|permit|allow|grant|license)"
    # (only when a use or grant follows, not a liability or a quote: "in no event will Acme be
    # liable for losses in betting"; "no part of this quote is binding")
    r"|(under no circumstances|in no (event|case)|\bno (part|portion) of\b)(?![^;]{0,60}\b(liab"
    r"|responsib))(?=[^;]{0,100}\b(use|used|using|usage|deploy\w*|access\w*|licen[cs]\w*|permit\w*"
    r"|authori[sz]\w*|exploit\w*|employ\w*|operat\w*|run|applied|installed|hosted|relied)\b)"
    r"|not authori[sz]ed"
    # "undertakes that neither it nor its Affiliates will use the Model to ..."
    r"|\bneither\b.{0,60}\b(will|shall|may) use\b|condition\w* (up)?on .{0,40}\bnever\b"
    # (outside the licence, not outside "our support plan" or "what our help desk can answer")
    r"|falls? outside (what ([\w']+ ){0,4}(licen[cs]\w*|agreement|grant\w*|permi\w+|authori[sz]\w*)"
    r"|(the |this |that |its )(scope of (the |this |that |its )?)?(licen[cs]e|grant|agreement"
    r"|permi\w+|authori[sz]\w+))\b"
    # "merchants operating in online gambling are not eligible to use the Engine" (not "not
    # eligible for the startup discount" or "to sponsor the conference")
    r"|(is|are|be) (not|in) ?eligible (to (use|access|connect|receive|obtain|download|run|deploy"
    r"|install|licen[cs]e|query)|for (a |any |the )?(licen[cs]e|access|grant|sub-?licen[cs]e))\b"
    # "no approved researcher may use the data for forensic identification" (not the licensor's
    # promise, "no member of our staff will use your data", nor "access customer records")
    r"|\bno [\w ,-]{1,60}? (may|shall|can) (use|obtain|access|receive|be granted|be given) (the"
    r"|this|these|its|any|a licen[cs]e)\b"
)
