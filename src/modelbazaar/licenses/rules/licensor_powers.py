"""What the licensor keeps the power to do: end the licence (on a lawsuit or at will), restrict
use remotely; and which law governs (notable, not restrictive). Terms changes are in terms.py.

Example: `LICENSOR_POWER_RULES["discretionary_termination"].matches("we may terminate this
licence at any time for any reason")` -> True.
"""

from __future__ import annotations

from modelbazaar.licenses.rules.base import Rule, near, rule

_SUE = r"(institut|initiat|commenc|bring|brings|fil(e|es|ed|ing)|make|assert|pursu|threaten"
_SUE += r"|start|launch|begin|lodge|raise|tak\w+ legal)\w*"
_SUE += r" .{0,80}"
_SUE += r"(litigation|lawsuit|proceeding|legal action|action|claim|suit)"
_SUE += r"|\bsu(e|es|ing)\b"  # "if you sue any party alleging ..."
# (tenth pass) "claims in any court that Tempo's software infringes" (a claim for damages or a
# time limit on claims is no IP suit)
_SUE += r"|\b(assert|claim|alleg|contend|argu)\w* (in|before) (any |a )?(court|tribunal|arbitra)\w*"
_SUE += r"\b.{0,120}\binfring"
_ENDS = r"terminat|\bend(s|ed)?\b|revok|revoc|ceases?|\blapses?\b|\bexpir"
# "shall lose its Access Rights from the date the proceedings are filed"
_ENDS += r"|\blos(e|es|ing) (its|your|their|the|all) (\w+ )?(access|licen|rights?)"
# The licence (not a session, a sequence or a warranty) ends: "ends this licence", "revocation of
# access", "the Licence comes to an end", "loses their licence".
_LICENCE_ENDS = (
    r"(terminat\w*|revo[kc]\w*|\bend(s|ed)?|\bceases?|\blapses?|\bvoids?)\b.{0,30}\b(licen"
    r"|agreement|access|rights|permission)|\b(licen[cs]e|agreement|access|rights)\b.{0,50}"
    r"\b(terminat|revo[kc]|end|ceas|laps|void)"
    r"|\blos(e|es|ing) (you |them |it )?(its|your|their|the|all) (\w+ )?(access|licen|rights?)"
)
LICENSOR_POWER_RULES: dict[str, Rule] = {
    "litigation_termination": rule(
        near(_SUE, _ENDS, 400)
        + r"|"
        + near(
            r"(challeng|contest|disput|question)\w*\b.{0,60}\b(validity|ownership"
            r"|intellectual property"
            r"|patents?|copyrights?"
            r"|trademarks?|rights? (in|to|of))",
            _ENDS + r"|\bvoid\b|forfeit",
            120,
        ),
        True,
        "the licence ends if you sue the licensor",
        "the licence ends if you sue the licensor over it",
    ),
    "discretionary_termination": rule(
        near(
            r"terminat\w*|revo[kc]\w*|suspend\w*|cancel\w*|discontinu\w*|\bend(s|ed)?\b|\bceases?\b"
            # plain English: "we can take away your access"; "your licence is over"
            r"|take (away|back) (your |the )?(access|licen[cs]e|rights?)|\b(is|are|will be) over\b"
            r"|withdraw\w*|\bpull\w* (your |the )?([\w-]+ )?(access|licen[cs]e|rights?)"
            r"|stop licensing"
            r"|\blapses?\b|\bcut\w* off\b|\bblock\w* (your |the )?(access|licen[cs]e)"
            # (eighth pass) "may disqualify a team"; "we may lock it"; "shall lose its rights"
            r"|\bpull (it|them)\b"
            r"|disqualif\w*|\block (it|them|your|the)\b|\blos(e|es|ing) (its|your|their|the|all)"
            r" (\w+ )?(access|licen|rights?)"
            # (tenth pass) "we may close your merchant account"; "may deactivate a courier
            # account"; "developers who launch a competing service forfeit their access"
            r"|\b(we|the licensor|licensor|the company|the provider) (may|can|reserves? the right"
            r" to) (\w+ ){0,3}(close|deactivate)\w* (your|the|its|their|a|an|any) ([\w-]+ )?"
            r"(account|access|licen)"
            r"|\bforfeit\w* (its|your|their|the|all) (\w+ )?(access|licen|rights?)",
            r"at any time|\bany (reason|time)\b|without cause|(sole|absolute|its|our"
            r"|their|[\w-]+'s|[\w-]+s') (discretion|election)|no (explanation|reasons?"
            r"|cause) (is )?"
            r"(owed|given|required|needed)|[\w-]+'s (determination|assessment)"
            r"|whether or not (the|any|a|that) (complaint|suspicion|allegation|claim)"
            r"|for convenience|competitor|compet(e|es|ing)\b|acquired|merge|change of control"
            r"|at (its|our|their) (sole )?option"
            r"|change (in|of) (the )?ownership|substitut\w*|irrespective of|regardless of"
            r"|\brivals?\b"
            r"|criticis|disparag|with or without (cause|notice)|at will|no reason"
            r"|(in|at) (its|our|their|the [\w-]+\W?s?|[\w-]+'s) (reasonable |sole )?(judge?ment"
            r"|opinion"
            r"|view)"
            r"|against (the|its|our) (\w+ )?interests?\b"
            # "inconsistent with the Foundation's mission, as the Foundation alone decides"
            r"|\b(alone|solely|exclusively) (decides?|determines?|judges?)\b"
            r"|\bon (any |a )?change in control\b.{0,60}\b(may|can|shall|will) (withdraw|terminat"
            r"|revoke|end|cancel)"
            r"|inconsistent with (its|our|the [\w-]+'s) (mission|values|principles|aims)"
            r"|reflects? (poorly|badly|negatively)"
            r"|(reasonably )?believes?"
            r"|at any moment|whenever (we|it|they|the licensor) (wants?|wish\w*|choose\w*|decide\w*"
            r"|judge"
            r"|sees? fit|thinks?|considers?|deems?|believes?|likes?|please)"
            # criticism in plain words: "if you say bad things about us in public"
            r"|(say|said|saying|post|make|publish)\w* (a |an )?(bad|negative|critical|disparaging"
            r"|harsh"
            r"|hostile|unflattering|adverse"
            r"|unfavou?rable) (things|statements|comments|remarks|reviews?)\b"
            r"|without (stating |giving |providing |assigning )?(any |an )?(reasons?|explanation"
            r"|justification)"
            r"|(damag|harm|hurt)\w* (its|our|the licensor\W?s?) (brand|business|image)"
            r"|(damag|harm|hurt|undermin|impair)\w* (the )?(credibility|reputation|standing|trust"
            r"|image|brand) of|\bin competition with"
            r"|\b(it|we|licensor|company|provider) (\w+ly )?(determines?|deems?|decides?|considers?"
            r"|judges?)\b"
            r"|reputation"
            r"|(harm|damag|hurt|prejudic|against)\w* .{0,30}interests"
            r"|disrepute|goodwill"
            r"|suspects?|compet\w+ (product|service|model|offering|business)"
            r"|insolven|bankrupt|liquidat|sanction|without (any )?liability"
            # publishing benchmark comparisons (a criticism clause)
            r"|(publish|disclos|releas)\w* ([\w-]+ ){0,3}(benchmark|comparison)"
            # (rounds 50-58) "whether or not you have broken any term"; "need not wait until the
            # allegation is resolved"; "whenever a partner notifies us"; "on its own assessment"
            r"|whether or not (you|the licensee|licensee) (have |has )?(broken|breached|violated)"
            r"|(broke|breached|violated) no (term|provision)|need not wait|without waiting for"
            r"|whenever .{0,40}\b(notif|report|tells?|informs?|complain)"
            r"|(its|our|their) own (assessment|judge?ment|view|opinion)"
            # a change of control: "should control of the Licensee pass to a third party"
            r"|control (of|over) (the licensee|licensee|you\b|your)"
            # defeating the licensor's safeguards ends the licence (safety_guardrail says what)
            r"|(bypass|circumvent|disabl|tamper\w* with|defeat|jailbreak)\w*\b.{0,40}\b(safety"
            r"|guardrail|safeguard|filter|protection|moderation)",
            100,
        )
        # defeating a safeguard ends the licence, however long the list between the two; (tenth
        # pass) safety devices that are no filter too: "tampering with the fatigue cut-off ...
        # ends this licence"; the end must be the licence's ("switching off the alarm ends the
        # alert sequence", "voids the manufacturer's warranty" end none)
        + r"|"
        + near(
            r"(bypass|circumvent|disabl|tamper\w* with|defeat|jailbreak|strip|switch\w* off"
            r"|turn\w* off)\w*\b.{0,80}\b(interlock|fail-?safe|suppression|plausibility|cut-?off"
            r"|screening|alarm|safety|guardrail|safeguard|filter|protection|moderation)"
            # "keep the safety filter switched on; turning it off ends your licence"
            r"|(safety|guardrail|safeguard|filter|protection|moderation)\b.{0,60}\b(turn|switch)\w*"
            r" (it|them) off\b"
            r"|\bslip\w* .{0,60}\bpast the ([\w-]+ ){0,3}(classifier|filter|check|guard\w*)",
            _LICENCE_ENDS,
            400,
        )
        # a list of the licensor's options: "Apple may, at its option: (a) ...; (b) ...; or (c)
        # suspend your rights ..."
        + r"|\bat (its|our|their) (sole )?option\b.{0,300}\b(suspend|terminat|revok)\w*"
        # at will on notice: "may end this Agreement on thirty days' written notice" (a
        # patent suit's notice period is no such power: the licensor is not the one who may)
        + r"|\b(may|can|reserves? the right to)\b (\w+ ){0,4}(terminat\w*|end|revoke|cancel)\b"
        r".{0,80}"
        r"\b(on|upon|by giving|with|after) (\w+ ){0,2}(\(\d+\) )?(days?|weeks?|months?)\W? "
        r"((prior|written|advance) )*notice",
        True,
        "the licensor may end the licence at will or for reasons beyond a breach",
        "the licensor may end the licence at will",
    ),
    "remote_update": rule(
        r"restrict \(remotely|remotely or otherwise|licen[cs]e server"
        # "remotely" alone is no power: it must restrict, disable or change something
        r"|"
        + near(
            r"\bremotely\b",
            r"restrict|disabl|limit|throttl|shut|modif|alter|revok|suspend|deactivat|control"
            r"|updat|terminat|delet|lock|block|switch\w* off|replac|withdraw|degrad|roll\w* back",
            60,
        )
        + r"|connect to (our|the licensor\W?s?) servers?"
        # (ninth pass) updates the licensee may not refuse, and switch-offs from afar
        r"|\bby remote command|from (its|our|their) (own )?servers\b.{0,60}\b(suspend|degrad|disabl"
        r"|restrict|switch\w* off)"
        r"|(updates?|patch\w*)\b.{0,60}\b(cannot|can not|may not|shall not|must not) (be )?(postpon"
        r"|refus|block|delay|defer|declin|held back|rolled back)"
        r"|\b(may|shall|must|will) not (\w+ ){0,6}(block|delay|defer|refuse|postpone"
        r"|hold)\w* (\w+ )"
        r"{0,4}(updates?|patch\w*|check-?ins?|update service)"
        r"|hold (those |these |the |such )?(updates?|patch\w*) back|mandatory (\w+ )?updates?\b"
        r"|(?<!you )(?<!licensee )(may|can|will|reserves the right to) (\w+ ){0,3}(push|deliver"
        r"|install|apply|force)\w* (\w+ ){0,3}updates?"
        r"|(throttle|shut off|shut down|alter).{0,60}(technical means|remotely|network)"
        r"|\b(restrict|suspend|revok|disabl|block|limit)\w* .{0,60}technical (means|measures)"
        r"|technical (means|measures) (to )?(restrict|suspend|revok|disabl|block|limit)"
        r"|modify the output.{0,60}updates|update the model through electronic means"
        r"|over[- ]the[- ]air|kill[- ]switch|(updat|modif|chang)\w* the (model|software|weights)"
        r" (\w+ ){0,3}without (your )?(consent|notice|approval)"
        # "a mechanism that lets the licensor deactivate it"
        r"|(mechanism|means|ability|capability|feature) (that |which )?(lets|allows|enables"
        r"|permits) (the licensor|us|it|them)\b.{0,40}(deactivat|disabl|shut|lock|restrict|revok)"
        # licence checks against the licensor's servers: a copy that stops when they say so
        r"|"
        + near(
            r"servers?|online|over the internet|network",
            r"(verif|validat|authenticat|check)\w* (your |the )?licen[cs]e|stop (functioning"
            r"|working)|ceases? to (function|work)",
            80,
        ),
        True,
        "the licensor may restrict use remotely",
        "the licensor may restrict use remotely",
    ),
    "governing_law": rule(
        r"(governed|construed|interpreted).{0,80}\blaws?\b",
        False,
        "",
        "",
    ),
}
