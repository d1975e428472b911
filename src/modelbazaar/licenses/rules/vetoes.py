"""Vetoes: per clause kind, wording that looks like that clause but grants or restricts nothing
(the licensee changing the text, GPL's "new versions", ending the licence on a breach, a name
that may not endorse products, the licensor's own undertakings). look_alikes.settle applies them.

Example: `VETO["use_restriction"].search("the name of the author may not be used to endorse
products")` matches.
"""

from __future__ import annotations

import re

# Wording that looks like a clause but grants or restricts nothing (kind -> veto pattern).
VETO = {
    "terms_change": re.compile(
        r"\b(you|licensee|court)s? (may|can)(, [^,]{1,60},)? (modify|change|alter|amend|add|remove"
        r"|supplement|propose|suggest|request)"
        # removing an account, not terms: "we may remove your account if you break these rules"
        r"|\b(remove|delete|suspend|close)\w* (your|their|the user's|a user's) (\w+ )?(accounts?"
        r"|access|content|posts?|listings?|apps?)\b"
        # software checking for its own updates: "the Software may automatically check for updates"
        r"|\bcheck\w* for (software |new )?updates\b(?!.{0,40}\b(terms|licen|agreement|polic))"
        # content taken down under the terms: "the Hub may remove listings that violate these terms"
        r"|\b(remove|delete|take down|delist)\w* (\w+ ){0,3}(that|which) (violate|breach|infringe"
        r"|contravene|break)"
        # (new versions apply only by your choice, unless they bind continued use or apply
        # of themselves: "a new version ... will apply to all copies")
        r"|^(?!.*((continued|continuing) (use|access)|(will|shall) (apply|govern|bind|supersede"
        r"|replace)|automatically|take effect|become effective|bound by"
        r"|(replaces?|supersedes?) (the )?(previous"
        r"|prior|earlier"
        r"|old))).*(publish|new|revised|updated) (and/or new )?versions"
        # a power given to no one: "no one shall be entitled to modify the terms" (CeCILL)
        r"|\bno (one|person|party)\b"
        # a change both parties sign is no unilateral change; a licence steward's numbered
        # revisions ("may revise this license from time to time") are GPL's "new versions"
        r"|(writing|written)( and)? signed by|signed by (both|all|each|the) (parties|affected)"
        r"|mutual(ly)? (written )?(agree|consent)|amended in accordance with"
        # (unless the revisions bind: "revisions bind all licensees from the following month")
        r"|^(?!.*\b(bind|binding|automatically|existing licensees|all licensees|continued use)\b)"
        r".*\b(foundation|steward)\b.{0,40}\b(revise|publish)"
        # "only SGI may modify the terms" says who may, like "no one other than"; "you may
        # obtain a current copy of the License at ..." says where the text is
        r"|\bonly (the )?[\w-]+ (may|can) (modify|change|amend)|obtain a (current )?copy"
        # what changes is no terms: "may update the documentation without notice"
        r"|^(?!.*\b(terms|licen[cs]es?|agreements?|polic\w*|conditions|rules|eula|restrictions"
        r"|guidelines|aup|attachment|appendix|annex|schedule|exhibit|list|categor\w*|amendments?"
        r"|variations?|supplements?|obligations|requirements|prohibit\w*)\b)"
        r".*\b(updat|chang|modif|revis|alter)\w* (the |its |our |any )?([\w-]+ ){0,2}(documentation"
        r"|software|model|weights|website|datasets?|data|files?|notebooks?|layout|address|features?"
        r"|services?|api|code|samples?|corpus|archive)\b"
    ),
    "discretionary_termination": re.compile(
        r"^(?!.*(any reason|without cause|convenience|competitor|compet(e|es|ing)\b|acquired|merge"
        r"|criticis|disparag|interests|reputation|disrepute|goodwill|sanction|insolven|bankrupt"
        r"|irrespective of|regardless of))"
        r".*(breach|violat|fail\w* to comply|non-?compliance|\bbreak\w* (the|these|this|any) )"
        # the licensee ending its own licence: "you may terminate this licence at any time"
        r"|\b(you|licensee|recipient|customer|user|subscriber|participant|entrant|member|student"
        r"|team)s? (may|can)\b"
        r"(?:(?!\bwe\b|licensor|\bus\b).){0,60}"
        r"\b(terminate|end|cancel|withdraw|revoke|opt out)"
        r"|(will|does|shall) not (terminate|end)\b"
        # what follows the end: "upon termination of this Agreement for any reason, you shall cease"
        r"|^(upon|on|after|following|in the event of) (any |the |such )?(terminat|expir)\w*\b"
        r"(?!.*\b(may|can) (terminat|revok|end)\b)"
        # the licensor stopping distribution ends no licence already granted
        r"|cease (making|distributing|to (make|distribute|offer|provide))|stop distributing"
        # "a publisher may end its listing, which does not revoke licences already granted"
        r"|\bend\w* (its|the|their|our|a) (listings?|distribution|offering|hosting|availability)\b"
        r"|not (revoke|terminate|affect|end) (\w+ ){0,2}(licen[cs]es?|rights)( already)? granted"
        r"|(suspend|stop|cease|discontinu)\w* (the )?(downloads?|distribution|hosting|availability)"
        # ... or its hosted copy: "we may suspend the hosted demo for maintenance"
        r"|(suspend|stop|cease|discontinu|pause|interrupt)\w* (the |our |any )?(hosted|online|web"
        r"|public) |for maintenance"
        # ... or maintaining it: "we may discontinue the Model or cease to update it at any time"
        r"|\bend (its |our |the |their )?(support|maintenance|updates|distribution|availability"
        r"|hosting)\b"
        r"|(discontinu|stop|ceas)\w* (to )?(offering|providing|supporting|maintaining|updating"
        r"|maintain|update|support|offer|provide|the model\b|the service\b|any feature"
        r"|the (hosted |online )?(version|api|service|product))"
        # a power denied: "nothing in this licence entitles us to terminate it at will"
        # ... or refused outright: "the Licensor cannot revoke this licence for any reason other
        # than your breach" (unless it excepts: "cannot revoke it except at its discretion")
        r"|\b(cannot|can not|may not|will not|shall not) (\w+ )?(terminate|revoke|end|cancel"
        r"|withdraw)\b(?!.*\b(unless|except|but|save)\b)"
        r"|\b(nothing|not|no)\b.{0,40}\b(entitles?|allows?|permits?|authori[sz]es?|gives?)\b"
        r".{0,20}\bto (terminate|revoke|end)\b"
        # what outlives the licence: "this section shall survive termination for any reason"
        r"|surviv\w* .{0,40}terminat"
    ),
    # A cap denied: "no user limit, no revenue threshold".
    "revenue_cap": re.compile(
        r"\bno (\w+ )?(revenue|turnover|size|headcount) (thresholds?|caps?|limits?)"
    ),
    "user_cap": re.compile(
        r"\bno (\w+ )?(user|seat|customer) (thresholds?|caps?|limits?)"
        # an age, not a count: "data from users under 16"
        r"|\b(users|customers|subscribers|people|persons|children) (under|below|over|above|aged)"
        r" \d{1,2}\b(?!\d|[,.]\d)"
    ),
    # The licensee's users reaching the work over a network (AGPL-style source offers), not the
    # licensor reaching into your copy.
    "remote_update": re.compile(
        r"remotely (over|through|via) (a|the) (computer )?network"
        r"|(interact|access)\w* (with )?(it|them|the \w+) remotely"
    ),
    "safety_guardrail": re.compile(
        r"\byou (may|can) (remove|disable|turn off|switch off)"
        # someone else's protection: "circumvent the copy protection of any third-party work"
        r"|^(?!.*\b(safety|guardrails?|filters?|moderation)\b).*((copy|copyright|content|technical"
        r"|technological) protection|rights management|\bdrm\b)"
    ),
    # Outputs free for any use, training included, are no output-use ban.
    "output_use": re.compile(
        # what counts as a derivative: "training on outputs does not make a model a derivative"
        r"^(?=.*\bderivative).*\b(does|do|shall|will) not (make|render|include|cover|constitute"
        r"|count as)\b|"
        r"(may|can|are free to) use (them|it|the outputs?|outputs?|such outputs?)"
        r" for any (lawful )?purpose|(is|are) not (covered|restricted|subject) (by|to)"
        # the licensor's own data practice: "we may use your feedback, but not your outputs"
        r"|\b(we|the licensor|licensor) (may|will|can|shall) use your\b"
        r"|\b(we|(the )?(licensor|company|provider|vendor|supplier|publisher|custodian|consortium"
        r"|organi[sz]er|sponsor|curators?))( \w+)? (do|does|will|shall) not (use|collect"
        r"|retain|store|train)\b"
        r"|(do|does|will) not claim (any )?(ownership|rights?)|(does|do) not (use|collect|retain"
        r"|store) (your|customer|user|outputs?|such)|no (rights?|ownership|claims?) (in"
        r"|to|over) (the |any |their |its |your |such )?outputs"
        # an exception's permission: "propagate output ... even if that would otherwise violate"
        r"|would otherwise (violate|contravene|breach|infringe)"
        # outputs free to train anything: "may be used to train other models without restriction"
        r"|without (any )?(restrictions?|limitations?)\b"
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
        # no field left out: "does not exclude any field of endeavour, including military uses"
        r"|\b(does|do|shall|will|may) not (exclude|restrict|limit|discriminate)\w*\b"
        r"(?!.{0,40}\b(except|other than|but|unless)\b)"
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
        r"|^(?!(you|licensee|recipient|users?|customers?)\b).*\bnot use .{0,40}\b(that )?you "
        r"(upload|provide|submit|send|supply|share)"
        # ... about what the user hands over: "undertakes not to use the data provided by Party B"
        r"|not (to )?use .{0,40}\b(provided|supplied|submitted|uploaded) by (party|you\b|the "
        r"licensee|licensee|users?|customers?)"
        # the grant's edge: "the Model must not be used in breach of this licence"
        r"|(in breach of|in violation of|contrary to|inconsistent with) (this|the) (licen[cs]e"
        r"|agreement|terms)\b"
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
    ),
    # Wording that welcomes commercial use (EPL's "intended to facilitate the commercial use").
    "non_commercial": re.compile(
        r"facilitate (the )?commercial|(can|may) be used in commercial|commercial (use|re)?"
        r"(distribution|redistribution|use)? (of [^.]{0,60})?is (expressly )?permitted"
        r"|permits? commercial|\bcommercial (and|or|and/or) non-?commercial"
        # "feel free to use the model in commercial products"
        r"|(?<!not )\b(feel free|free|welcome) to use\b.{0,40}\bcommercial"
    ),
    # Revised terms that bind licensees are a terms change, not terms passed on to recipients.
    "flow_down": re.compile(
        r"\b(revisions|amendments|changes|updates)\b.{0,20}\bbind|"
        r"(revised|updated|amended|new|changed|modified) (licen[cs]e )?(version|terms|conditions"
        r"|agreement|licen[cs]e|polic\w*)\b.{0,40}\b(bind|appl(y|ies))"
        # terms you need not impose: "you shall not be required to impose these terms on users"
        r"|\bnot (be )?(required|obliged|obligated)\b|\bneed not\b"
    ),
    # Where to report a breach of the policy is no obligation to follow it.
    # A project's code of conduct for contributors binds no user of the model.
    "aup": re.compile(
        r"\breport(ing|s)? (any )?(violations?|breach|misuse)|contributor covenant"
        r"|contribut\w+ (guide|code of conduct)"
        # a policy for the licensor's marks governs its name, not uses of the work
        r"|trademark (usage |use )?(polic|guideline)|name and trademark"
    ),
    # A disclaimer that must be displayed prominently is a notice, not a prescribed name.
    "naming": re.compile(
        r"^(?!.*(built|powered|logo|brand|\bnamed?\b)).*(disclaimer|warrant|liabilit|copyright"
        r"|notice).{0,60}prominently"
        # a ban on using the licensor's name prescribes none (CLAUSES.md: left unlabelled)
        r"|^(do not|don't|never|you (may|must|shall) not|you cannot) (use|include|incorporate)\b"
        r".{0,40}\bnames?\b"
        # a name or statement left to you: "if you wish, you may describe it as built with X"
        r"|\bif you (wish|like|want|choose)\b|\b(you|licensee) (may|can) (\w+ ){0,2}(describe"
        r"|label|call|name|mention|identify|state)\b|\bnot (be )?(required|obliged)\b"
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
    ),
}
