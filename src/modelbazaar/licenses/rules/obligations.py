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
    # (tenth pass) "the heat-stress limit, which stops offering orders"
    r"|[\w-]+ (limit|ceiling|floor|threshold|cut-?off|guard)\b,? (which|that) (\w+ ){0,3}(refuses"
    r"|withholds|blocks|stops|prevents|rejects|pauses|declines|halts|holds back)"
)
_DEFEAT = (
    r"remov|disabl|circumvent|bypass|tamper|overrid|defeat|evad|jailbreak|deactivat|strip"
    r"|weaken|route around|routing around|switch\w* off|turn\w* off|abliterat"
    r"|suppress|\bmut(e|ed|ing)\b|patch\w* out|\bskip|\bmask|disconnect|retun"
    r"|re-?encod|left out|leave out|\bomit|relax|\bforge|\bhide|hidden"
    # (tenth pass) a visible mark: "may not crop, blur or paint over that mark"
    r"|\bcrop(ped|ping)?\b(?=,| or| out| the| that| this| it| any| its)|\bblur|paint\w* over"
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
    r"|\blower(ed|ing)?\b|\bedit\w* out|\bcover\w* (up|over)\b|switch\w* off|turn\w* off"
    r"|\bmix\w* (\w+ )?(below|under)"
)
# What the product shows or sounds to warn: "the 'Preliminary reading' banner", "the stale-data
# warning", "the low-confidence flag", "the disclosure chime" ("without warning" is none).
_SIGNAL = (
    r"banners?|stamps?|chimes?|alerts?|alarms?|(?<!without )(?<!prior )warnings?\b(?! of)"
    r"|(warning|caution|advisory|disclosure|allergen|confidence|uncertainty|risk) (tags?|labels?"
    r"|flags?|pop-?ups?|overlays?|captions?|messages?|tones?)|(?<!feature )\b[\w-]+ flags?\b"
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
    r"gates?|checks?|checkers?|screens?|(?<!\bto )guards?\b(?! against)|limiters?|monitors?"
    r"|detectors?|interlocks?|classifiers?|filters?|guardrails?|safeguards?|refusals?"
    r"|escalations?|" + _DEVICE_KIND
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
# (tenth pass) Guardrails named by what they do or show: hidden, switched off or prompted past.
_SHOWN_OR_SHIPPED = "|".join(
    (
        # a device or warning, then may not be hidden: "the utilisation gate, which refuses ...,
        # shall not be disabled"; "the stale-data warning ... must not be hidden or suppressed"
        _NO_NOTICE + r".*\b" + _WARNED + r"\b.{0,160}\b(may|must|shall|can|is|are) (not|never)"
        r"( to)? be (\w+,? ){0,4}?(or )?(" + _HIDE + ")",
        # ... hidden, then the warning: "must not crop, hide or overlay the 'Preliminary' banner"
        _NO_NOTICE + r".*\b(not|never|no \w+ may)\b.{0,30}(" + _HIDE + r")\w*,? ((\w+,? ){0,3}"
        r"or \w+( over)? )?(the|that|this|these|any|its|their|each|every)\b.{0,60}\b("
        + _SIGNAL
        + ")",
        # "tampering with the fatigue cut-off"; "disable the collision-avoidance layer"
        "(" + _HIDE + r")\w*( with| around)?,? ((\w+,? ){0,3}or \w+ )?(the|that|this|any|its) "
        r"([\w-]+ ){0,3}(" + _DEVICE_KIND + ")",
        # kept on: "keep the profanity gate engaged"; "the plausibility check ... is to remain
        # switched on"; "leave intact the allergen warning tag"
        _NO_NOTICE + r".*\b(keep|leave|maintain)\w* (the|its|every|each|all|any|that) "
        r"([\"'][^\"']{1,60}[\"'] )?([\w-]+ ){0,3}" + _WARNED + r"\b.{0,120}\b" + _ON + r"\b",
        _NO_NOTICE + r".*\b" + _WARNED + r"\b.{0,160}\b(must|shall|is to|are to|has to|have to)"
        r"( always)? ((remain|stay|be kept|be left)\w* (\w+ ){0,2}?" + _ON + r"|run (before"
        r"|on (every|each)))\b",
        _NO_NOTICE
        + r".*\b(leave|keep)\w* intact (the|its|every|each|all|any) ([\"'][^\"']{1,60}[\"'] )?"
        + r"([\w-]+ ){0,3}("
        + _SIGNAL
        + ")",
        # prompted past: "craft prompts to slip health claims past the filter"; "coax the
        # assistant into revealing what its privacy guard would otherwise withhold"
        r"\b(prompt|quer(y|ies)|role-?play|jailbreak|reword|rephras)\w*.{0,120}\b(past|around"
        r"|beyond)\b.{0,60}\b(" + _DEVICE + ")",
        r"\b(coax|trick|manipulat|jailbreak|prompt|quer(y|ies)|role-?play)\w*.{0,160}("
        + _REFUSES
        + ")",
        # "the offline mode may not be used as a way around the content filters"
        r"\b(way|means|route|workaround) (a)?round (the|its|any|their) ([\w-]+ ){0,3}("
        + _DEVICE
        + ")",
    )
)

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
