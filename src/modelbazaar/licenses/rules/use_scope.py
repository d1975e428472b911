"""What uses a grant covers: non-commercial and research-only grants; output-use bans are in
outputs.py, use restrictions (and the headings of their lists) in use_bans.py, excluded fields,
places and people in fields.py.

Example: `USE_SCOPE_RULES["research_only"].matches("for research purposes only")` -> True.
"""

from __future__ import annotations

from modelbazaar.licenses.rules.base import Rule, near, rule

_COMMERCE = (
    r"commercial (use|purpose|exploitation|advantage|application|activit|product|service"
    r"|deployment|organi[sz]ation|entit|enterprise|compan|user)|commercially|monetis|monetiz"
    r"|for-profit|(?<!not )(?<!non-)\bfor profit\b|revenue-generating|earns? money"
    r"|paid (services?|products?|apps?|applications?|offerings?|plans?|tiers?)"
    r"|monetary compensation|\b(anything|something|products?|services?)"
    r" (that )?you sell\b"
    r"|(where|if|when|whenever) a fee is charged|for a fee\b|in exchange for (payment|money|a fee)"
    r"|generat\w* (revenue|income|profits?)\b|profit-making"
    # "products or services offered for sale"
    r"|(products?|services?|goods) (\w+ ){0,2}(offered|sold|made available) for (sale|a price)"
    r"|commercial (or|and|and/or) [\w-]+ (uses?|purposes?)"
)
_RESEARCH = (
    r"research|evaluat\w*|testing|benchmark\w*|academic|scholarly|educational|teaching"
    r"|experiment\w*|non-?production|scientific|assess(ment|ing)\b|trials?\b"
    # (a personal computer is a platform, not a purpose)
    r"|personal(?! (computers?|devices?|machines?|data|information))"
    r"|test (environments?|settings?|systems?|purposes?)|sandbox\w*"
    # laboratory work, coursework, pilots: "confined to laboratory investigation"
    r"|laborator(y|ies)|coursework|thes[ie]s\b|classroom|instruction(al)?\b|pilot(s|ing)?\b"
)
USE_SCOPE_RULES: dict[str, Rule] = {
    "non_commercial": rule(
        r"(?<!commercial or )(?<!commercial and )\bnon-?commercial(?! or commercial)"
        r"(?! and commercial)(?! purposes? or)|not (be )?used? for commercial"
        r"|(?<!non-)commercial (use|purposes?).{0,80}(requires?|need).{0,30}(separate|"
        r"written|commercial) (agreement|licen[cs]e|permission)|"
        # "commercial use requires you to apply by e-mail and receive written authorisation"
        # (ninth pass) paid work outside the grant: "running it inside a paid travel-planning
        # service falls outside this licence"; "not to run paid after-school classes"
        r"\b(paid|fee-paying) ([\w-]+ ){0,3}(services?|engagements?|client work|classes|lessons"
        r"|tutoring|business)\b.{0,80}\b(requires?|falls? outside|not (licensed|permitted|covered"
        r"|allowed)|(licen[cs]e|permission) must)"
        r"|\b(not|never|no part)\b.{0,80}\b(paid|fee-paying) ([\w,-]+ ){0,4}(services?|engagements?"
        r"|client work|class(es)?|lessons|tutoring)\b"
        # (tenth pass) a free tier, and a commercial licence for those who earn: "an app that
        # charges users or carries paid advertising needs a commercial data licence"; "any
        # station carrying paid advertising must move to a commercial licence"; "commercial
        # organisations wishing to use the Dataset must apply for a commercial access licence"
        # (a paid plan for more storage or SSO is pricing, not a ban on commercial use)
        r"|(\b[\w-]+s? (that|which|who) (charges?|carr(y|ies) paid|sells?|takes? payments|shows?"
        r" advertising)|\b(carrying|selling|charging|taking|showing) (paid )?(advertising"
        r"|sponsorship|airtime|payments|fees)|\bcommercial (organi[sz]ations?|entities|users"
        r"|companies|firms))\b"
        r".{0,60}\b(needs?|must (obtain|move to|buy|take out|purchase|apply for|switch to|upgrade"
        r" to)|requires?) (a |an )?(separate )?(paid )?commercial ([\w-]+ ){0,2}(licen[cs]e|plan"
        r"|agreement)"
        # "free for charity clinics but may not be used by any practice that charges clients"
        r"|\b(may|must|shall|can) ?not be used by (any|a|an) ([\w-]+ ){1,2}(that|which|who)"
        r" charges?\b"
        r"|from which (a |any )?(fee|payment|salary|revenue|income)\b|only non-revenue use"
        r"|commercial (\w+ ){0,2}(service|authori[sz]ation)\b.{0,60}\brequires?|"
        r"(?<!non-)commercial (use|usage|purposes?|deployment|access)\b.{0,60}\b(requires?|needs?)"
        r"\b.{0,60}\b(appl(y|ication)|regist\w+|authori[sz]ation|approval|consent|commercial "
        r"(terms|agreement|licen[cs]e))|"
        # "to use the weights commercially, fill in the application form"
        # ... or after: "after completing the registration, you may use the weights commercially"
        + near(
            r"\buse (\w+ ){0,3}commercially\b|(?<!non-)commercial (use|usage|purposes?)",
            # ("apply" only as a request: "the terms apply to commercial use" asks for nothing)
            r"fill (in|out)|application|apply (for|by|via|through|online|in writing)|regist\w+"
            r"|questionnaire|submit (a|an|the) (request|form|application)",
            60,
        )
        + r"|"
        # a named non-commercial licence: "released under CC-BY-NC 4.0"
        r"\b(cc[- ])?by-nc\b|"
        + near(
            r"\bno\b|\bnot\b|never|prohibit|forbid|outside the scope|does not (allow|permit|cover)"
            r"|cannot|requires? (a )?(separate|commercial|paid)|shall request|must (buy|pay)"
            r"|restrictions? (are |is )?(placed|imposed) on|reserved (to|for)",
            _COMMERCE,
            80,
        )
        + r"|(not-for-profit|non-?profit|hobby\w*|charitable).{0,80}(only|purposes?|businesses"
        r" must)|(only|solely|exclusively) for (\w+ )?(non-?profit|not-for-profit)\b"
        r"|without any (anticipated )?commercial|directed towards? commercial"
        # an evaluation licence: "solely to determine whether to acquire a commercial licence"
        r"|whether to (acquire|obtain|purchase|buy|take) a commercial licen[cs]e"
        # "For commercial use, contact us": commercial use needs a permission this grant lacks
        r"|(for|about|regarding) commercial (use|purposes?|licen[cs]\w*|access|usage|deployment)"
        r".{0,80}(contact|obtain|request|apply|reach out|e-?mail|write to|get in touch)"
        r"|(contact|obtain|request|apply for|seek)"
        r".{0,60}(permission|licen[cs]e|agreement|authori[sz]ation|consent) for commercial"
        # commercial use only under a condition: "for commercial purposes only if:"
        r"|commercial (use|purposes?|exploitation) only (if|where|when|provided|by|with|to)\b",
        True,
        "use is limited to non-commercial purposes",
        "no commercial use: the model is non-commercial",
    ),
    "research_only": rule(
        r"\b(only|solely|exclusively|strictly|(?<!not )limited to|restricted to|confine[ds]?"
        r"|alone)\b"
        r".{0,80}\b(" + _RESEARCH + ")"
        # "for the sole purpose of conducting research"; "beyond internal evaluation, no right"
        r"|\b(sole|only|exclusive|limited) purposes? (of|is) (\w+ ){0,4}(" + _RESEARCH + ")"
        # "except as permitted under Section 2.4 (Evaluation), no licence is granted"
        r"|^(except|other than|save) (as )?(permitted|provided|set out|allowed"
        r"|authori[sz]ed) (under"
        r"|in|by) (section|clause|article|paragraph) [\w.()]+ \((" + _RESEARCH + r")[\w ]*\).{0,60}"
        r"\b(no (right|licen[cs]e|permission|(other )?use\b)|not (permitted|allowed|licensed))"
        r"|^(beyond|other than|apart from|except for) (\w+ ){0,2}(" + _RESEARCH + r")\b.{0,60}"
        r"\b(no (right|licen[cs]e|permission|(other )?use\b)|not (permitted|allowed|licensed"
        r"|entitled))"
        r"|\bnot\b.{0,60}\bexcept (to|for|in) (\w+ ){0,2}(" + _RESEARCH + ")"
        # (a study, too: "for the purposes of the study described in your application, and for no
        # other purpose")
        r"|\b("
        + _RESEARCH
        + r"|stud(y|ies))\b.{0,80}\b(only|solely|alone|nothing (else|more)|no (other|commercial"
        r"|operational|production)( or (commercial|operational|production))? (purposes?|uses?))\b"
        # "provided for internal evaluation ... and must not be included in shipping products"
        r"|(evaluat|test|experiment|trial|research|stud(y|ie)|pilot)\w*\b.{0,80}\b(must|shall|may"
        r"|can) ?not be (included|incorporated|integrated|embedded|shipped|deployed|used) (in|into"
        r"|with|as part of) (\w+ ){0,2}(products?|services?|production|releases?)"
        # a heading with its content: "Permitted use: non-production evaluation."
        r"|^((permitted|authori[sz]ed|licensed|allowed|licen[cs]e) ?(uses?|purposes?|scope"
        r"|type)?|scope( of (the |this )?(grant|licen[cs]e|use))?) ?: "
        r"(non-?commercial |non-?production |internal )?(" + _RESEARCH + ")"
        r"|production (use|deployment|environments?|systems?)\b.{0,40}(expressly |specifically )?"
        r"(excluded|prohibited|not (covered|licensed|permitted|allowed)|outside (the|its|this)"
        r" (\w+ )?(scope|licen[cs]e|agreement))"
        r"|production (use|deployment|systems?)? ?(is|are) not (licensed|permitted|allowed"
        r"|authori[sz]ed)|\b(not|never|no)\b.{0,40}\b(in|for|into) (any )?production\b"
        # "no right is granted to use the Model in a live or customer-facing environment"
        r"|\b(not|never|no|nothing)\b.{0,60}\b(in|for|into) (any |a |an )?(live|customer-facing"
        r"|operational)\b|\b(not|never|no)\b.{0,80}\b(live|production|real[- ]world) (traffic|users"
        r"|requests|workloads)"
        # (tenth pass; said of the grant, not of operations: "do not run migrations on a live
        # database" and "not yet tested with real users" grant nothing) "not for operating a live
        # service"; "but not on live patients"; "no live orders may be placed"; "not to serve
        # coaching to real users"; "the sole purpose for which the library is released"
        r"|\bnot for (operating|running|serving|powering|providing) (a |an |any )?(live|production"
        r"|customer-facing)\b|\bnot (on|with|to) (live|real) (patients|users|customers)\b"
        r"|\bnot to (serve|power|provide|offer)\w* .{0,40}\breal (users|customers|patients)\b"
        r"|\bno live [\w-]+ (may|can|shall) be (placed|made|processed|served|run|submitted|booked"
        r"|handled|taken)\b"
        r"|\b(" + _RESEARCH + r")\b (is|are|shall be|remains?) the (sole|only|exclusive) purpose"
        r" for which\b.{0,60}\b(released|licensed|provided|made available|granted|may be used"
        r"|supplied|shared)\b"
        r"|\bmay (only )?be studied\b.{0,60}\b(no other purpose|only\b|solely)"
        # "shipping the Model in a product is not covered"; "for study and not put into service"
        r"|(shipping|deploying|deployment|including|integrating|embedding)\b.{0,40}\b(products?"
        r"|services?|production)\b.{0,20}\b(is|are) not (covered|licensed|permitted|allowed)"
        r"|\b(research|evaluat\w*|testing|experiment\w*|study)\b.{0,40}\b(and|but) not (be )?(put"
        r"|placed|deployed|used|released)\b.{0,20}\b(service|production|products?|operation)"
        r"|(may not|must not|shall not|cannot) be (deployed|used) in (production"
        r"|any product)|research preview"
        r"|(evaluat|experiment|test|try|trial|pilot)\w* .{0,80}for (up to |a period of )?\w+ days"
        r"|non-?production (use|licen[cs]e|purposes?|environments?|settings?|systems?)"
        r"|only use .{0,160}for (non-?commercial )?"
        r"(research|evaluation|testing"
        r"|personal)"
        # the grant's own scope: "licensed for non-commercial research"; "any use other than
        # evaluation" (a description, "designed for research", grants nothing)
        r"|production (use|deployment)s? (requires?|needs?)"
        r"|\b(this|under (this|the)) research(-only)? licen[cs]e\b"
        # "you may evaluate it, but you may not deploy it"; "Permitted Purpose means ...
        # research"; "any purpose except academic research"
        r"|(evaluat|test|experiment|try|trial|research|stud(y|ie))\w*\b.{0,60}\b(but|and) (you |it "
        r"|they )?(may"
        r"|must|shall|can) ?not (be used to )?(deploy|commerciali[sz]e|ship|put|use (it|them"
        r"|the \w+) (in|for) (production|commerc)|use (it|them|the \w+) (to serve|to power|to "
        r"provide|to offer) (\w+ ){0,2}(end[- ]users|customers|third parties|the public|products?"
        r"|services?)|(provide|offer|sell) (\w+ ){0,2}(products?"
        r"|services?)|(integrat|incorporat|embed|includ)\w* (it|them|the \w+) (in|into) (\w+ ){0,2}"
        r"(products?|services?))"
        r"|(permitted|authori[sz]ed|licensed|allowed|(non-?commercial )?research) (purpose"
        r"|use)s?\"? (means|is|are|shall mean"
        r"|refers to) ([\w-]+ ){0,3}(research|evaluation|academic|testing|scientific)"
        r"|(purposes?|uses?) (except|but|save|besides|apart from|beyond|outside( of)?) (for )?"
        r"(\w+ ){0,2}(research"
        r"|evaluation|testing|academic|scientific)"
        r"|(licensed|granted|provided|made available|permitted|authori[sz]ed) (to you |to [\w-]+"
        r"( [\w-]+){0,3} )?(solely "
        r"|only |exclusively |strictly )?for (non-?commercial )?(research|academic|evaluation"
        r"|testing|scientific|personal|teaching|experiment\w*|benchmark\w*|non-?production)"
        # "permitted for the purpose of evaluation"; "solely to reproduce the paper's findings";
        # "to run experiments ..., but not to make it part of a product"
        r"|(permitted|allowed|licensed|granted|authori[sz]ed|given|provided)( to [\w-]+( [\w-]+)?)?"
        r" for the purposes? of (\w+ ){0,2}(evaluat|research|testing|academic|scientific|verif)"
        # "... for academic research; use for any other purpose requires consultation"
        r"|\b(" + _RESEARCH + r"|study)\b.{0,80}\b(any|all) other "
        r"(purposes?|uses?)\b.{0,40}\b(requires?|needs?|not (permitted|allowed|licensed)|prohibited"
        r"|must)"
        r"|(solely|only|exclusively) (to|for) (reproduc|replicat|verif)\w*"
        # "open for evaluation, but running them to serve end users is outside what this licence
        # grants"
        r"|\b(" + _RESEARCH + r")\b.{0,80}\b(serv\w*|deploy\w*|production|products?|end users"
        r"|customers)\b.{0,40}\b(is|are) (outside|beyond) (what |the scope of )?(this|the) (licen"
        r"|grant|agreement)"
        # "the preview model is for trying things out, not for running your business"
        r"|\bfor ([\w-]+ ){0,3}(trying|testing|experimenting|playing|tinkering)\b.{0,40}\bnot (for"
        r"|in)"
        r" (running |operating |powering )?(your |a |any )?(business|production|products?"
        r"|services?|commercial)"
        # "so that the paper's tables can be reproduced; the licence does not cover any other use"
        r"|\b(" + _RESEARCH + r"|reproduc\w*|replicat\w*)\b.{0,80}\b(does|do|shall|will) not (cover"
        r"|extend to|permit|allow|license) (any|all) other (uses?|purposes?)"
        r"|(evaluat|test|experiment|research|stud)\w*\b.{0,80}\bbut not (to|for|in)\b.{0,60}\b"
        r"(products?|services?|production|commerc\w*|deploy\w*)"
        r"|((uses?|purposes?|used) (for anything )?other than|anything"
        r" (but|except|besides)) (for )?"
        r"(non-?commercial |[\w-]+ )?(research|evaluation|academic|testing|personal|scientific)"
        # "deployment outside a research setting requires a separate licence"
        r"|(deploy\w*|use|production)\b.{0,40}\b(outside|beyond) (a |an |the |any |its |your )?"
        r"(research|academic|evaluation|testing|scientific|laborator\w*|lab)\b"
        # a grant whose purpose is research: "grants you a licence to use the Model for research
        # purposes" (not "for research and commercial purposes", "any purpose, including research")
        r"|(grants?|granted|licen[cs]ed|licen[cs]e to)\b.{0,120}\bfor (non-?commercial |academic "
        r"|scientific |internal )?(research|evaluation|testing|academic) (purposes?|use|only)\b"
        r"(?! (and|or|as well as|including) )",
        True,
        "use is limited to research, testing, evaluation or personal purposes",
        "research, testing or evaluation only: no production use",
    ),
}
