"""Who and where a grant leaves out: excluded fields of use (military, surveillance, ...),
places (regions, sanctioned countries), kinds of people or licensee, platforms a grant is tied to.

Example: `FIELD_RULES["field_of_use"].matches("no licence is granted to users located in the eea")`
-> True.
"""

from __future__ import annotations

from modelbazaar.licenses.rules.base import Rule, near, rule
from modelbazaar.licenses.rules.field_words import (
    EXCLUSION_WORDS,
    FIELD_WORDS,
    SETTLED_FIELD_WORDS,
    TENTH_FIELD_WORDS,
    USE_OR_GRANT,
)

_PLACE = (
    r"(resid\w*|located|domiciled|headquartered|based|incorporated|organi[sz]ed|citizens?"
    # (people situated somewhere: "clinics situated in Canada", not "the team is situated in")
    r"|(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )(?<!\bbe )(situated|established))\w*"
    r" (in|of|outside( of)?)\b(?! (contract|tort|equity|part|whole|law|accordance)\b)"
    r"(?! (a|an|any|such|this|that|its|your|their|the (work|collection|adaptation"
    r"|software|model|materials?|program|product)s?)\b)"
    # "any person who resides in a region where ..."
    r"|(resid|located|based|domiciled)\w* in (a|an|any|one of the) ([\w-]+ )?(region|countr"
    r"|territor"
    r"|jurisdiction|state)"
)
_REGION_NAME = (
    r"(european union|european economic area|\beea\b|\beu\b"
    r"|united kingdom|\buk\b|united states|\busa?\b|south korea|north korea|(mainland )?china"
    r"|people\W?s republic of china|\bprc\b|russia\w*|iran|cuba|syria|crimea)"
)
# a grant for named places only: "cleared for transmission within the United Kingdom and the
# Crown Dependencies only"; "issued to residents of the EEA only"
# (a grant's word first: "free shipping applies within the EU only" grants nothing)
_REGION_ONLY = (
    r"\b(licen[cs]\w*|cleared|authori[sz]ed|granted|permitted|covers?)\b[^;]{0,80}"
    r"\b(in|within|inside|of) (the )?" + _REGION_NAME + r"\b[\w ,]{0,60}\bonly\b"
)
_REGION = r"\b(in|within|from|into) (the )?" + _REGION_NAME
# "any location outside the United Kingdom" leaves places out as "in" does, where something is
# used or accessed ("shipping is not available outside the EU" is no grant's edge)
_OUTSIDE_REGION = r"\boutside( of)? (the )?" + _REGION_NAME
FIELD_RULES: dict[str, Rule] = {
    "field_of_use": rule(
        near(SETTLED_FIELD_WORDS, EXCLUSION_WORDS, 100)
        # (the tenth pass's fields only where something is used, licensed or accessed)
        + r"|^(?=.*"
        + USE_OR_GRANT
        + r").*?(?:"
        + near(TENTH_FIELD_WORDS, EXCLUSION_WORDS, 100)
        + r")"
        # a list item under "You shall not:" starts with the bare verb: "(iii) use the Model ...
        # in the operation of any weapons system"
        + r"|^(\(?[a-z0-9]{1,4}[.)] )?(use|deploy|employ|apply|operate) (the|this|any|it|them)\b"
        + r"(?=.*(;|,|; or|; and)$).{0,120}"
        + FIELD_WORDS
        # a field an exception leaves out: "any purpose except to operate it as a hosted service"
        + r"|\b(any|all) (lawful )?(purposes?|uses?) (except|other than|save|excluding|but)\b"
        + r".{0,100}"
        + FIELD_WORDS
        # a grant that does not reach a field: "shall not ... authorise any use ... by any person
        # engaged in the manufacture of munitions"
        + r"|\b(not|nothing)\b.{0,60}\b(authori[sz]e|permit|allow|cover|extend to|license)\w*"
        + r" (any )?use\b.{0,160}"
        + FIELD_WORDS
        + r"|"
        # (the negation must be about the grant: "located in Germany and does not offer
        # support" excludes no one)
        + near(
            _PLACE,
            r"\b(not|no)\b.{0,40}\b(licen[cs]\w*|grant\w*|permit\w*|allow\w*|authori[sz]\w*|use"
            r"|used|using|available|appl(y|ies)|extend\w*|rights?|eligible|access\w*|download\w*"
            r"|run|query|stream|register)\b|exclud|void"
            # "licence covers residents of the EEA only; cardholders anywhere else fall outside it"
            r"|\bfalls? outside\b",
            120,
        )
        + r"|"
        # named regions a grant leaves out: "does not apply in the European Union"
        + near(_REGION, EXCLUSION_WORDS, 80)
        + r"|^(?=.*"
        + USE_OR_GRANT
        + r").*?(?:"
        + near(_OUTSIDE_REGION, EXCLUSION_WORDS, 80)
        + r")"
        + r"|not (being )?granted to you if you are .{0,80}(domiciled|located|resident)"
        + r"|"
        + _REGION_ONLY
        # (rounds 41-49) "offered to licensed insurers domiciled in Canada only"; "access by
        # private companies is not licensed"; "use of the model in ... is excluded from the licence"
        + r"|(offered|available|licen[cs]ed|granted|provided) (only )?to ([\w-]+ ){0,4}(domiciled"
        r"|located|based|established|headquartered|resident) in [\w ]{1,40}\bonly\b"
        r"|\b(access|use) by ([\w-]+ ){1,3}(is|are) not (licensed|permitted|allowed)\b"
        r"|^use of (the|this) ([\w-]+ ){0,3}(model|software|weights|dataset)\b.{0,100}\b(is|are) "
        r"excluded from\b"
        # people excluded: "may not be used by persons who are not employees"
        # "access is restricted to members of participating universities"
        # (CeCILL's "its use is restricted to experienced users" describes who can cope with it)
        r"|\b(access|use of (the|this|these) [\w-]+|the licen[cs]e|the grant|rights?)\b.{0,20}\b(is"
        r"|are) (restricted|limited"
        r"|confined) to (\w+ ){0,2}(members|employees|staff|students|researchers|residents|citizens"
        r"|customers|users|people|persons|individuals|entities|organi[sz]ations|compan\w+"
        r"|institutions|universities) (of|in|at|from|employed|located|resident|based|within)\b"
        # (who they are or where: "users who have verified their e-mail address" is a gate)
        # people outside: "may not be extended to collaborators outside your institution"
        r"|not (be )?(extended|made available|granted|given|shared) (to"
        r"|with) (\w+ ){0,3}outside (your"
        r"|the"
        r"|its|their) (institution|organi[sz]ation|company|team|laboratory|lab|university)"
        # places other than the territory: "use elsewhere is not licensed"
        r"|\belsewhere\b.{0,30}\b(is|are) not (licensed|permitted|allowed|authori[sz]ed|covered)"
        r"|not (licensed|permitted|allowed|authori[sz]ed) elsewhere\b"
        # kinds of people left out: "employees of the Sponsor ... may not participate"
        # ("clinic staff may not use the Assistant for any of the following purposes:" bans uses)
        r"|^(\w+ ){0,2}(employees|staff|members|residents|citizens|nationals|officers|contractors"
        r"|relatives|family members)\b.{0,80}\b(may|shall|can|must) ?not (participate|enter|use"
        r"|access|download|apply|register)\b(?!.*\bof the following\b)"
        # a licence FAQ read as a statement: "people in Belarus may not download it"
        r"|^(people|persons|users|anyone|companies|residents|entities|organi[sz]ations|individuals)"
        r" (in|from) [^;,]{1,40} (may|can|must|shall) ?not (use|access|download|run|licen[cs]e"
        r"|receive|obtain|install|enter|participate)\b"
        r"|not (be )?used by (any )?(persons?|people|anyone|entit\w+|organi[sz]ations?"
        r"|individuals?|compan\w+)\b|(available|granted|licensed|provided) only to ([\w-]+ ){0,2}"
        r"(persons?|people|employees|members|customers|entit\w+|organi[sz]ations?|individuals?"
        r"|researchers|universities|institutions|users)"
        # "made available to municipal authorities only"
        r"|(available|granted|licensed|provided|open) to ([\w-]+ ){0,2}(authorities|bodies|members"
        r"|employees|customers|users|persons|people|entities|organi[sz]ations|institutions"
        r"|universities|researchers|charities|companies|businesses|residents|citizens|partners"
        r"|agencies|schools|hospitals) only\b"
        # a grant for one purpose or platform only
        r"|(use|used|authori[sz]ed|permitted|licensed|granted)\b.{0,80}\b(solely|only|exclusively)"
        r" for (?!(the )?(non-?commercial|research|evaluat|academic|personal|education|testing"
        r"|non-?profit|not-for-profit|study|teaching"
        r"|scientific|internal|lawful|legal|legitimate|the purposes? of (research|evaluat)"
        r"|(the )?assess))"
        r"|extend only to .{0,80}(run|operat|platform|device|hardware|system)"
        r"|(solely|only|exclusively) (to |for )?((use|run|deploy|install)\w* ((it|them"
        r"|the \w+) )?)?(in "
        r"connection"
        r" with|in conjunction with|on|with) (the |your )?"
        r"([\w-]+ ){0,3}(hardware|devices?|platforms?|products|operating systems?|chips?"
        r"|processors?|gpus?|accelerators?|servers?|machines|computers)"
        # "licensed for use on NVIDIA GPUs only"
        r"|(licen[cs]ed|permitted|authori[sz]ed|granted|covers? (\w+ )?(installation|use"
        r"|deployment)s?) (for use )?(on|with) ([\w-]+ ){0,3}"
        r"(hardware|devices?|platforms?|gpus?|chips?|processors?|accelerators?|computers?|machines"
        r"|servers?|phones?|laptops?) (only|solely|exclusively)\b"
        # one platform: "may be run solely inside the hosted ledger and on no other platform"
        # (not a count of machines: "on one server and one standby node, and on no other machine")
        # (a permission first: "tested on Ubuntu and on no other operating system" reports)
        r"|\b(may|shall|must|licen[cs]ed|permitted|authori[sz]ed|only|solely)\b.{0,100}"
        r"\bon no other ([\w-]+ ){0,3}(platforms?|hardware|chips?|processors?|accelerators?"
        r"|clouds?|operating systems?)\b"
        # a grant for one field only: "licensed for last-mile meal and grocery delivery only" (not
        # "licensed for non-commercial use only", a scope of its own, nor the grant's term)
        # (not "approved for Windows 11 only", "cleared for hospital use only by the FDA",
        # "authorised for building access during business hours only": support and clearance)
        r"|\blicen[cs]ed for (?!(the )?(use|non-?commercial"
        r"|research|evaluat|academic|personal|education|testing|non-?profit|not-for-profit|study"
        r"|non-?production|production|experiment|benchmark"
        r"|teaching|scientific|internal|private|lawful|legal|legitimate|a (period|term)|one|\d)"
        r")([\w-]+ ){1,6}(only|solely|exclusively)\b"
        # a field the licence does not reach: "not licensed for weather-modification operations";
        # "not licensed to control any vehicle on a public road" (not "not licensed for further
        # or production use", research-only; nor "unless you agree ..., you are not licensed to";
        # nor NPL's marks "not licensed for use under this License")
        # (nor a profession's licence: "our pharmacists are not licensed to practise", "the agency
        # is not licensed to sell insurance"; nor a mark "not licensed to third parties")
        r"|^(?!.*\b(unless|until|if) you\b)(?!.*\b(our|we)\b.{0,40}\bnot (be )?licensed\b)"
        r"(?!.*\b(engineers?|agen(cy|cies|ts?)|pharmacists?|advis[eo]rs?|brokers?|doctors?|nurses?"
        r"|practitioners?|accountants?|lawyers?|attorneys?|professionals?|names?|marks?|logos?"
        r"|brands?)\b[^.;]{0,30}\bnot (be )?licensed\b)"
        r".*\bnot (be |being )?licensed (for (?!((use )?under|you|any (further|other) uses?"
        r"|production|commercial|non-?commercial|redistribut|distribut|sublicens|resale|sale|copy"
        r"|modify)\b)|to (use|control|operate|run|deploy|receive|access|process|power|drive|steer"
        r"|inform|support|train|build|develop|generate|produce|decide|assess|score|screen|monitor"
        r"|identify|track|target|analy[sz]e|evaluate|price|underwrite|make|serve|host|query)\b)"
        # a heading with the fields: "Excluded fields: meal-kit subscriptions and pharmacy ..."
        r"|^(excluded|prohibited|restricted|forbidden) (fields?|sectors?|industries|territor\w+"
        r"|countries|regions|licensees)( of (use|endeavou?r))? ?: ?(?!(none|n/?a|nil|not applicable"
        r")\b)\w"
        # kinds of people refused a licence: "no ghost-kitchen aggregator and no rival marketplace
        # may obtain a licence"; "no racing authority ... will be granted access"
        # (to the work, with no condition: "no student will be given access to grades before the
        # release date"; "no sub-account can receive access until ...")
        r"|^(?!.*\b(until|before|unless|pending)\b)no (?!(one|person|party|third|other|licen[cs]e"
        r"|rights?|part|portion)\b)[\w ,-]{1,80}?"
        r" (may|shall|will|can) (obtain|receive|be granted|be given|be issued|acquire) (a |any )?"
        r"(licen[cs]e|access|sub-?licen[cs]e) (to|for|of) (the|this|these|its|our|any)\b"
        # a field left out: "its use in commercial livestock production ... falls outside this
        # licence" (not "use in breach of these terms", the grant's edge)
        r"|\buse (in|for|by) (?!(any |a |the )?(way|manner|breach|violation|accordance|excess"
        r"|compliance)\b).{0,100}\bfalls? outside (of )?(this|the|its|that) (licen[cs]e|grant"
        r"|agreement|permission|scope of (this|the|its|that) (licen[cs]e|grant|agreement))"
        # people and places a grant is limited to: "limited to individuals located in ..."; "to
        # accredited institutions ..., and to no one else"
        r"|(limited|restricted|available|open) (only )?to ([\w-]+ ){0,3}(individuals|persons|people"
        r"|users|entit\w+|organi[sz]ations|compan\w+|residents)( who are| that are)? (located"
        r"|resident|based|domiciled)"
        # "... licensed by the Authority within the fare zone, and no one else"
        r"|\b(to|and) no (one|body|person|other (person|entit\w+|party)) else\b"
        # a licence territory that leaves places out: "Territory means worldwide, excluding the EU"
        r"|territor(y|ies)\b.{0,80}\b(exclud\w*|except)\b|outside (of )?the territory"
        # "'Licensed Territory' means the service area, and deploying it beyond it is not permitted"
        r"|territor(y|ies)\b.{0,100}\b(beyond|outside) (it|them|its (borders|limits"
        r"|boundaries))\b"
        r"|\bexclud\w* (territor\w+|countr\w+|regions?|jurisdictions?)\b(?!: ?(none|n/?a|nil"
        r"|not applicable)\b)"
        # a competing product or service is excluded (FSL, BUSL-style grants)
        r"|(other than|except|exclud\w*|not (for|including|to)|prohibit\w*|no) (a |any |for )?"
        r"compet\w+ (use|product|service|offering|business)"
        r"|other than (a |an |the )?(excluded|prohibited|restricted|competing) (use|purpose)s?\b"
        # "a SaaS offering that competes with the Licensor's products"
        r"|\b(may|must|shall|will) not (\w+ ){0,6}(provide|offer|make available|operate)\w* .{0,60}"
        r"\b(that|which) compet\w+ with"
        # "may only be used by companies headquartered in the EU"
        r"|\b(only (be )?(used|accessed|run|deployed|installed|downloaded) by|(used|installed"
        r"|downloaded|accessed|run) only by|only\b"
        r".{0,40}\buse by)"
        r" ([\w-]+ ){0,2}(persons?|people"
        r"|employees|members|customers|entit\w+|organi[sz]ations?|individuals?|researchers"
        r"|universities|institutions|users|compan\w+|businesses|hospitals|schools|agencies|staff"
        r"|non-?profits|charities|partners|developers|students|academics)\b"
        r"|only .{0,60}run on (a|an|the) .{0,40}(operating system|platform|device|hardware)"
        # "only to develop applications that run on Lumina accelerators"
        r"|\bonly\b.{0,60}\b(run|runs|running|execut\w*|operat\w*) on ([\w-]+ ){0,3}(hardware"
        r"|devices?"
        r"|platforms?|accelerators?|gpus?|chips?|processors?)\b"
        r"|(sanctioned|embargoed) (countries|country|jurisdictions?|persons|regions?|territor\w+"
        r"|areas?)|sanctions list"
        # kinds of user excluded: "any use by a business that is privately owned ... is not
        # permitted"; implementations excluded: "no licence for hardware implementations"
        r"|\b(use|used) by (a|an|any) (\w+ )?(business|compan\w+|organi[sz]ation|entit\w+"
        r"|corporation|enterprise)\b.{0,160}\b(is|are) not (permitted|allowed|licensed"
        r"|authori[sz]ed|granted)"
        # people below an age: "users under 18 years of age are not permitted to use the Model"
        r"|\b(younger than \d+|(under|below) the age of \d+|(under|below) \d+ years|(not (yet )?"
        r"(reached|attained)|under|below) the (age of majority|legal age|minimum age))\b.{0,60}"
        r"\b(not "
        r"(permitted|allowed|eligible)|may not|must not|cannot)\b"
        # "if you are an organisation that provides cloud services, you may not provide the Model"
        r"|\bif you are (a|an) .{0,80}, you (may|shall|must|can) ?not (use|provide|deploy|access"
        r"|distribute|offer)\b"
        # "a licensee that is a cloud service provider may not use the Model"
        r"|\b(licensees?|users?|entit\w+|compan\w+|persons?|organi[sz]ations?|businesses|anyone)"
        r" (that|who|which) (is|are) (a|an) .{0,60}\b(may|shall|must|can) ?not (use|access"
        r"|deploy)\b"
        r"|no licen[cs]es? for (\w+ ){0,2}implementations?|(licen[cs]es?|grants?|rights?)\b.{0,60}"
        r"not (applicable|available|granted) (to|for) (\w+ ){0,2}implementations?"
        r"|subject to (an? )?(comprehensive )?(\w+ ){0,2}(sanctions|embargo)"
        r"|restricted[- ]part(y|ies)"
        r"|\b(on|in|listed on|named on|included in) (the |any |a )?(\w+ )?(entity|denied"
        r" part(y|ies)|export control"
        r"|blocked persons?) lists?\b"
        r"|for good, not evil"
        # a grant for one region or for some people only: "the grant applies only within the
        # EEA"; "only individuals and non-profit organisations may use the Model"
        r"|(grant|licen[cs]e|rights?|agreement|permission)\w*\b.{0,40}\b(appl(y|ies)|valid"
        r"|available|granted|extends?|permitted|licensed) only (in|within|inside)\b(?! (association"
        r"|connection|conjunction|accordance|combination|compliance))"
        # "valid only for the platform on which it was provided"
        r"|(valid|granted|licensed|available) only (for|on) (the|one|a|your|that) (\w+ )?(platform"
        r"|device|hardware|machine|server|system)\b"
        r"|\b(used|deployed|run|operated|hosted|accessed|installed)( (it|them|the \w+))? only (in"
        r"|within|inside)"
        r"( the)? ([\w-]+ ){0,3}(area|union|countr\w+|territor\w+|region|jurisdictions?|states"
        r"|kingdom)\b"
        r"|^only ([\w-]+ ){1,8}(may|can|are (permitted|allowed|entitled|authori[sz]ed) to) (use"
        r"|access|download|run|accept)\b"
        # "only companies that are incorporated in a member state of the EU may accept this"
        r"|^only .{0,100}\b(incorporated|located|resident|based|domiciled|headquartered)\b.{0,80}"
        r"\b(may|can|are (permitted|allowed|eligible))\b",
        True,
        "some people, places or fields of use are excluded",
        "some people, places or fields of use are excluded",
    ),  # fmt: skip
}
