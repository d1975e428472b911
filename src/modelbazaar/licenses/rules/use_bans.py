"""Use restrictions: sentences that ban uses of the work or head a list of banned uses.

Wording varies more here than anywhere (active and passive voice, asides between the modal and
the verb, list headings, plain-English and translated licences), so the pattern is a union of
shapes; vetoes.py vetoes the grant's edge, endorsement bans and the licensor's own promises.

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
        r"|put to use)(, [^,]{1,60},| by [\w ]{1,40}?)? (to|for|in)\b"
        # acts against the people in the data: "agree not to attempt to contact the people"
        r"|\b(agree|undertakes?)\w* not to (attempt to |try to |seek to )?(contact|re-?identify"
        r"|identify|track|locate|profile|harass|de-?anonymi[sz]e|link)\b"
        # "you must ensure the Model is never used to ..."; "no one may use the Weights to ..."
        r"|\b(is|are|be|gets?) never (used|applied|employed|deployed|relied (up)?on) (to|for|in)\b"
        r"|never be (the )?(sole|only|primary|main) basis (for|of)\b"
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
        # "the only condition on use is that the Model is not put to work generating malware"
        # (what is not used must be the work: "provided that reserved names are not used" is OFL's
        # name rule)
        r"|\b(condition|provided|requirement|on the basis)\b.{0,40}\b(model|software|weights|work"
        r"|materials|dataset|data) (is|are|be) not (put to (work|use)|used|employed|deployed)\b"
        # "we don't allow apps that use the model to"; "apps built on the model may not"; "bots that
        # impersonate support agents are prohibited"
        r"|\b(we|licensor|the licensor) (do|does|will) not (allow|permit|accept"
        r"|tolerate) (\w+ ){0,2}"
        r"(apps?|applications?|products?|services?|uses?|users?|anyone|bots?|integrations?) (that"
        r"|which|who) (use|employ|deploy)"
        r"|\b(apps?|applications?|products?|services?|integrations?|bots?|derivatives?) (built"
        r"|based"
        r"|running|powered) (on|with|by) (the|this|our) (model|software|weights)\b.{0,20}\b(may"
        r"|must|shall|can) ?not (be used (to|for)|facilitate|enable|help|assist|generate|produce"
        r"|create|send|collect|target|track|impersonate|deceive|promote)\b"
        r"|^(\w+ ){0,2}(apps?|applications?|bots?|products?|services?|integrations?|uses?|content"
        r"|tools?) (that|which) (use|employ|impersonat|deceiv|generat|produc|scrap|collect|track"
        r"|target|harass|spam|mislead|manipulat|promot|facilitat|sell)\w*\b.{0,100}\b(is|are)"
        r" (strictly |expressly )?(prohibited|forbidden"
        r"|not "
        r"(permitted|allowed))\b"
        # "no model bought here will be employed to produce counterfeit documents"
        r"|\bno (\w+ )?(model|software|weights|copy|copies|materials|dataset|data)\b.{0,40}\b(will"
        r"|shall|may|can|is to) (ever )?be (used|employed|deployed|applied|put to use)\b"
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
        # (the tenth pass's words only after "is/are", so not "are not barred from using personal
        # devices" nor "users banned from using the forum can appeal")
        r"|prohibited from (using|deploying|employing|exploiting|utili[sz]ing|applying)"
        r"|(?:(?<=\bis )|(?<=\bare )|(?<=\bbe ))(forbidden|barred|banned|precluded) from (using"
        r"|deploying|employing|exploiting|utili[sz]ing|applying) (the|this|these|its|any|our)\b"
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
        # "what am I not allowed to do"; "you cannot get it to write spam"; "one of the banned
        # uses"; headings with content: "Prohibited: spam; malware"; "No deployment for: fraud"
        r"|\bwhat (am i|are we|are you) not (allowed|permitted) to do\b"
        r"|\b(cannot|may not|must not|shall not|do not|never|are not to) (try to |attempt to )?"
        r"(prompt|trick"
        r"|induce"
        r"|get|ask|make) (the |our |this )?(model|software|weights|it|assistant|chatbot|bot|agent)"
        r" (to )?(write|generate"
        r"|produce"
        r"|create|help|assist|output|say|give)\b"
        r"|\b(is|are) (one of )?the (banned|prohibited|forbidden) uses\b|\b(is|are) (a "
        r"|an )?(banned"
        r"|prohibited|forbidden) use\b"
        r"|^(prohibited|forbidden|banned|not permitted|disallowed)( uses?| activities"
        r"| purposes)? ?: ?\w"
        r"|^no (use|deployment|employment|application|exploitation)s? (of (the |this )?\w+ )?(for"
        r"|in"
        r"|to)\b"
        r"|\bnot (to )?(submit|input|enter|send|feed)\b.{0,40}\b(prompts?|inputs?|queries"
        r"|requests)\b"
        r"|\buses (that are |which are )?(prohibited|forbidden|not permitted)\b.{0,60}\b(include"
        r"|are|consist)"
        # "you shall not, and shall ensure that your users do not, use the Model"; "Prohibited:"
        r"|\b(shall|will|must|may) not, and [^,]{0,60}, use\b"
        r"|^(prohibited|forbidden|not permitted)( uses?)?: (using|use of|to use)\b"
        # (eighth pass) "no likeness of a real person shall be generated with X"; "no grade may
        # rest solely on the scorer"; "a clinician may not rely on the score alone"; "what's off
        # the table"; "must not engage in any of the conduct listed below"; "Prohibited agent
        # behaviours: ..."
        r"|^no [^.;]{0,80}\b(shall|may|will|can) be (generated|created|produced|synthesi[sz]ed)"
        r" (with|using|by)\b"
        r"|(^(no|never)\b.{0,60}\b(may|shall|can|must|will)|\b(may|shall|can|must|will) not) "
        r"(rest|be based|depend)\w* (solely|only|exclusively|entirely|wholly) (up)?on\b"
        # (advice is no ban: "patients should not rely on the symptom checker alone")
        r"|\b(may|must|shall) not (\w+ ){0,2}rely (up)?on\b.{0,60}\b(alone|solely"
        r"|exclusively|by itself)\b|\boff the table\b"
        r"|(shall|will|must|may) not engage in (any of )?(the )?(conduct|activities|acts"
        r"|behaviou?rs?|practices)( (listed|set out|described))? (below|in the following)"
        r"|^(prohibited|forbidden|banned|disallowed) ([\w-]+ ){1,2}(uses?|activities|behaviou?rs?"
        r"|conduct|purposes|acts): "
        # (eighth pass, rounds 41-49) prompting bans: "must not be asked to produce cheats"; "is
        # not to be used"; "conditional upon the Model never being used"; "no portion of the
        # Articles shall be ingested"; "shall not, whether alone or ..., use the Model"; "no app
        # ... shall use the model to"; re-identification by linking back; list headings
        r"|\b(not|never|no)\b.{0,60}\b(prompt|ask|instruct|configur)\w*\b.{0,60}\bto (generate"
        r"|produce|reproduce|write|imitate|create)\b"
        r"|((is|are) not to be|\bneither\b.{0,80}\b(is|are) to be) (used|employed|deployed"
        r"|applied)\b"
        r"|\bcondition\w*\b.{0,60}\bnever (be |being )?(used|placed|put|employed|deployed)\b"
        r"|^no (portion|part|item|element)s? of\b.{0,80}\b(shall|may|will|can) be (used|ingested"
        r"|included|incorporated|placed|fed)\b"
        r"|(shall|must|may|will) not, [^,]{1,160}, (use|employ|deploy|run|apply) (the|this|any) "
        r"(model|software|weights|work|materials)\b"
        r"|^no ([\w-]+ )?(app|product|service|application|developer|licensee|user|one|reseller"
        r"|customer|partner|party|person)\b.{0,120}\b(shall|may"
        r"|will|can)(, [^,]{1,80},)? use (the|this) (model|software|weights)\b"
        r"|\bno attempt\b.{0,120}\b(link|re-?identif|identify|trace|unmask)"
        r"|(shall|must|may) not\b.{0,40}\b(link|trace)\w* .{0,60}\bback to\b"
        r"|(must|shall|may) not (invoke|use|run|call|employ|deploy|apply)\b.{0,100}\bfor any of the"
        r" following\b"
        r"|\b(uses|applications|purposes)\b.{0,100}\b(forbidden|prohibited|not to make|not"
        r" permitted)\b.{0,60}\b(set out|listed) below"
        r"|(^|: )no use of (the |this |these )?[\w-]+ (may|shall|will|can) be made\b"
        # (rounds 50-58) prompts not to be entered; "no one ... employs the Model to"; "we don't
        # allow agents ... to"; "uses ... that we prohibit"; tasks of the following kinds; works
        # not to be ingested into a training set; bots configured to; "no Output ... made the
        # sole basis"; "no article ... may be ... used to train"; "neither ... be built into"
        r"|(prompts?|inputs?|queries|requests)\b.{0,120}\b(are|is) not to be (entered|submitted"
        r"|input|sent)"
        r"|\bno one\b.{0,60}\b(uses?|employs?|deploys?) the (model|software|weights)\b"
        r"|\bwe do not (allow|permit) (\w+ ){0,4}to\b"
        r"|\b(uses|applications|purposes)\b.{0,80}\b(we|that we) (prohibit|forbid|ban|do not"
        r" allow)\b"
        r"|(shall|must|may) not (submit|post|create|upload|run) (\w+ ){0,2}of the following (kinds"
        r"|types|sorts)"
        r"|(shall|must|may) not be (ingested|fed|incorporated) into (any|a) (dataset|corpus"
        r"|training)"
        r"|(may|must|shall) not configure (the )?[\w-]+ ([\w-]+ )?to\b"
        # (not a description: "no single metric is the sole basis of our ranking")
        r"|\bno\b.{0,80}\b(made|be) the sole basis\b"
        r"|\bensure\w* that no\b.{0,80}\bis the sole basis\b"
        r"|^no\b.{0,120}\b(used|mined|ingested) to (train|fine-tune|evaluate)\b"
        r"|(is|are) (strictly )?(forbidden|prohibited|not permitted|not allowed) to (use|exploit"
        r"|employ|deploy|apply|utili[sz]e)\b"
        # "neither the Model nor any Derivative will be used ... to"
        r"|\bneither\b.{0,80}\b(will|shall|may|must|can)(, [^,]{1,60},)? (ever )?be (used|employed"
        r"|deployed|applied|put to use"
        r"|exploited|set to work|put to work|built into|incorporated into)\b"
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
        r"|^(please )?(do not|never) (use|employ|deploy|merge|fine-tune|combine|embed)\b"
        r"|in no event (shall|may|will) you use"
        r"|(shall|may|will|must) (in no (event|case)|under no circumstances|never|at no (time"
        r"|point)) (use"
        r"|employ|deploy"
        r"|utili[sz]e|apply)\b"
        r"|(in no (event|case|circumstances?)|under no (circumstances|reading)|at no (time|point))"
        r" (shall|may|will|can|is|are) (the |this |any )?(\w+ ){0,3}(be |to be )?(used|deployed"
        r"|employed|applied|utili[sz]ed|operated|run|put to work|set to work|priced|prompted"
        r"|relied (up)?on) (to"
        r"|for|in|with)?\b"
        r"|\bthe following( [\w-]+){0,5} (are|is) (strictly |expressly |hereby )?(prohibited"
        r"|forbidden|not (permitted|allowed))"
        r"|(following|these) (uses|activities|purposes) (are|is) (strictly )?(prohibited|forbidden"
        r"|not (permitted|allowed))|prohibited (uses?|activities|purposes)\b.{0,40}\b(include|are"
        r"|consist)"
        # (tenth pass) acts against the people in the data: "shall neither contact nor try to
        # trace any individual whose samples are held"
        # (not the licensor's promise: "we will not contact individuals who have opted out")
        r"|(?<!\bwe )(?<!\bus )\b(shall|must|may|agrees?|undertakes?)( not to| not| neither| never)"
        r" (attempt to "
        r"|try to |seek to )?(contact|re-?identify|identify|trace|track|locate|profile|follow"
        r"|unmask|de-?anonymi[sz]e)\b.{0,60}\b(individuals?|persons?|people|participants?|donors?"
        r"|patients?|data subjects?|subjects|passengers?|cardholders?|customers?|members of)\b"
        # (people in the data: not "staff must not contact patients outside clinic hours")
        r"[^.;]{0,80}\b(whose|held|contained|recorded|listed|included|represented|in|from|within"
        r"|of)\b[^.;]{0,40}\b(data\w*|cohort|extract|records?|samples?|biobank|study|database|feed"
        r"|corpus|registry|collection|files?|tables?)\b"
        # a role that may not use it to: "no merchant shall use the pricing model to coordinate
        # prices"; "..., no developer, reseller or sub-licensee may use the feed or the API to"
        # (not a promise, "no member of our team will use the data you upload", nor a pointer to
        # another channel, "no customer shall use the support portal to ...; please email")
        r"|^(?!.*\b(please|instead)\b).*\bno ([\w-]+ )?(apps?|products?|services?|applications?"
        r"|developers?|licensees?|users?"
        r"|resellers?|customers?|partners?|merchants?|subscribers?|members?|operators?"
        r"|researchers?|clinics?|recipients?|sub-?licensees?)\b[^.]{0,60}\b(shall|may|can) "
        r"(use|employ|deploy|apply) (the|this|any|its|their) ([\w-]+ ){1,3}[^.]{0,40}\b(to"
        r"|for|in order to)\b"
        # a gerund banned: "automated bulk purchasing of tickets for resale is prohibited";
        # "generating fake emergency alerts ... is prohibited" (not copying, selling or reverse
        # engineering, which are a licence's terms; not removing safeguards, a guardrail)
        # (only gerunds of abuse or of using the work: "force-pushing to the main branch is not
        # permitted" and "parking in the loading bay is prohibited" are house rules)
        r"|(^|; )(([\w-]+ ){0,2}(scrap|harvest|impersonat|spoof|spamm|phish|stalk|harass|defraud"
        r"|dox)\w*ing|((automated|bulk|mass|automatic|systematic) )+([\w-]+ )?[\w-]+ing"
        r"|(generat|produc|creat|post|send|spread|circulat)\w*ing (\w+ ){0,2}(fake|false|fraudulent"
        r"|deceptive|misleading|spam|malicious|abusive|hateful|defamatory|unsolicited)"
        r"|(using|deploying|employing|running|applying) (the|this|these|its|any) [\w-]+"
        r"|sending (it|them) to)\b.{0,160}\b(is|are) (strictly "
        r"|expressly )?(prohibited|forbidden|not (permitted|allowed))\W*$"
        # list headings: "among the uses the Authority prohibits are the following:"; "the
        # following kinds of content may not be hosted on the service:"
        # (not "applications that the sandbox does not allow include ...", nor "the following
        # fields must not be left blank:")
        r"|\b(uses|purposes|activities) (that |which )?(the )?([\w-]+ ){0,2}"
        r"(prohibits|forbids|bans)\b.{0,40}(\b(following|include|includes|including)\b|:$)"
        r"|\bthe following ((kinds?|types?|categories|forms?|sorts?) of )?(content|uses?|material"
        r"|media|activit\w+|purposes?|applications?|outputs?|works?|prompts?|requests?)"
        r" (may|must|shall|can) not be (used|hosted|uploaded|posted|generated|shared|published"
        r"|transmitted|stored|created|submitted|produced|made|offered)\b.{0,60}:$"
        # a score as the only ground of a decision: "no subscriber shall treat an estimate as the
        # sole basis for"; "may never be the only grounds on which"; "shall not rest on the score
        # alone"; "no person shall rely on the predictions alone when deciding"
        # (advice is not a ban: "should not be used as the sole basis for medical decisions")
        # (a modal's ban: not "makes no representation that the score is the sole factor", nor
        # the licensor's "we will never make a decision ... as the sole basis")
        r"|(\bno\b[^.;]{0,60}\b(shall|may|must)\b|\b(may|must|shall) (not|never))\b.{0,100}"
        r"\b(as|be|is|made|become) (the )?"
        r"(sole|only|exclusive) (basis"
        r"|grounds?|determinant|factor)\b"
        r"|(\b(may|must|shall) not|^no\b.{0,60}\b(may|must|shall)) (\w+ ){0,2}(rely|rest"
        r"|be based|depend)\w* (up)?on\b.{0,60}\b(alone|solely"
        r"|exclusively|by (itself|themselves))\b"
        # deceptive edits: "no archive recording shall be edited so as to misrepresent"
        # (a ban with a modal: not "we never edit reviews so as to mislead customers")
        r"|(\bno\b[^.;]{0,80}\b(shall|may|must)\b|\b(shall|may|must) (not|never)\b)[^.;]{0,80}"
        r"\b(so as to|in order to|in a way that|in such a way as to) "
        r"(misrepresent|mislead|deceive|impersonate|defame|misattribute)\b",
        True,
        "use-based restrictions apply",
        "use-based restrictions apply and must flow down",
    ),
}
