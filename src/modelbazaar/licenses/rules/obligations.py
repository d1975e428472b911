"""What a user must do: follow a use policy, keep notices and safety guardrails, and pass the
restrictions on to downstream users. Prescribed names are in naming.py.

Example: `OBLIGATION_RULES["aup"].matches("you must comply with the acceptable use policy")`
-> True.
"""

from __future__ import annotations

from modelbazaar.licenses.rules.base import POLICY, Rule, near, rule

_BIND = (
    r"comply|complian|adhere|abide|subject to|governed by|in accordance with|conform|agree to"
    r"|bound by|condition(ed)? (on|of|upon)"
    r"|respect|follow|observe|incorporat|forms? part of|in violation of|contrary to"
    # the policy as a measure of allowed use: "use must not violate the AUP", "as set out in"
    r"|violat|breach|consistent with|in line with|pursuant to|permitted (by|under)"
    r"|in keeping with|in conformity with|accord\w* with|aligned with"
    r"|prohibited (by|under)|(set out|set forth|described|listed|specified|defined) in"
    r"|\b(must|shall) not\b|\bmay not\b|will not\b|agree\w* not"
)
# Who restrictions are passed on to: recipients, customers, contractors, resellers' clients, ...
_DOWNSTREAM = (
    r"(recipients?|users?|licensees?|sublicensees?|customers?|clients?|contractors?"
    r"|subcontractors?|purchasers?|buyers?|resellers?|schools?|sites?|tutors?|integrators?"
    r"|call centres?|third part(y|ies)|persons?|downloaders?|partners?|agenc(y|ies))"
)
# A named document of rules about use: "the Fair Writing Code", "the Lingowell Learner Safety
# Standard". The name must say what it governs (use, conduct, ethics, safety, ...): "the source
# code", "the Unicode Standard" and "the two main principles" of open licences are no policy.
_NAMED_RULES = (
    r"\b(the|our|its|their|this|these|such|[\w-]+'s) ([\w-]+ ){0,3}(use|usage|conduct|responsible"
    r"|ethic\w*|fair|permitted|acceptable|safe|safety|deployment|behaviou?r|practice|stewardship"
    r"|integrity|content)( [\w-]+){0,3} (code|charter|standards?|guidelines?|principles|protocols?"
    r"|rulebook|rules)\b"
)
# (tenth pass) Policies whose name alone does not say they bind the licensee ("our Data Sharing
# Policy" may describe the licensor's own practice): a use policy only when the licensee must
# comply (the "aup" rule below). "the Restricted Businesses Policy"; "the Genomic Data Sharing
# Policy"; "the Menu Data API Policy"; "the Synthetic Voice Code of Practice".
_BOUND_POLICY = (
    r"(restricted|prohibited|banned) (uses?|businesses|content|activities|products|merchants"
    r"|categories|applications) polic\w*|data (use|sharing|access) polic\w*"
    r"|\b(api|platform) (usage |use )?polic\w*|code of practice"
)
# "We may update this Policy": a policy the licensor can change is one it holds you to.
_UPDATE = r"(updat|chang|amend|modif|revis)\w*"
_GUARD = (
    r"safety|guardrail|safeguard|filter|moderation|protective|protection|harm[- ]prevention"
    r"|refusal|alignment|watermark|guard model|classifier|mitigation"
    # (ninth pass) safety devices that are no content filter, and marks of machine-made output
    r"|interlock|\bclamp\b|\bshield\b|cut-?out|safety (check|component|gate|hook)"
    r"|(provenance|synthetic|ai[- ]generated|ai) (tag|manifest|label|mark|metadata)"
    r"|(check|gate|screen|detector|monitor|limiter|hook)\b(, which|,? that) (\w+ ){0,3}(refuses"
    r"|withholds|blocks|stops|flags|prevents|routes|rejects|stops)"
)
_DEFEAT = (
    r"remov|disabl|circumvent|bypass|tamper|overrid|defeat|evad|jailbreak|deactivat|strip"
    r"|weaken|route around|routing around|switch\w* off|turn\w* off|abliterat"
    r"|suppress|\bmut(e|ed|ing)\b|patch\w* out|\bskip|\bmask|disconnect|retun"
    r"|re-?encod|left out|leave out|\bomit|relax|\bforge|\bhide|hidden"
)
_KEEP = (  # "must remain enabled", "keep ... active", "locked on"
    r"(remain|stay|kept|keep|be left|be kept)\w* (\w+ ){0,2}(active|enabled|switched on|turned on"
    r"|connected|in place|running|locked on|on)\b|\blocked on\b|\bmust run before"
)
# (tenth pass) The wider verbs of hiding a warning the product shows: "crop, blur or paint over".
_HIDE = (
    r"remov|disabl|circumvent|bypass|tamper|overrid|defeat|evad|deactivat|strip|weaken"
    r"|suppress|\bmut(e|ed|ing)\b|patch\w* out|\bskip|\bmask|\bomit|\bhid(e|den|ing)\b"
    r"|\bcrop|\bblur|paint\w* over|\bobscur|\btrim|\boverla(y|id)|\bdelet|\bsilenc|\breroute"
    r"|\bedit\w* out|\bcover\w* (up|over)\b|switch\w* off|turn\w* off|\bmix\w* (\w+ )?(below|under)"
)
# ... and of defeating a device ("painted over", "lowered", "deleted" are no way to defeat one).
_STRONG = (
    r"remov|disabl|circumvent|bypass|tamper|overrid|defeat|evad|deactivat|strip|weaken"
    r"|suppress|\bmut(e|ed|ing)\b|patch\w* out|\bskip|switch\w* off|turn\w* off|\breroute"
)
# What the product shows or sounds to warn: "the 'Preliminary reading' banner", "the stale-data
# warning", "the low-confidence flag", "the disclosure chime" ("without warning" is none).
_SIGNAL = (
    r"banners?|stamps?|chimes?|alerts?|alarms?|(?<!without )(?<!prior )warnings?\b(?! of)"
    r"|(warning|caution|advisory|disclosure|allergen|confidence|uncertainty|risk) (tags?|labels?"
    r"|flags?|pop-?ups?|overlays?|captions?|messages?|tones?)"
)
# Words naming a hazard: "the collision alarm", "the profanity gate", "the proximity guard".
_QUAL = (
    r"[\w-]*(safety|hazard|collision|danger|overdose|allergen|toxicity|profanity|self-harm"
    r"|proximity|stability|abuse|nsfw)[\w-]*"
)
# ... one the licensed product puts somewhere ("the banner that RadiVet stamps on every
# radiograph", "the alert the firmware raises when ...") or one for safety ("the collision
# alarm"): a compiler's warnings, a cookie banner or a build flag is none.
_SHOWN = (
    r"(?:" + _SIGNAL + r")(?=,? ((that|which) )?(the )?([\w-]+ ){0,3}(displays|shows|overlays"
    r"|places|prints|stamps|attaches|raises|adds|applies|inserts|plays|reads|sounds|issues"
    r"|generates|puts|emits) (on|onto|to|at|before|beneath|below|above|under|over|when|whenever"
    r"|in|into|with|after|across)\b)"
    r"|\b" + _QUAL + r" ([\w-]+ )?(?:" + _SIGNAL + ")"
)
# A safety device named by its kind: "the utilisation gate", "the plausibility check", "the
# overtraining guard", "the fatigue cut-off", "the collision-avoidance layer" (a guard "against"
# is a verb; a "cut-off date" no device).
_DEVICE_KIND = (
    r"[\w-]+ (limit|ceiling|floor|threshold|cut-?off|guard)\b,? (which|that) (\w+ ){0,3}(refuses"
    r"|withholds|blocks|stops|prevents|rejects|pauses|declines|halts|holds back)"
    r"|[\w-]+ (suppression|redaction)|cut-?offs?\b(?! (date|time|point|period|day))"
    r"|(\w+-)?(avoidance|prevention|escalation|screening) (layer|system|feature|module|logic"
    r"|flow|check|step|mechanism|questionnaire|routine)|(health|safety|risk|medical)[- ]screening"
)
_DEVICE = (
    r"gates?|checks?|checkers?|screens?|(?<!\bto )guards?\b(?! against)|limiters?"
    r"|detectors?|interlocks?|classifiers?|filters?|guardrails?|safeguards?|refusals?"
    r"|escalations?|" + _DEVICE_KIND
)
# A device that is plainly a safeguard: one named so, or one "which refuses / halts ..."
_SAFE_DEVICE = (
    _GUARD + r"|\bautomatic escalations?\b|\b(check|gate|screen|detector|monitor|limiter"
    r"|interlock|classifier|filter|guard|limit|ceiling|floor|threshold|cut-?off)\b( (in|of) the"
    r" [\w-]+ [\w-]+)?,? (which|that) (\w+ ){0,3}(refuses|withholds|blocks|stops|prevents|rejects"
    r"|pauses|declines|halts|holds back)"
)
# A device of the product: "the collision-avoidance layer that ships with the planner", "the
# escalation flow that routes ...", "the screen built into the writer".
_PRODUCT_CUE = (
    r",? ((that|which) (\w+ )?(ships|comes|routes|pages|sends|stops|blocks|refuses|prevents"
    r"|holds|pauses|halts|rejects|withholds|flags)|((that|which) (is|are) )?(shipped|built"
    r"|fitted|included|bundled|provided|supplied) (with|into|in|to|by)|(in|of) the [\w-]+ (sdk"
    r"|api|app|software|model|planner|platform|firmware))\b"
)
# A device kept on: a safeguard, a warning the product shows, a hazard's device or the product's.
_KEPT = (
    "("
    + _SAFE_DEVICE
    + "|"
    + _SHOWN
    + "|"
    + _QUAL
    + r" ([\w-]+ )?("
    + _DEVICE
    + r")\b|("
    + _DEVICE
    + ")"
    + _PRODUCT_CUE
    + ")"
)
# What may not be prompted past: "its refusal", "the toxicity filter" (a rate limiter or a
# spelling checker is no safeguard).
_BYPASSED = (
    r"refusals?|classifiers?|filters?|guardrails?|safeguards?|guard\b|moderation|safety [\w-]+"
    r"|screens?\b"
)
# What a product is built to refuse: "the doses it is configured to withhold".
_REFUSES = (
    r"\b(built|configured|designed|set up|trained|programmed|meant|made) to (withhold|refuse"
    r"|enforce|block|decline|reject|prevent|stop)"
    r"|\b(would|will) otherwise (withhold|refuse|block|reject|prevent|stop|decline)"
)
_ON = r"(switched on|turned on|engaged|armed|enabled|active|in place|running|connected|intact)"
# Notices, marks and licence keys kept or removed are no safety measure.
_NO_NOTICE = (
    r"^(?!.*\b(notices?|copyright|attribution|logos?|trademarks?|licen[cs]e keys?|drm"
    r"|(powered|built|made) (by|with))\b)"
)
_WARNED = "(" + _SIGNAL + "|" + _DEVICE + ")"
# A ban put on the licensee: "must not", "is not to", "no rider may" ("can not be hidden on older
# firmware" is a limit, "do not hide the banner" advice, "may not be shown" a "might not").
_MUST_NOT = (
    r"\b((must|shall|may) (not|never)|(is|are) (not|never) to|(will|agrees?) not|(nobody|no one"
    r"|no [\w-]+) (may|shall|is to|are to))\b"
)
_BE_NOT = r"\b((must|shall|may) (not|never)|(is|are) (not|never) to) be (\w+,? ){0,4}?(or )?("
_MUST_KEEP = r"\b(must|shall|(is|are|has|have) to|agrees? to|(is|are) (required|obliged) to)"
# What follows the defeat: "ends this licence", "revocation of access", "loses their licence".
_LOSS = (
    r"\b(end|terminat|revo|forfeit|suspen|cancel|withdraw|void|los(e|es|ing|s)\b)\w*\b.{0,30}"
    r"\b(licen[cs]e|access|agreement|subscription|rights)\b"
)
_MARK = r"watermark|(provenance|synthetic|ai[- ]generated|ai) (tag|manifest|label|mark|metadata)"
_EACH_THE = r"\w*,? ((\w+,? ){0,3}or \w+( over)? )?(the|that|this|these|any|its|their|each|every)\b"
# (tenth pass) Guardrails named by what they do or show, which the licensee may not hide, switch
# off or prompt past, or must keep on. Each needs the licensee's modal, or a licence lost.
_SHOWN_OR_SHIPPED = "|".join(
    (
        # a warning, then may not be hidden: "the stale-data warning that RouteLoom displays ...
        # must not be hidden or suppressed"
        _NO_NOTICE + r".*\b(" + _SHOWN + r")\b.{0,160}" + _BE_NOT + _HIDE + ")",
        # a safeguard, then may not be disabled: "the utilisation gate, which refuses ..., shall
        # not be disabled"
        _NO_NOTICE + r".*\b(" + _SAFE_DEVICE + r")\b.{0,160}" + _BE_NOT + _STRONG + ")",
        # ... hidden, then the warning: "must not crop, hide or overlay the 'Preliminary' banner
        # that RadiVet stamps"; "every sheet it generates bears the stamp X, and the Licensee may
        # not delete that stamp" (a CE stamp on a product is no output's)
        _NO_NOTICE + r".*" + _MUST_NOT + r" (\w+ ){0,2}?(" + _HIDE + ")" + _EACH_THE + r".{0,60}\b("
        + _SHOWN + ")",
        r"\b(generates|generated|produces|produced|outputs?|renders?|rendered|creates|created)"
        r" (\w+ ){0,2}?(bears?|carr(y|ies)|shows?|displays?|prints?) (the|a|an) ([\w-]+ )?("
        + _SIGNAL + r")\b.{0,120}" + _MUST_NOT + r" (\w+ ){0,2}?(" + _HIDE + r")\w*,? ((\w+,? )"
        r"{0,3}or \w+( over)? )?(that|this|such) (" + _SIGNAL + r")\b",
        # a mark cropped: "a 'Virtually Staged' watermark; agents may not crop, blur or paint
        # over that mark"
        near(_MUST_NOT + r" ((\w+,? ){0,3}or )?(\w+ )?(crop|blur|paint\w* over)", _MARK, 80),
        # the product's device defeated: "must not disable, bypass or retune the
        # collision-avoidance layer that ships with ..."; "tampering with the fatigue cut-off ...
        # ends this licence" ("patients must not skip the health-screening questionnaire" is
        # neither)
        _MUST_NOT + r" (\w+ ){0,3}?(" + _STRONG + r")\w*( with| around)?,? ((\w+,? ){0,3}or \w+ )?"
        r"(the|that|this|any|its) ([\w-]+ ){0,3}(" + _DEVICE_KIND + ")" + _PRODUCT_CUE,
        "(" + _STRONG + r")\w*( with| around)?,? ((\w+,? ){0,3}or \w+ )?(the|that|this|any|its) "
        r"([\w-]+ ){0,3}(" + _DEVICE_KIND + r")\b.{0,160}" + _LOSS,
        # kept on: "shall keep the profanity gate engaged"; "the plausibility check ... is to
        # remain switched on at every workstation"; "must leave intact the allergen warning tag"
        _NO_NOTICE + r".*" + _MUST_KEEP + r"( always)? (\w+ ){0,2}?(keep|leave|maintain)\w* (the"
        r"|its|every|each|all|any|that) ([\"'][^\"']{1,60}[\"'] )?([\w-]+ ){0,3}" + _KEPT
        + r".{0,120}\b" + _ON + r"\b",
        _NO_NOTICE + r".*\b" + _KEPT + r".{0,160}" + _MUST_KEEP + r"( always)? ((remain|stay"
        r"|be kept|be left)\w* (\w+ ){0,2}?" + _ON + r",? (whenever|(in|at|on|for|across|within)"
        r" (every|each|any|all)\b(?! times))|run (before|on|for) (every|each|any))\b",
        _NO_NOTICE + r".*" + _MUST_KEEP + r" (\w+ ){0,2}?(leave|keep)\w* intact (the|its|every|each"
        r"|all|any) ([\"'][^\"']{1,60}[\"'] )?([\w-]+ ){0,3}(" + _SHOWN + ")",
        # prompted past: "may not craft prompts to slip health claims past the filter"; "must
        # not coax the assistant into revealing what its privacy guard would otherwise withhold"
        _MUST_NOT + r".{0,60}\b(prompt|quer(y|ies)|role-?play|jailbreak|reword|rephras)\w*.{0,120}"
        r"\b(past|around|beyond)\b.{0,60}\b(" + _BYPASSED + ")",
        r"\b(prompt|quer(y|ies)|role-?play|jailbreak|reword|rephras)\w*.{0,120}\b(past|around"
        r"|beyond)\b.{0,60}\b(" + _BYPASSED + r").{0,60}" + _LOSS,
        _MUST_NOT + r".{0,60}\b(coax|trick|manipulat|jailbreak|prompt|quer(y|ies)|role-?play)\w*"
        r".{0,160}(" + _REFUSES + ")",
        # "the offline mode may not be used as a way around the content filters"
        r"\b(must|shall|may) not be used (\w+ ){0,2}?(as )?(a|an|any) (way|means|route|workaround)"
        r" (a)?round (the|its|any|their) ([\w-]+ ){0,3}(" + _BYPASSED + ")",
    )
)  # fmt: skip

