"""Vetoes for the use kinds (output use, fields, use restrictions, non-commercial, research-only):
wording that looks like such a clause but restricts nothing (outputs free for any use, the
licensor's own undertakings, export-law compliance, warranty disclaimers, endorsement bans).
vetoes.VETO holds these with the other kinds'; look_alikes.settle applies them.

Example: `USE_VETO["output_use"].search("you may use the outputs for any purpose")` matches.
"""

from __future__ import annotations

import re

# The power to add to the list of banned uses: "reserves the right to extend the list of
# prohibited diagnostic uses by notice" changes the terms (terms_change); it bans nothing itself.
_ADDS_BY_NOTICE = (
    r"\b(reserves? the right to|may) (add|extend|expand|amend|update|revise)\b.{0,80}\b(by"
    r"|upon|on|with) (\w+ ){0,2}notice\b"
)
# Wording that looks like a use clause but restricts nothing (kind -> veto pattern).
USE_VETO = {
    # Outputs free for any use, training included, are no output-use ban.
    "output_use": re.compile(
        # what counts as a derivative: "training on outputs does not make a model a derivative"
        r"^(?=.*\bderivative).*\b(does|do|shall|will) not (make|render|include|cover|constitute"
        r"|count as)\b|"
        r"(may|can|are free to) use (them|it|the outputs?|outputs?|such outputs?)"
        r" for any (lawful )?purpose|(is|are) not (covered|restricted|subject) (by|to)"
        # a permission: "Licensor confirms that Licensee may use Outputs to fine-tune its models"
        r"|\b(licensee|you) (may|can|(is|are) free to) use (the |such )?outputs? to (train"
        r"|fine-tune|improve|develop)\b(?!.{0,60}\b(only|except|unless|provided|other than"
        r"|(may|must|shall) not)\b)"
        # the licensor's own data practice: "we may use your feedback, but not your outputs"
        r"|\b(we|the licensor|licensor) (may|will|can|shall) use your\b"
        r"|\b(we|(the )?(licensor|company|provider|vendor|supplier|publisher|custodian|consortium"
        r"|organi[sz]er|sponsor|curator|institution|hospital)s?)( \w+)? (do|does|will|shall) not "
        r"(use|collect"
        r"|retain|store|train)\b"
        # (tenth pass) ... nor hands on what it holds: "we do not sell or share the predictions";
        # "our staff will never share ..."; "Acme does not sell the responses you receive";
        # "replies are stored for 30 days and are not used to train our models"
        # (unless the licensee is barred too: "... and you must not use them to train models")
        r"|^(?!.*\b(you|licensee|customer|user|developer|recipient)s? (will|do|shall|must|may"
        r"|agrees?) not\b).*(\b(we|our [\w-]+)( \w+)? (do|does|will|shall) (not|never) (sell|share"
        r"|disclose|pass|publish|release|transfer|supply|rent|trade)\b"
        r"|\b(does|do|will) not (sell|share|disclose|rent|pass on)\b.{0,80}\byou (receive|generate"
        r"|create|get|submit|provide|make)\b"
        r"|\bnot (be )?used (to (train|improve)|for (training|improving)) our\b(?! competitors))"
        r"|\b(does|do|will) not (use|train)\b.{0,60}\b(its|our|their) (own )?(\w+ )?models\b"
        r"|(do|does|will) not claim (any )?(ownership|rights?)|(does|do) not (use|collect|retain"
        r"|store) (your|customer|user|outputs?|such|prompts?|completions?|inputs?)|usable for "
        r"(training )?any\b|\bnothing in (this|these|the) (licen|agreement|terms)\w*\b.{0,10}"
        r"\b(restricts?|limits?)\b(?!.*\b(apart from|except|other than|save for|but)\b)"
        r"|no (rights?|ownership|claims?) (in"
        r"|to|over) (the |any |their |its |your |such )?outputs"
        # an exception's permission: "propagate output ... even if that would otherwise violate"
        r"|would otherwise (violate|contravene|breach|infringe)"
        # outputs free to train anything: "may be used to train other models without restriction"
        r"|without (any )?(restrictions?|limitations?)\b"
        # (tenth pass) outputs free of limits: "findings ... carry no restriction on their use";
        # the host disclaiming them: "the Hub claims no rights in them and does not use them"
        r"|\b(carry|carries|bear|bears|has|have|face|faces) no (\w+ )?(restrictions?|limitations?"
        r"|limits)\b|\bclaims? no (rights?|ownership)\b"
        # "nothing in this Agreement restricts you from developing models independently of them"
        r"|^nothing (in|under) (this|these|the)\b.{0,30}\b(restricts?|limits?|prevents?|prohibits?)"
        r"(?!.*\b(apart from|except|other than|save for|but)\b)"
        r"|independently of"
        # outputs free to use: "Outputs may be used as learning data ... without any need to ask"
        r"|^(the )?outputs? (\w+ ){0,4}(may|can) (freely )?be used\b(?!.*\b(only|not|except|unless"
        r"|solely|provided|subject|other than|save|no|but|apart from)\b)"
    ),
    # Export-control compliance (CLAUSES.md leaves it unlabelled) unless it says who may *use*.
    # Choice of courts or law names places without excluding anyone from the grant.
    "field_of_use": re.compile(
        r"^(?!.*\b(use|used|using)\b).*\b(re-?)?export|\bcourts?\b|arbitrat|governed by"
        # (the law a licence is construed under; "shall not be construed to authorise" still bans)
        r"|construed (in accordance with|under|according to|pursuant to)"
        # a warranty disclaimer ("not designed or intended for use in nuclear facilities") warns;
        # "not designed, licensed or intended" or a "may not be used" bans (CLAUSES.md)
        r"|^(?!.*\b(licen[cs]ed|(may|must|shall|will) not|prohibit\w*)\b).*\bnot (fault[- ]tolerant"
        r"|designed|intended)\b"
        # emblems left out of the licensed material ("military insignia") exclude no use
        r"|insignia|coats? of arms"
        # examples that illustrate: "such as surveillance, illustrate risks rather than list bans"
        r"|rather than (to )?(list|set out|impose|prohibit|restrict|ban|exclud)\w*"
        r"|\bas risks\b|not as (prohibited|banned|excluded)\b"
        # no field left out: "does not exclude any field of endeavour, including military uses"
        r"|\b(does|do|shall|will|may) not (exclude|restrict|limit|discriminate)\w*\b"
        r"(?!.{0,40}\b(except|other than|but|unless)\b)"
        # a label to keep intact: "the 'not for diagnosis' watermark, which you shall not remove"
        r"|\b(watermark|banner|legend|disclaimer|caption)s?\b.{0,100}\bnot (\w+,? ){0,3}(or )?"
        r"(remove|obscure|crop|hide|overlay|alter|strip|delete)\b"
        r"|\bnot (\w+,? ){0,3}(or )?(remove|obscure|crop|hide|overlay|alter|strip|delete)\b.{0,100}"
        r"\b(watermark|banner|legend|disclaimer|caption)s?\b"
        r"|"
        + _ADDS_BY_NOTICE
        # a privacy notice on the reader's own data: "insurers are not authorised to receive your
        # data through our app" keeps data from them, it leaves no one out of a grant
        + r"|\b(receiv|access|collect|process|obtain|see|view)\w* your (personal )?(data"
        r"|information|details)\b"
    ),
    # Names and marks that may not endorse products (BSD's third clause), the Apache notice
    # ("you may not use this file except in compliance"), rules of construction, patents.
    "use_restriction": re.compile(
        # (promoting products is the endorsement clause; "material that promotes terror" bans)
        r"endors|promot\w* (\w+ ){0,2}(sale|products?|services?|derivatives?|works?|software)"
        r"|\buse (this|the) (agreement|licen[cs]e|document)\b"
        # the licensor's own undertaking: "the Licensor shall not use such Output except ..."
        r"|\b(the licensor|licensor|we|(the )?provider|(the )?company|(the )?custodian"
        r"|(the )?(consortium|vendor|supplier|publisher)) (shall|will|may|must|does|do) not use\b"
        # ... about what users hand over: "will not use the documents you upload to train"
        r"|^(?!(you|licensee|recipient|users?|customers?)\b).*\bnot (to )?use .{0,40}\b(that )?you "
        r"(upload|provide|submit|send|supply|share|generate|create|produce)"
        r"|^we\b[^.]{0,100}\b(do|will) not (attempt|try)\b"
        # ... about what the user hands over: "undertakes not to use the data provided by Party B"
        r"|not (to )?use .{0,40}\b(provided|supplied|submitted|uploaded) by (party|you\b|the "
        r"licensee|licensee|users?|customers?)"
        # ... "the lead institution will not use data submitted by the other Parties"
        r"|^(?!(you|licensee|recipient|users?|customers?|developers?)\b).{0,40}\b(shall|will) not"
        r" use .{0,40}\b((submitted|provided|supplied|uploaded) by|received from) (the )?(other )?"
        r"(part(y|ies)|recipients?|licensees?|customers?|oem|participants?|members?)\b"
        r"|^(?!(you|licensee|recipient|users?|customers?|developers?)\b).{0,40}\b(shall|will) not"
        r" use (the )?(recipient|licensee|customer|participant|member|operator|client"
        r"|subscriber)'s\b"
        r"|\b(will|shall) never use your\b|\buse (the|our|its|their) names?\b|masthead"
        # the grant's edge: "the Model must not be used in breach of this licence"
        r"|(in breach of|in violation of|contrary to|inconsistent with) (this|the"
        r"|these) (polic\w*|licen[cs]e"
        r"|agreement|terms|conditions|rules)\b"
        r"|advertis"
        r"|publicity|trademarks?|trade names?|service marks?|logos?\b"
        # export-law compliance is left unlabelled (CLAUSES.md)
        r"|\bexport([- ]control)? (laws?|regulations?|restrictions)|sanctions (laws?|regulations?)"
        r"|\bnames? (of|and|in)\b|domain names?"
        r"|except (in compliance with|under|in accordance with)|\b(construe"
        r"|interpret)"
        r"|patents? (cannot|can not|may not|shall not) be used"
        # click-through preambles: "do not use ... until you have read" / "if you do not agree"
        r"|until you have|if you do not (agree|accept)|unless you (agree|accept)"
        r"|without (first )?(accepting|agreeing)"
        # "any use other than as authorised under this licence is prohibited": the grant's edge
        r"|other than (as |those |that |the (uses?|purposes?) )?(authori[sz]ed|permitted|expressly"
        r"|allowed|granted)|beyond the scope of th|except as (authori[sz]ed|permitted"
        r"|expressly|provided)"
        # keeping notices intact is a notice condition, not a ban on a use
        r"|(remov|obscur|alter)\w* .{0,40}notices?\b"
        # carve-outs: "the following uses shall not in themselves be a breach"
        r"|not (in (and of )?themselves )?(be|constitute) (a )?(breach|violation)"
        # what follows the end of the licence: "upon such termination you may not use it"
        r"|(in the (case|event) of|upon|after|following) (such |any |the )?(terminat|expir)"
        r"|(after|once|when) (this|the|such|your) \w+ (\w+ )?(has )?(ended|ends|terminat\w*"
        r"|expire[sd]|lapsed)"
        # "we may add commodities to the excluded uses in Schedule B by written notice"
        r"|" + _ADDS_BY_NOTICE
    ),
    # Wording that welcomes commercial use (EPL's "intended to facilitate the commercial use").
    "non_commercial": re.compile(
        r"facilitate (the )?commercial|(can|may) be used in commercial|commercial (use|re)?"
        r"(distribution|redistribution|use)? (of [^.]{0,60})?is (expressly )?permitted"
        r"|permits? commercial|\bcommercial (and|or|and/or) non-?commercial"
        # "feel free to use the model in commercial products"
        r"|(?<!not )\b(feel free|free|welcome) to use\b.{0,40}\bcommercial"
        r"|\ballowed: commercial|commercial (use|deployment)\W{1,5}(✔|allowed)"
    ),
    # A grant that covers internal business use is narrower than open, but not research-only.
    "research_only": re.compile(
        r"internal business (purposes?|use|operations)"
        # who may use, not what for: "access is granted only to researchers at universities"
        r"|^(?!.*\b(purposes?|uses?|only for|solely for|research (project|use))\b).*\bonly to "
        r"([\w-]+ ){0,3}(researchers|academics|scientists|students|universities|institutions)\b"
        # a research-only licence named as an example: "such as Apache-2.0 or a research-only
        # licence"
        r"|\b(such as|e\.g\.|for example|for instance)\b.{0,60}\bresearch[- ]only\b"
        r"|\bresearch[- ]only (restriction|limit\w*|clause|terms?) (was|were|has been|is) (dropped"
        r"|removed|lifted|deleted)|\bno research[- ]only (limit|restriction)"
    ),
}
