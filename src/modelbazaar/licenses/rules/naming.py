"""Prescribed names: a derivative's name that must start with, contain or end in the original's,
"Built with X" statements, badges, logos and naming schemes (not plain notice retention, nor a
ban on using the licensor's name: CLAUSES.md leaves those unlabelled).

Example: `NAMING_RULES["naming"].matches('display "built with llama"')` -> True.
"""

from __future__ import annotations

from modelbazaar.licenses.rules.base import Rule, rule

# "must acknowledge, in their interface, that ...": a required statement, with an aside first
_MUST_DECLARE = (
    r"(must|shall|(is|are) (required|obliged) to) (\w+ ){0,2}(acknowledg|state|indicate|mention"
    r"|display|show|disclose|inform|tell"
    r"|notify|let \w+ know)\w*\b.{0,60}"
)

_MUST = r"\b(must|shall|has to|have to|needs? to|(is|are) (required|obliged) to)\b"
# (tenth pass) Quoted wording that names its maker: "'Categorisation by X'", "'Runs on X'" ("by
# updating the parser" says how, not who).
_BY_MAKER = (
    r"[^\"']{0,40}\b(by|with|on|powered|built|made|uses?|inside|based|derived|derivative)\b"
    r"(?! [\w-]+ing\b)[^\"']{0,40}[\"']"
)
# What a prescribed title is for: a derivative, product, model or work (not test files).
_DERIVED = (
    r"\b(deriv\w*|products?|models?|works?|versions?|variants?|fine-?tun\w*|retrain\w*|adapt\w*"
    r"|forks?|modifi\w*|distill\w*|checkpoints?|weights|apps?|services?|maps?|datasets?)\b"
)