OBLIGATION_RULES: dict[str, Rule] = {
    "aup": rule(
        near(POLICY, _BIND, 250)
        + r"|\"acceptable use policy\" means"
        + r"|(polic(y|ies)|rules|guidelines).{0,80}incorporated (herein )?(by reference|into)"
        + r"|incorporates .{0,60}(polic\w*|rules|guidelines)"
        + r"|"
        + near(_UPDATE, POLICY, 60)
        # (ninth pass) a use policy by any name: "the Responsible Build Code", "the Permitted Use
        # Charter", "the Site Imaging Ethics Guideline v2" made binding
        + r"|"
        + near(
            _NAMED_RULES, _BIND + r"|\bhonou?r|within the limits of|otherwise than as|\bgovern", 120
        )
        # (tenth pass) "each merchant must comply with the Restricted Businesses Policy"; "is
        # bound by the Synthetic Voice Code of Practice"; "compliance with the Data Sharing Policy
        # is a condition of every release"
        + r"|"
        + near(
            _BOUND_POLICY,
            r"\b(must|shall|agree to) (\w+ ){0,2}(comply|adhere|abide|follow|observe|conform)"
            r"|\bbound by|\b(is|as) a condition\b|\bconditions? of (use|access|processing)"
            r"|\b(depends?|conditional|conditioned) (up)?on (your )?compliance\b",
            120,
        ),
        True,
        "an acceptable-use policy restricts use",
        "follow the licensor's acceptable-use policy and pass it on to your users",
    ),
    "notice": rule(r"attribution notice|\"notice\" text file|(must|shall) cite", False, "", ""),
    "safety_guardrail": rule(
        near(_DEFEAT, _GUARD, 80)
        + r"|"
        + near(_KEEP, _GUARD, 120)
        + r"|(keep|retain|maintain|must use|depends? on|be used to screen).{0,80}("
        + _GUARD
        + ")"
        + r"|"
        + _SHOWN_OR_SHIPPED,
        True,
        "the licence depends on keeping the licensor's safety guardrails",
        "keep the licensor's safety guardrails and filters in place",
    ),  # fmt: skip
    "flow_down": rule(
        r"(must|shall) be included as (an )?enforceable provisions?"
        r"|(include|incorporate).{0,120}(restrictions|these terms|section \d+|paragraph \d+)"
        r".{0,80}(enforceable provision|in (any|every|each|all) (agreement|licen[cs]e|contract))"
        r"|impos\w* (these|the|such|those|all|its|this)\b.{0,40}\bon (all |any |each |every "
        r"|your )?(downstream |end[- ])?(users?|recipients?|licensees?|customers?|third parties)"
        r"|give notice to subsequent users|(pass|carry|flow)\w* (on |down |forward )?(these|the"
        r"|such|those|all)? ?(use |same )?(restrictions|conditions|terms|limitations)"
        r"|(require|ensure|make sure|procure|oblige|cause|bind|responsible for ensuring)\w*"
        r".{0,100}(" + _DOWNSTREAM + r"|anyone|everyone).{0,100}(comply|abide|bound|agree|accept"
        r"|observe|follow|respect|impose|keep to)\w*"
        r"|\b(anyone|everyone|each|every|any|all|downstream|your|end) (\w+ ){0,3}(recipients?"
        r"|users?"
        r"|licensees?|persons?|third part\w*|customers?|to whom)\b.{0,80}\b(must|shall|will have to"
        r"|(is|are) required to) (first )?([\w,]+ ){0,4}(agree|accept|be bound|comply|abide|be told"
        r"|be informed|be notified)\w*,? "
        r"(to"
        r",? |by,? |with,? |that )?((the |these |this |its |such |all |their )?(\w+ ){0,3}(terms"
        r"|licen[cs]e|agreement|restrictions|conditions|polic\w*|limitations|uses?)\b|(them|it)\b)"
        r"|(share|disclos|provid|transfer|distribut|giv|mak)\w* .{0,60}\b(unless|only if|provided"
        r"( that)?|on condition that) (that|such|the|each"
        r"|every) (\w+ ){0,2}(has|have)? ?(first )?(signed|agreed|accepted|executed|become bound)"
        r"|only to (recipients?|persons?|users?|parties|those|anyone|third parties|licensees?) (who"
        r"|that|which) (\w+ ){0,2}(agree|accept|are bound|comply)"
        # "every sublicence you grant must contain the restrictions of this section"
        r"|(sublicen[cs]es?|licen[cs]es?|agreements?|contracts?|terms)( \w+){0,6} (must|shall)"
        r" (contain|include|incorporate|reproduce|carry)\w* (the |these |all |such |its )?"
        r"(\w+ ){0,2}"
        r"(restrictions|limitations|use conditions)\b"
        r"|terms\b.{0,40}(at least as (strict|restrictive)|no less (strict|restrictive))\b"
        r"|(restrictions|limitations|conditions)\w*.{0,40}(at least as (strict|restrictive"
        r"|protective)|no less (strict|restrictive|protective))"
        r"|(bound|subject) (by|to) the same (limitations"
        r"|restrictions|conditions)|(terms of service|end[- ]user (terms|licen[cs]e|agreement)"
        r"|eula).{0,80}(prohibit|restrict)|(does not|not) (contradict|conflict with) the"
        r" (restrictions|acceptable use)|similar set of restrictions"
        r"|same use-based restrictions|(derivatives?|recipients?).{0,80}(?<!not )subject to the"
        r" restrictions|onward licen[cs]ing.{0,80}non-?commercial|contractually required"
        # "You bind each recipient to the terms"; "the terms shall apply to such copy"
        r"|\bbind\w* (each|every|all|any|the|your)? ?(recipients?|users?|licensees?|sublicensees?"
        r"|customers?|third part\w*|persons?)\b.{0,60}\bto\b"
        r"|(terms|conditions|restrictions|provisions)\b.{0,60}\bapply to (all|any|every|each"
        r"|such) (copies|modifications|derivatives|derivative works|recipients|users)"
        # (ninth pass) binding, obliging or holding a named downstream party to the restrictions
        # ("binding on each Recipient ... to the extent": an adjective, no one is bound by you)
        r"|\bbind\w* (?!on\b|upon\b)(\w+ ){0,3}" + _DOWNSTREAM + r"\b.{0,80}\bto\b"
        r"|\b(pass|carr|flow)\w* (\w+ ){0,4}(prohibitions?|restrictions|limits|rules"
        r"|bans?)\b.{0,40}"
        r"\b(on|through|down|over) to\b|\b(flow\w* down|carry\w* over) (sections?|clauses?|the|its"
        r"|these|all)\b"
        r"|impos\w* (them|it|these|those) on (whoever|anyone|everyone|each|every|all|any)"
        r"|impos\w* on (its|their|your|each|every|all|any|the) (\w+ ){0,2}\w+ (terms|restrictions"
        r"|conditions)"
        # (not "users must accept these terms": the licence itself, accepted directly)
        r"|" + _DOWNSTREAM + r"\b.{0,100}\b(must|shall|is to|are to) (first )?(accept|sign|agree to"
        r"|be bound|be held)\b.{0,60}\b(?<!these )(?<!this )(terms|restrictions|prohibitions|limits"
        r"|conditions|instrument|licen[cs]e)"
        r"|(presents?|provid\w*) (\w+ ){0,3}with terms (that |which )?(forbid|prohibit|ban"
        r"|restrict)"
        r"|\btake (them|it) subject to the (restrictions|prohibitions|limits|conditions)"
        r"|acceptance of the (restrictions|prohibitions|limits|terms)\b.{0,60}\bprecondition"
        r"|(terms|conditions|paragraphs|restrictions|provisions)\b.{0,80}(must|shall|will) (also )?"
        r"(be included with and |appear in and (shall )?)?(apply|be binding) (to|on|upon) (such|any"
        r"|all|each|every) (copy|copies|sublicen\w*|distributions?|derivatives?|recipients?"
        r"|software|model|work)",
        True,
        "restrictions must be imposed on downstream users",
        "impose the same restrictions on anyone you give it to",
    ),
}
