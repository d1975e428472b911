"""Use restrictions: sentences that ban uses of the work or head a list of banned uses.

Wording varies more here than anywhere (active and passive voice, asides between the modal and
the verb, list headings, plain-English and translated licences), so the pattern is a union of
shapes; look_alikes.py vetoes the grant's edge, endorsement bans and the licensor's own promises.

Example: `USE_BAN_RULES["use_restriction"].matches("you shall not use the model to stalk")` ->
True.
"""

from __future__ import annotations

from modelbazaar.licenses.rules.base import Rule, rule

USE_BAN_RULES: dict[str, Rule] = {
    "use_restriction": rule(
        r"use[- ]based restrictions|you agree not to use the (model|work|materials)"
        r"|not (to )?use the (model|work|materials) .{0,80}(ways|purposes) (described|listed|set)"
        r"|(you|licensee|licensees|user|users) (will|shall|must|agree to|may) not use.{0,80}:$"
        # "shall not carry out the following acts when using the Model:"; "Acts prohibited to ..."
        r"|(shall|will|must|may) not (carry out|engage in|perform|commit|do) (any of )?the "
        r"following\b.{0,60}:$"
        r"|^(prohibited|forbidden) (acts|conduct|activities|actions|behaviou?rs?)\b"
        r"|^(acts|conduct|activities|actions|behaviou?rs?) (prohibited|forbidden)\b"
        r"|(prohibited|restricted) uses?\b.{0,40}:$|(specified |the )restricted uses"
        r"|(restrictions|uses?) (in|set forth in|listed in) (attachment|appendix|annex|schedule"
        r"|exhibit)|(uses|purposes?|activit(y|ies)) listed in (attachment|appendix|annex|schedule"
        r"|exhibit)"
        r"|\bnot\s+(to\s+)?(use|employ|deploy)\w*\s+(the |any |this )?(model|software|weights"
        r"|work|materials)\b.{0,80}\b(to|for|in|as)\b"
        r"|(model|software|weights|work|materials|it) (must|shall|may) not be used (to|for)"
        r"|^using the (model|software|weights).{0,160}"
        r"(is|are) (strictly |expressly )?(forbidden|prohibited|not (permitted|allowed|okay|ok"
        r"|acceptable))"
        r"|uses of the (model|software|weights) are prohibited|following (ways|uses)"
        # any subject: "... cannot be used to develop a compatible archiver"
        r"|\b(may|must|shall|can|will) ?not be (used|applied|employed|deployed|utili[sz]ed"
        r"|put to use)(, [^,]{1,60},)? (to|for|in)\b"
        # "you must ensure the Model is never used to ..."; "no one may use the Weights to ..."
        r"|\b(is|are|be|gets?) never (used|applied|employed|deployed|relied (up)?on) (to|for|in)\b"
        # "Licensee will ensure that the Model is not used to ..."
        r"|ensur\w* (that )?(the |this |its |your |any )?(\w+ ){0,2}(is|are) (not|never) (used"
        r"|employed|deployed|applied) (to|for|in)\b"
        r"|\bnor (\w+ ){0,3}(may|shall|will|can|must) (use|employ|deploy)\b"
        r"|^(no one|nobody|no (person|user|licensee|entity|party|third party)) (may|shall|can|will"
        r"|is (permitted|allowed) to) (use|employ|deploy)\b"
        r"|\bno (part|portion|component) of the (model|software|weights|materials|work) (may|shall"
        r"|can) be (used|employed|deployed)"
        # "you shall not offer Internet services using the Model without a security review"
        r"|\b(shall|will|must|may) not (offer|provide|operate)\w* .{0,60}\b(using|based on|built on"
        r"|powered by) (the )?([\w-]+ )?(model|software|weights|works|materials)"
        r"|\b(is|are) not to be (used|employed|deployed|utili[sz]ed|put to (any )?use)\b"
        # "no use may be made of the Data to make decisions about patients"
        r"|\bno use (\w+ ){0,2}(may|shall|can|will|is to) be made of\b.{0,80}\b(to|for|in)\b"
        # data agreements: "will not attempt to re-identify any individual in the Data"
        r"|\b(not|never|no)\b.{0,80}\b(re-?identif\w*|de-?anonymi[sz]\w*|identify (any |an |a "
        r"|the )?(individuals?|persons?|data subjects?|patients?|participants?))\b"
        # (a long aside: "shall not, whether for itself or ... for consideration, employ")
        # "you cannot use the dataset to ..." (a purpose must follow: "then you cannot use,
        # modify, or distribute it" is a licence's edge)
        r"|\bcannot (use|employ|deploy|exploit|utili[sz]e|make use of) (the |this |any |our )?"
        r"([\w-]+ ){0,2}(to|for|in order to)\b"
        r"|\b(shall|will|must|may|agree|undertakes?) not(?: to)?(,[^,]{1,120},)? (use"
        r"|employ|deploy"
        r"|exploit|utili[sz]e|make use of|apply (the |this |any )?(model|software|weights|materials"
        r"|work))\b|\b(is|are) not (a |an )?(permitted|licensed|authori[sz]ed|allowed) use\b"
        r"|(is|are) not (permitted|allowed|authori[sz]ed|entitled)(,[^,]{1,60},)? to (use|make "
        r"use of|employ|deploy|exploit|utili[sz]e)\b"
        r"|^(you|licensee|the licensee|users?) (shall|will|must"
        r"|may) not:$"
        r"|\b(shall|will|must|may) not,? and (shall|will|must|may) not (permit|allow|authori[sz]e)"
        r"|prohibited from (using|deploying|employing|exploiting|utili[sz]ing|applying)"
        r"|\b(will|shall|must|may) not:"
        r"|\b(agree\w*|undertake\w*) not to:$"
        r"|(must|shall|may|will) never (be )?(used|employed|deployed|use|employ|deploy)\b"
        # "refrain from using the Model to ..." (a ban on a purpose, not "stop using it")
        r"|(refrain|abstain) from (any use of|using|deploying|employing|applying|utili[sz]ing)\b"
        r".{0,60}\b(to|for|in|that|which)\b"
        # a grant conditioned on not using it: "conditioned upon Licensee not using it (a) to ..."
        r"|(condition\w*|provided|on the basis) (upon|on|that) (\w+ ){0,3}not (using|employing"
        r"|deploying)\b"
        # a list heading: "may be used for any lawful purpose except the following:"
        r"|(any|all) (lawful )?(purposes?|uses?) (except|other than|save|excluding|but) (for )?"
        r"(the following|those (listed|set out))"
        # plain English: "please do not try to get the model to help with ..."; "things you cannot
        # do with the Model:"; "... is not okay"; "things that are off-limits include"
        r"|^(please )?(do not|never) (try to |attempt to )?(prompt|trick|induce|get|ask) (the |our "
        r"|this )?(model|software|weights|it)\b"
        r"|(things|what|uses?|activities) (that )?(you )?(cannot|may not|must not|are not (allowed"
        r"|permitted) to) (do|use)\b|\boff[- ]limits\b"
        # what may not be put to the model: "agree not to submit to the Model any prompt designed"
        r"|\bnot (to )?(submit|input|enter|send|feed)\b.{0,40}\b(prompts?|inputs?|queries"
        r"|requests)\b"
        r"|\buses (that are |which are )?(prohibited|forbidden|not permitted)\b.{0,60}\b(include"
        r"|are|consist)"
        # "you shall not, and shall ensure that your users do not, use the Model"; "Prohibited:"
        r"|\b(shall|will|must|may) not, and [^,]{0,60}, use\b"
        r"|^(prohibited|forbidden|not permitted)( uses?)?: (using|use of|to use)\b"
        r"|(is|are) (strictly )?(forbidden|prohibited|not permitted|not allowed) to (use|exploit"
        r"|employ|deploy|apply|utili[sz]e)\b"
        # "neither the Model nor any Derivative will be used ... to"
        r"|\bneither\b.{0,80}\b(will|shall|may|must|can) (ever )?be (used|employed|deployed|applied"
        r"|exploited)\b"
        # a list heading: "each of the following constitutes a prohibited use"
        r"|\b(following|these|each of)\b.{0,40}\b(constitutes?|is|are)\b (a |an )?(prohibited"
        r"|forbidden|restricted) (uses?|activit)"
        r"|^(any |the )?use of (the|this|these|such) (model|software|weights|materials|work)\b"
        r".{0,160}(is|are) (strictly |expressly |explicitly |hereby )?(forbidden|prohibited|not "
        r"(permitted|allowed))"
        r"|not (\w+ly )?(permit|allow|authori[sz]e) (anyone|others|any (third party|person)) to use"
        # "shall not permit the Model to be used for"; "we do not allow the Model to be used to"
        r"|\bnot (\w+ly )?(permit|allow|authori[sz]e|let) (the |this |any )?(model|software|weights"
        r"|materials|work) to be (used|employed|deployed)"
        r"|^(please )?(do not|never) (use|employ|deploy)\b|in no event (shall|may|will) you use"
        r"|(shall|may|will|must) (in no (event|case)|under no circumstances|never|at no time) (use"
        r"|employ|deploy"
        r"|utili[sz]e|apply)\b"
        r"|(in no (event|case)|under no circumstances|at no time) (shall|may|will|can|is|are) (the "
        r"|this |any )?(\w+ )?(be )?(used|deployed|employed|applied|utili[sz]ed|operated|run) (to"
        r"|for|in)\b"
        r"|\bthe following( [\w-]+){0,5} (are|is) (strictly |expressly |hereby )?(prohibited"
        r"|forbidden|not (permitted|allowed))"
        r"|(following|these) (uses|activities|purposes) (are|is) (strictly )?(prohibited|forbidden"
        r"|not (permitted|allowed))|prohibited (uses?|activities|purposes)\b.{0,40}\b(include|are"
        r"|consist)",
        True,
        "use-based restrictions apply",
        "use-based restrictions apply and must flow down",
    ),
}