NAMING_RULES: dict[str, Rule] = {
    "naming": rule(
        r"at the beginning of (any|the|such)?.{0,30}name|name prefix|prefix.{0,40}name"
        r"|\bnam(e|es|ed|ing)\b.{0,40}\b(with|using|carry|bear)\w* the (prefix|suffix)"
        # "must carry the suffix -ft after the original name"; "the original name as the first
        # part of its name"; "the name must make clear that it derives from X"
        r"|(carry|bear|use|add|include)\w* (the |a )?(prefix|suffix)\b.{0,60}\bnames?\b"
        r"|as the (first|leading|initial) (part|word|element|component) of (its|their|the) names?"
        r"|\b(first|leading|initial|opening) (word|part|element|component) of .{0,40}\bnames?\b"
        r".{0,60}(must|shall)"
        r"|\bnames?\b.{0,60}\b(must|shall) (make (it )?clear|indicate|show|reflect|state"
        r"|disclose)\w*\b.{0,60}\b(deriv|based on|built (on|with)|origin)"
        r"|names? (that |which )?(must |shall )?(begins?|starts?) with|keep the prefix"
        r"|\bnames?\b( \w+){0,4} (must|shall|should|has to|have to|needs? to) (begin|start"
        r"|end) with"
        # "derivatives carry the "Kite-" prefix"
        r"|(carry|bear|use|add|include)\w* (the |a )?\"[^\"]{1,30}\" (prefix|suffix)\b"
        r"|\"[^\"]{1,30}\" at the (start|beginning|front|end) of .{0,30}name"
        # "call your fine-tunes something that starts with X-"
        r"|(call|name)\w* (your|each|every|any|the) .{0,40}\b(something|a name|names?) (that )?"
        r"(starts?|begins?|ends?) with"
        r"|(display|state|show|feature|carry|bear|label|caption)\w*.{0,120}\"(built|powered"
        r"|improved|made|created|developed|based|derived|runs|running) (with|using|on|by|from)"
        r" [^\"]{1,40}\"|\"(built|improved|powered|made|runs) (with|using|on|by) [^\"]{1,40}\""
        r"|is built using .{1,60} technology|brand guidelines"
        r"|(must|shall) (prominently |clearly )?(display|state|show|say|read|mention) .{0,60}"
        r"\"[^\"]{1,40}\""
        r"|(include|display|state)\w* prominently|prominently (display|include|state|show)"
        r"|(feature|display|show)\w* the licensor\W?s? (logo|name)"
        r"|credit the licensor|(name|title) of any .{0,60}must include"
        r"|\b(names?|titles?) of (any|each|every|all|the|your|such) .{0,60}(must|shall) (contain"
        r"|include"
        r"|begin|start|bear|carry|end)"
        # "names of the form X-<task>"
        r"|\bnames? (of|in|following|according to|using) (the|this|a) (form|format|pattern|scheme"
        r"|convention)\b"
        # a prescribed way to refer to it: "may only be referred to as the Asset Name"
        r"|(may|must|shall|can) only be (referred to|called|named|identified|described) as"
        r"|(must|shall) be (named|called|titled|labell?ed)\b.{0,60}\b(derived|based) (from|on)\b"
        r"|(must|shall) be (referred to|called|named|identified|described|labell?ed|marked"
        r"|designated) as \""
        r"|(names?|logos?)\b.{0,40}(must|shall) (appear|be displayed|be shown|be printed) on (all"
        r"|every|each|the) .{0,20}(outer|front|cover|packag|product|box|splash|start)"
        r"|(its|their|the|whose) ([\w-]+ ){0,2}names? (must |shall )?(contains?|includes?"
        r"|begins? with|starts? with|ends? (in|with))\b"
        # (any name, with a modal: "a merged model's name needs to include"; "each file name
        # includes the date" describes)
        r"|\b(its|their|the|whose|a|an|each|every|any) ([\w'-]+ ){0,2}names? (must|shall|has to"
        r"|have to|needs? to) (contain|include|begin with|start with)\b"
        r"|(must|shall) (\w+ ){0,2}(label|brand|name|call|title|market|mark|designate|tag|describe"
        r"|refer to|identify)\w*"
        r" .{0,60}"
        r"\bas \""
        r"|(must|shall) (\w+ ){0,2}be branded (with|as)\b|(labell?ed|marked) with (the |its |our )?"
        r"[\w-]+ (name|brand|logo)"
        r"|name shall be as large as|[\"'][^\"']{1,30}[\"'] in (its|their|the|each|every) (\w+ )?"
        r"names?"
        r"|(phrase|words?|statement|badge|label|caption|notice|legend|line|text)\s+[\"']?(built"
        r"|powered|made|created|developed|running|runs) (with|on|by|using)\b"
        # 'the phrase "X-based" shall be displayed'
        r"|(phrase|words?|statement|badge|label|caption|legend|line|mark)\s+\"[^\"]{1,40}\"\s+(must"
        r"|shall)\s+(be\s+)?(displayed|shown|included|appear|stated|printed)"
        # 'must carry a notice stating "This application uses X."'
        r"|(notice|statement|label|legend|line|text|caption|banner)\w* (stating|reading|saying"
        r"|that (reads|says))\s+\"[^\"]{0,40}\b(uses?|built|powered|based|runs)\b"
        r"|(must|shall|required to) (prominently |clearly )?(carry|display|show|feature|include"
        r"|bear)\w* (the |our |its |an? )?([\w'-]+ ){0,2}(\"[^\"]{1,30}\" )?(logo|brand|badge"
        r"|mark|seal|sticker)\b"
        # "must state that the product is built with X", without quotes
        r"|(must|shall) (clearly |prominently )?(state|indicate|mention|display|disclose)\w* "
        r"(that )?(it|the|your|such|any)\b.{0,40}\b(is|was|are|were) (built|based|powered|made"
        r"|derived|developed|created) (with|on|using|from|by)"
        # ... with an aside first: "must acknowledge, in their interface, that they are built with"
        r"|" + _MUST_DECLARE + r"\bthat\b.{0,40}\b(is|was|are|were) (built|based|powered|running"
        r"|runs|developed|made|created|derived) (with|on|using|from|by)"
        r"|" + _MUST_DECLARE + r"\bthat (it|they|the \w+|your \w+|such \w+) (uses?|incorporates?"
        r"|rel(y|ies) on|runs on|(is|are) powered by|(is|are) based on|(includes?|contains?) [\w-]+"
        r" (technology|models?|weights))\b"
        r"|\bnames? of (the |any |such |your |each |every )?[\w -]{0,40}\b(begins?|starts?) with\b"
        # the brand in a title, a prescribed form: "must carry the X name in its title"
        r"|(must|shall) (\w+ ){0,2}(carry|bear|include|contain|display|show|use)\w* (the |our |its"
        r" |an? )?([\w-]+ ){0,2}(name|brand|mark)s? (in|on|within|as part of) (its|their|the|each"
        r"|every|any) ([\w-]+ ){0,2}(title|names?|heading)"
        # "ensure that the Derivative's name incorporates the word Ibis"
        r"|\bnames? (incorporates?|carries|bears) the (word|term|string|mark|name)\b"
        # a name template: "name it kestrel-[task]"; "name it kestrel-<suffix>" (the segmenter
        # drops what looks like a tag, leaving the prefix "kestrel-")
        r"|\b(name|call|title|label)\w* (it|them|(your|each|any|the|every) [\w-]+) \"?([\w.-]*[\[{]"
        r"[^\]}]{1,30}[\]}]|[\w.]+[-_](\W|$))"
        # "shall be named in compliance with Annex D"; "under a name beginning with X"
        r"|(must|shall) be (named|titled|branded|labell?ed) (in (compliance|accordance|conformity)"
        r" with|as (set out|specified|required|described) in)\b"
        r"|(must|shall|required)\b.{0,60}\bnames? (beginning|starting|ending) with\b"
        r"|(must|shall|(is|are) to) be (named|called|titled|labell?ed|designated|branded) (in a way"
        r" that (identifies|shows"
        r"|indicates|makes clear)|in the form|according to|following"
        r"|using the (format|pattern|scheme|convention))"
        # (a heading "Naming Conventions." or a ban on the licensor's names prescribes nothing)
        r"|(use|follow|comply with|adhere to|conform to|apply)\w* (the |our |this |that )?"
        r"([\w-]+ )?naming "
        r"(convention|scheme|pattern|format|guidelines?|rules|polic\w*)"
        r"|(must|shall) (\w+ ){0,2}(bear|carry|display|show|feature|include)\w* (the |a )?"
        r"(mark|badge|label|logo|legend|brand|trademark) [\"']"
        r"|identify (it|them|(any|each|every|the|such|your) ([\w-]+ ){0,2}(derivative|model"
        r"|product|work)s?) as "
        r"(a |an |the )?([\w-]+ )?(derivative|model|product|work)\b"
        # "must mention X in its name"; "the derivative's name must carry the original's name"
        r"|(must|shall) (\w+ ){0,2}(carry|bear|include|contain|display|show|use|mention|reference"
        r"|feature)\w* .{0,40}\bin (its|their|the|each|every|any) (model |product )?(names?"
        r"|titles?)\b"
        # "published under a name that contains the word X"; "label any derivative as based on
        # X"; "must identify the underlying model as X to its users"
        r"|\b(a|the|its|their) ([\w-]+ )?name (that|which) (\w+ ){0,2}(contains?|includes?|begins?"
        r"|starts?|carries|bears)\b"
        # "the designation of any Derivative includes, as a prefix, the word X"
        r"|\b(names?|designations?|titles?) of (any|each|every|the|such|your) .{0,40}\b(includes?"
        r"|contains?|begins?|starts?|carr(y|ies)|bears?)\b.{0,30}\b(prefix|suffix)"
        # "a name whose first element is X"; "not ... under a name that omits the word X"
        r"|\bnames? (whose|with|where the|in which the) (first|leading|initial|opening|last|final)"
        r" (word|part|element|component|token)\b"
        r"|\bnot\b.{0,80}\bunder a name (that|which) (omits?|lacks?|does not (contain|include"
        r"|carry|bear))"
        r"|(label|mark|describe|identify)\w* (any|each|every|the|such|your) ([\w-]+ ){0,2}"
        r"(derivative|model|product|work)s? as (\w+ ){0,2}(based on|derived from|built (on|with)"
        r"|powered by)"
        r"|(must|shall) (\w+ ){0,2}(identify|disclose|name|credit)\w* [\w-]+ as the (underlying"
        r"|original|base|source) (model|weights)\b"
        r"|(must|shall) (\w+ ){0,2}(identify|disclose|name|credit)\w* the (underlying|original"
        r"|base|source) (model|weights)\b"
        r"|(derivative|model|product|work)\W?s? names? (must|shall|should|is to|are to) (include"
        r"|contain|begin|start"
        r"|end|bear|carry|reference|mention|keep|retain)"
        r"|(referred to|called|named) only as|(must|shall) (be )?(name|call|refer to)\w* .{0,60}"
        r"\"[^\"]{1,40}\""
        # a naming scheme for derivatives: "must be renamed to retain the original name and add
        # ..."; "the name ... must be the name of the original, with X appended"; a list of them
        r"|(must|shall) be renamed\b.{0,40}\b(retain|keep|include|contain|add|append|prefix)"
        r"|\bnames?\b.{0,60}(must|shall) be the name of|(appended|prefixed|added) to (that|the|its"
        r"|their|each) (\w+ )?name\b"
        r"|\bnames? (complies|compl(y|ies) with|conforms?) (with |to )?the following"
        r"|names? of (the |any |such |your |each |every )?(derivative|modified|fine-?tuned|adapted"
        r"|model|work|product)\w*\b.{0,60}(must|shall|should|are to|is to) (include|contain|begin"
        r"|start|end|bear|reference|mention)"
        r"|\bnames?\b.{0,60}\b(include|carry|bear|use|add|end with|begin with)\w* (the |a )?"
        r"(prefix|suffix)"
        # "obliged to name every model it derives ... in the format X-[purpose]"; "identified as
        # derivatives of X in their names"
        r"|\bname (every|each|any|all|the|its|your)\b.{0,80}\b(in|using|following|according to)"
        r" the (format|form|pattern|scheme|convention)\b"
        # (tenth pass) "are to name it in the format '<Clinic> Build of X'" ("please name it in
        # the format YYYY-MM-DD" is advice)
        r"|(" + _MUST + r"|(is|are) to) (\w+ ){0,2}name (it|them)\b.{0,80}\b(in|using|following"
        r"|according to) the (format|form|pattern|scheme|convention)\b"
        r"|(identified|identify|marked|labell?ed|designated)\w* as .{0,60}\bin (its|their|the) "
        r"names?\b"
        # (eighth pass) a participle: "must be released under a name containing X", "a title
        # ending in the tag ..."; "a name that keeps 'X' as its first word"; "the title prefix"
        r"|" + _MUST + r".{0,80}\b(names?|titles?|designations?) (containing|including|beginning"
        r" with|starting with|ending (in|with)|commencing with|prefixed (with|by)|suffixed with"
        r"|that (commences|keeps|retains|ends in))\b"
        r"|\b(keeps?|retains?|uses?|has)\w* [\"'][^\"']{1,30}[\"'] as (its|their|the) (first"
        r"|leading|initial|last|final) (word|part|element)"
        r"|\b(titles?|names?) (prefix|suffix)(es)?\b"
        # "shall ensure that any fine-tune it releases is named "HELVIN-" followed by ..."
        r"|" + _MUST + r".{0,80}\b(is|are|be) (named|called|titled) [\"'][^\"']{1,40}[\"']"
        # quoted badges and statements: "shall print the 'Orrin Inside' badge"; "display the
        # statement 'Contains X Technology'"; "state that the device 'runs X'"
        r"|" + _MUST + r" (\w+ ){0,2}(print|carry|display|show|feature|include|bear|affix"
        r"|place)\w* (the |a |an )?[\"'][^\"']{1,40}[\"'] (badge|mark|seal|logo|label|legend"
        r"|sticker|tag|splash|screen|banner|watermark|credit)"
        r"|" + _MUST + r".{0,80}\b(display|show|state|print|read|say|carry|bear|include)\w* (the )?"
        r"(words?|phrase|statement|legend|line|tag|caption|wording) [\"'][^\"']{2,60}[\"']"
        r"|" + _MUST_DECLARE + r"\bthat\b.{0,40}[\"'](runs|uses|contains|built|powered|based)\b"
        # (rounds 41-49) "must be labelled 'Powered by X'" ("must show the 'Made with X' splash
        # screen" is with the badges above); "must state, in the first line of the card, 'Built
        # on X'"; "shall append the format to the original model name"; "uploaded under the
        # pattern '<base>-lora-<task>'"; "has to carry the word X somewhere in its name";
        # "released with the statement '...'"
        r"|(must|shall) be (labell?ed|marked|captioned|badged|branded) [\"']"
        r"|" + _MUST + r".{0,80}\b(state|display|show|say|read|carry|bear)\w*\b.{0,60}[\"'](built"
        r"|powered|made|based|derived|runs|trained) (with|on|by|using|from)\b"
        r"|" + _MUST + r".{0,60}\b(append|prefix|add)\w* .{0,40}\bto (the|its|their|each) ([\w-]+ )"
        r"{0,2}name\b"
        r"|"
        + _MUST
        + r".{0,80}\bunder the (naming )?(pattern|format|scheme|convention|designation)"
        r"\b"
        r"|" + _MUST + r" (\w+ ){0,2}(carry|bear|include|contain|use|mention)\w* .{0,40}\bin (its"
        r"|their|the|each|every|any) (model |product )?(names?|titles?)\b"
        r"|" + _MUST + r".{0,80}\b(with|bearing|carrying) the (statement|words?|phrase|legend|line"
        r"|wording|caption) [\"']"
        r"|\bnames?\b( \w+){0,4} " + _MUST + r" (open|begin|start) with\b"
        # (rounds 50-58) "must carry, near its title, the line 'Annotated on X'"; "is to carry in
        # its footer the legend 'Prepared with X'"; "shall show 'Answers by X'"; "a designation
        # that opens with 'x-ft-'"; "by appending the suffix '-community'"
        r"|(" + _MUST + r"|(is|are) to) (\w+ ){0,2}(carry|bear|display|show|include)\w*,? .{0,40}"
        r"\bthe (statement|words?|phrase|legend|line|wording|caption|text) [\"']"
        r"|" + _MUST + r" (\w+ ){0,2}(show|display|print|carry|bear)\w* [\"'][^\"']{0,30}\b(by"
        r"|with|on|powered|built|made|uses?|inside)\b[^\"']{0,30}[\"']"
        r"|(designation|name|title) (that|which) (opens|begins|starts) with\b"
        r"|(append|add|prefix)\w* (the |a )?(prefix|suffix)\b"
        # (tenth pass) "are to describe the feature as 'Categorisation by X'" (a label that names
        # its maker: "label the ticket as 'blocked'" is none); "shall state 'Basecalling by X' in
        # its documentation" ("must state 'Fixes #12 by updating ...'" is a commit message);
        # "may only be published under a designation that includes the words 'X derivative'";
        # "products derived from ... are to be titled with the opening words 'X-based'"; "using
        # the product names set out in the Fare Product Naming Guide"
        r"|(" + _MUST + r"|(is|are) to) (\w+ ){0,2}(label|brand|name|call|title|describe|refer to"
        r"|present|identify|designate)\w* .{0,60}\bas [\"'](?!copyright)"
        + _BY_MAKER
        + r"|"
        + _MUST
        + r" (\w+ ){0,2}(state|say|read|mention|include)\w* [\"'](?!copyright)"
        + _BY_MAKER
        + r"|\b(only|must|shall|(is|are) to)\b.{0,60}\bunder (a|the) ([\w-]+ )?(designation|title"
        r"|name) (that|which) (\w+ ){0,2}(includes?|contains?|begins?|starts?|ends?|carries"
        r"|bears)\b"
        r"|^(?=.*" + _DERIVED + r").*(" + _MUST + r"|(is|are) to) be (titled|named|called"
        r"|labell?ed|designated|branded|marked) (with|using) (the |a )?(opening|first|leading"
        r"|initial|closing|final)? ?(words?|prefix|suffix|term|phrase)\b"
        r"|(" + _MUST + r"|(is|are) to|agrees? to)\b.{0,40}\b(follow|comply with|adhere to"
        r"|conform to|set out in|specified in|accordance with)\w*.{0,40}\bnaming (guides?"
        r"|standards?|manual|requirements|handbook)\b"
        # "must ensure that anyone reading your model card can see that it was derived from X"
        r"|" + _MUST + r" (\w+ ){0,2}?(ensure|make sure)\w* .{0,60}\b(can see|can tell|knows?|(is"
        r"|are) (made )?aware|(is|are) told)\b.{0,20}\b(is|was|are|were) (derived|based|built"
        r"|made|powered) (from|on|with|by)\b"
        r"|" + _MUST + r".{0,60}\b(using|use|with|under)\b,?( unchanged,)? the ([\w-]+ )?(product"
        r"|brand|model|trade|service)[- ]names? (set out|set forth|specified|prescribed|given"
        r"|listed) in\b",
        True,
        "derivatives or products must carry a prescribed name or statement",
        'name derivatives or label products as the licence prescribes (e.g. "Built with X")',
    ),
}
