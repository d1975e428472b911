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
# "We may update this Policy": a policy the licensor can change is one it holds you to.
_UPDATE = r"(updat|chang|amend|modif|revis)\w*"
_GUARD = (
    r"safety|guardrail|safeguard|filter|moderation|protective|protection|harm[- ]prevention"
    r"|refusal|alignment|watermark|guard model|classifier|mitigation"
)
_DEFEAT = (
    r"remov|disabl|circumvent|bypass|tamper|overrid|defeat|evad|jailbreak|deactivat|strip"
    r"|weaken|route around|routing around|switch\w* off|turn\w* off|abliterat"
)

OBLIGATION_RULES: dict[str, Rule] = {
    "aup": rule(
        near(POLICY, _BIND, 250)
        + r"|\"acceptable use policy\" means"
        + r"|(polic(y|ies)|rules|guidelines).{0,80}incorporated (herein )?(by reference|into)"
        + r"|incorporates .{0,60}(polic\w*|rules|guidelines)"
        + r"|"
        + near(_UPDATE, POLICY, 60),
        True,
        "an acceptable-use policy restricts use",
        "follow the licensor's acceptable-use policy and pass it on to your users",
    ),
    "notice": rule(r"attribution notice|\"notice\" text file|(must|shall) cite", False, "", ""),
    "safety_guardrail": rule(
        near(_DEFEAT, _GUARD, 80)
        + r"|(keep|retain|maintain|must use|depends? on|be used to screen).{0,80}("
        + _GUARD
        + ")",
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
        r".{0,100}(users?|customers?|recipients?|licensees?|third part\w*|persons?|anyone"
        r"|everyone).{0,100}(comply|abide|bound|agree|accept|observe|follow|respect|impose)\w*"
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
        r"|(terms|conditions|paragraphs|restrictions|provisions)\b.{0,80}(must|shall|will) (also )?"
        r"(be included with and |appear in and (shall )?)?(apply|be binding) (to|on|upon) (such|any"
        r"|all|each|every) (copy|copies|sublicen\w*|distributions?|derivatives?|recipients?"
        r"|software|model|work)",
        True,
        "restrictions must be imposed on downstream users",
        "impose the same restrictions on anyone you give it to",
    ),
}
