"""Vetoes: per clause kind, wording that looks like that clause but grants or restricts nothing
(the licensee changing the text, GPL's "new versions", ending the licence on a breach, a name
that may not endorse products, the licensor's own undertakings). look_alikes.settle applies them.

Example: `VETO["use_restriction"].search("the name of the author may not be used to endorse
products")` matches.
"""

from __future__ import annotations

import re

from modelbazaar.licenses.rules.use_vetoes import USE_VETO

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
        r"|(writing|written)( and)? signed by|signed by ([\w-]+ ){0,3}(of )?(both|all|each|the) "
        r"(parties|affected)|signed by ([\w-]+ ){0,3}(of )?both\b|countersigned"
        # revised licences for later releases only: "the weights you hold stay under the version"
        r"|for (future|later|new) releases only|(stay|remain)s? under the version"
        r"|take effect only (when|if|once) you (accept|agree)|binds? only (those"
        r"|the) .{0,40}\baccept"
        # what changes is no terms: "model versions served ... may change without notice"
        r"|^(?!.*\b(terms|licen[cs]es?|agreements?|polic\w*|conditions|rules)\b).*\b(versions?"
        r"|models?|engines?|endpoints?|datasets?|prices?|fees?|rates?)\b.{0,60}\b(may|can|will) "
        r"(change|be (updated|changed|revised))\b"
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
        r"|services?|api|code|samples?|corpus|archive|sdks?|firmware|plugins?|drivers?|tools?)\b"
    ),
    "discretionary_termination": re.compile(
        r"^(?!.*(any reason|without cause|convenience|competitor|compet(e|es|ing)\b|acquired|merge"
        r"|criticis|disparag|interests|reputation|disrepute|goodwill|sanction|insolven|bankrupt"
        r"|irrespective of|regardless of|whether or not|without (having |needing )?to (show|prove"
        r"|establish|demonstrate)))"
        r".*(breach|violat|fail\w* to comply|non-?compliance|\bbreak\w* (the|these|this|any) )"
        # the licensee ending its own licence: "you may terminate this licence at any time"
        r"|\b(you|licensee|recipient|customer|user|subscriber|participant|entrant|member|student"
        r"|team|client|operator|buyer|purchaser|researcher|reader|beneficiar(y|ie)|worker|creator"
        r"|author|contributor|employee)s? (may|can)\b"
        r"(?:(?!\bwe\b|licensor|\bus\b).){0,60}"
        r"\b(terminate|end|cancel|withdraw|revoke|opt out|close|deactivate)"
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
        r"|(shall|will|may) not be entitled to (suspend|terminate|revoke|end)\b"
        # datasets withdrawn end no licence: "may update, correct or withdraw datasets"
        r"|\b(withdraw|remove|retire|deprecate)\w* (\w+ ){0,2}(datasets?|files?|versions?|engines?"
        r"|listings?)\b(?! and (\w+ )?(licen|access|rights))"
        # (tenth pass) the licensee's own plan: "the Practice may cancel its subscription"
        r"|\b(cancel|end|terminate)\w* (its|your|their|his|her) (own )?(subscription|plan"
        r"|membership)\b"
    ),
    # A cap denied: "no user limit, no revenue threshold".
    "revenue_cap": re.compile(
        r"\bno (\w+ )?(revenue|turnover|size|headcount) (thresholds?|caps?|limits?)"
    ),
    "user_cap": re.compile(
        r"\bno (\w+ )?(user|seat|customer) (thresholds?|caps?|limits?)"
        # a head count is a company-size cap: "employ fewer than 25 people"
        r"|\bemploy\w* (more|fewer|less|no more|over|under) (than )?[\w,]+ (people|persons|staff"
        r"|employees)"
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
        # (ninth pass) a safety feature the user controls, or one red-teamers are asked to test
        r"|\b(can|may) be (switched|turned) (off|down)\b|\bcan (disable|turn|switch) (it "
        r"|them )?off"
        r"|\b(users?|owners?|hosts?|admins?|administrators?) can (disable|turn|switch)\b"
        r"|encouraged to (try to )?(bypass|circumvent|defeat)|\boptional (\w+ ){0,2}(checker|filter"
        r"|classifier)"
        # someone else's protection: "circumvent the copy protection of any third-party work"
        r"|^(?!.*\b(safety|guardrails?|filters?|moderation)\b).*((copy|copyright|content|technical"
        r"|technological) protection|rights management|\bdrm\b)"
        # (tenth pass) how training data was cleaned: "clusters filtered to remove pathogens"
        r"|\b(filtered|screened|cleaned|curated|deduplicated) (\w+ ){0,2}to (remove|exclude|drop)\b"
        # ... and a warning the user may switch off: "clinic administrators may turn off the
        # dosage pop-ups" ("no user may mute its alerts" forbids it)
        r"|(?<!\bno )\b(users?|owners?|admins?|administrators?|operators?|wearers?|clinicians?"
        r"|drivers?|riders?|staff|clinics?|practices?) (may|can) (turn|switch|mute|silence|hide"
        r"|dismiss|snooze)\b"
        # what switching a device off does, told and forbidden by no one: "turning off the spam
        # filter ends the quarantine" ("tampering with it ends this licence" is a clause)
        r"|^((turning|switching) (off|down)|disabling|bypassing|removing|overriding|tampering"
        r"|circumventing|skipping|deactivating|lowering|muting|stripping|weakening|defeating)\b"
        r"(?!.*\b(licen[cs]|agreement|terms\b|prohibit|forbid|not (permitted|allowed)|breach"
        r"|violat|terminat|revo|suspen|forfeit|must\b|shall\b|may not\b|entitl))"
        # a house style for interfaces: "our style guide says chart warnings must not be obscured"
        r"|\b(style guide|design system|ui guidelines|design guidelines)\b"
    ),
    # Revised terms that bind licensees are a terms change, not terms passed on to recipients.
    "flow_down": re.compile(
        r"\b(revisions|amendments|changes|updates)\b.{0,20}\bbind|"
        r"(revised|updated|amended|new|changed|modified) (licen[cs]e )?(version|terms|conditions"
        r"|agreement|licen[cs]e|polic\w*|protocol|charter|rules|code|standards?)\b.{0,40}\b(bind"
        r"|appl(y|ies))"
        # terms you need not impose: "you shall not be required to impose these terms on users"
        r"|\bnot (be )?(required|obliged|obligated)\b|\bneed not\b|\bnothing\b.{0,40}\bobliges\b"
    ),
    # Where to report a breach of the policy is no obligation to follow it.
    # A project's code of conduct for contributors binds no user of the model.
    "aup": re.compile(
        r"\breport(ing|s)? (any )?(violations?|breach|misuse)|contributor covenant"
        r"|contribut\w+ (guide|code of conduct)"
        # a policy for the licensor's marks governs its name, not uses of the work
        r"|trademark (usage |use )?(polic|guideline)|name and trademark"
        # (ninth pass) a policy said not to bind; rules of another kind than use
        r"|\b(does|do|shall|will) not (form part|bind|apply)|\bnot a condition of"
        r"|\bnot (form(ing)? )?part of (these|this"
        r"|the)\b|\bnon-binding|\bnot binding|for guidance only|offers? suggestions"
        r"|\b(industry|applicable|accounting|technical|coding|style|contribut\w*|trademark|brand\w*"
        r"|privacy|accessibility|export|legal|documentation|logo|attribution|data protection)"
        r" (standards?|guidelines?|principles|rules|code)\b"
    ),
    # A disclaimer that must be displayed prominently is a notice, not a prescribed name.
    "naming": re.compile(
        r"^(?!.*(built|powered|logo|brand|\bnamed?\b)).*(disclaimer|warrant|liabilit|copyright"
        r"|notice).{0,60}prominently"
        # a ban on using the licensor's name prescribes none (CLAUSES.md: left unlabelled)
        r"|^(do not|don't|never|you (may|must|shall) not|you cannot) (use|include|incorporate)\b"
        r".{0,40}\bnames?\b"
        # a name or statement left to you: "if you wish, you may describe it as built with X"
        r"|\bif you( would|'d)? (wish|like|want|choose|prefer)\b|\b(is|are) (entirely )?optional\b"
        r"|\b(you|licensee) (may|can) (\w+ ){0,2}(describe"
        r"|label|call|name|mention|identify|state)\b|\bnot (be )?(required|obliged)\b"
        r"|never required|: optional\b"
    ),
}
VETO |= USE_VETO
