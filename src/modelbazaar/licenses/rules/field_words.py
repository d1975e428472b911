"""The words of excluded fields of use (military, surveillance, credit scoring, hosted services,
other vendors' hardware, ...) and of exclusion ("may not", "no licence is granted", "falls
outside"); fields.py combines them into the field-of-use rule.

Example: `re.search(FIELD_WORDS, "military applications")` matches.
"""

from __future__ import annotations

FIELD_WORDS = (
    r"\b(military|armed forces?|weapon|nuclear|surveillance|law[- ]enforcement|polic(e|ing)\b"
    r"|(?<!artificial )intelligence (agenc|service|purpose|gathering)|border control"
    r"|defen[cs]e (industry|sector|purposes?|applications?|contractors?|department)"
    r"|oil and gas|fossil fuel|political campaign|electoral|clinical"
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
EXCLUSION_WORDS = (
    r"(may|must|shall|can|will) ?not|cannot|\bnot to (use|deploy|employ)\b|not available"
    r"|unavailable|(is|are) not (permitted|allowed)\b|not (be )?(used|deployed|designed|licensed"
    r"|intended"
    # (the name of a "Prohibited Use Policy" excludes nothing by itself)
    r"|granted)|not (offered|provided|made available) to\b|exclud|prohibit(?!\w* uses? polic)"
    r"|forbid"
    r"|outside the scope"
    r"|(does|do|shall|will) not (cover|extend|apply|grant|permit|allow|authori[sz]e)"
    r"|no (licen[cs]es?|rights?|permission) (is |are )?(granted|conferred|given)|consistent with"
    r"|void|not extend|no (licen[cs]e|rights?|grant) (\w+ )?extends?\b|\bno use\b"
    r"|outside (the|this) (licen[cs]e|grant|agreement)"
    r"|nothing in this .{0,40}(permits|allows|authori[sz]es|grants)"
    r"|nothing (herein|hereunder) (shall |will |may )?(authori[sz]e|permit|allow|grant|license)"
    r"|under no circumstances|in no (event|case)|not authori[sz]ed|\bno (part|portion) of\b"
    # "undertakes that neither it nor its Affiliates will use the Model to ..."
    r"|\bneither\b.{0,60}\b(will|shall|may) use\b|condition\w* (up)?on .{0,40}\bnever\b"
    r"|falls? outside (what|the)\b"
)
