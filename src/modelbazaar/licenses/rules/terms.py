"""Terms changes: the licensor may change the terms, the use policy or the list of restrictions
(posting revised terms, deemed acceptance, continued use, "the current version applies").

Example: `TERMS_RULES["terms_change"].matches("we may update these terms")` -> True.
"""

from __future__ import annotations

from modelbazaar.licenses.rules.base import POLICY, Rule, rule

_CHANGE = r"updat\w*|chang\w*|amend\w*|modif\w*|revis\w*|alter\w*|replac\w*|supplement\w*"
_CHANGE += r"|adjust\w*|restat\w*"
_TERMS = r"these terms|this agreement|this licen[cs]e|the terms|the agreement|the licen[cs]e"
_TERMS += r"|these rules"
_TERMS += r"|(the|these) terms of (use|service)"
_TERMS += r"|these conditions|this polic\w*|the polic\w*|(the |this |our )?(" + POLICY + ")"
# the restrictions or a schedule of them: "we may change the restrictions in Schedule A"
# (a lettered schedule: "this Appendix" of EUPL lists compatible licences, no restrictions)
_TERMS += r"|the (use[- ]based |use )?restrictions|(attachment|appendix|annex|schedule|exhibit)"
_TERMS += r" [a-z0-9]\b|(the )?list of (prohibited|restricted|banned|forbidden) (uses|activities"
_TERMS += r"|purposes)"
# a named document of the licensor's: "these Data Use Terms", "this EULA", "the Dataset Terms"
_TERMS += r"|(these|this|our) ([\w-]+ ){1,3}(terms|agreement|licen[cs]e|conditions)\b|\beula\b"
_TERMS += r"|the ([\w-]+ ){1,2}terms\b"
TERMS_RULES: dict[str, Rule] = {
    "terms_change": rule(
        r"(reserves? the right(, [^,]{1,80},)? to|(ha(s|ve)|retains?) the right to"
        r"|(is|be|are) entitled to"
        r"|\bmay|\bcan|\bmight|\bcould"
        # an aside may sit between the modal and the verb: "we may, in our sole discretion, revise"
        r"|\bwill)(, [^,]{1,50},)? (at any time |from time to time |at (our|its|their) (sole "
        r"|absolute )?discretion )?(unilaterally )?(" + _CHANGE + r"|add to|remove)"
        r".{0,60}(" + _TERMS + r")"
        r"|(continued|continuing) (use|access|to).{0,80}(constitutes|signifies|deemed|means|after)"
        r"|(apply|applies|bind\w*|govern\w*) (to )?(your )?(continued|continuing) (use|access)"
        # new terms that reach back: "which also apply to any earlier release you still use"
        r"|(apply|applies|govern\w*) (also )?(to )?(any |all |your |every )?(earlier|prior|previous"
        r"|existing|older) (releases?|versions? of the (model|weights)|copies)"
        # "the change applies to any use after it is published"; "updated licence terms, which
        # govern your use"
        r"|\b(the|such|any|each|every) (change|update|amendment|revision|modification)s? "
        r"(applies|apply|will apply|shall apply|takes? effect|binds?) (to |for |on |upon )?(any|all"
        r"|your|every)"
        r" (further |future |later |subsequent )?(use|copies|access)"
        r"|(updated|amended|revised|changed|modified) (licen[cs]e )?(terms|eula|agreement"
        r"|licen[cs]e)\b.{0,60}\b(govern|bind|take effect|become effective|appl(y|ies) to (all"
        r"|any|every|each))"
        r"|(" + _TERMS + r").{0,40}(may|will|can) be (" + _CHANGE + r"|added to|expanded)"
        # "any such amendment, variation or supplement shall become binding ... on publication"
        r"|\b(any|each|every|such) (such )?(amendments?|variations?|changes?|modifications?"
        r"|revisions?|updates?)\b.{0,60}\b(shall|will) (become |be )?(binding|effective)\b.{0,60}"
        r"\b(publi|post|notice|notif)"
        # "this Policy is a living document"; "deemed to accept any amendment of these terms"
        r"|\bliving document\b|deemed to (have )?(accept|agree|consent)\w* (to )?(any|all|the"
        r"|such) (amendments?|changes?|updates?|revisions?|modifications?)"
        # "your obligations under this licence may be extended by later notices"
        r"|(obligations|restrictions|requirements|duties) (under|in) (" + _TERMS + r") (may|can"
        r"|will) be (extended|expanded|supplemented|added to|increased)"
        r"|(most recent|latest|current) (copy|version) of (this|these|the) (polic|terms|agreement"
        r"|licen)|(most recent|latest|up-to-date|current edition) (copy |version |edition )?of "
        r"(this|these|the|our) ([\w-]+ ){0,4}(polic|terms|agreement|licen|guidelines|rules|aup\b)"
        r"|(supersedes?|prevails? over|replaces?) (all )?(earlier|prior|previous) versions"
        r"|the latest version from time to time"
        r"|(after|following) (an|any|the|such) (" + _CHANGE + r") (to|of) (" + _TERMS + r")"
        r"|bound by the (updated|amended|revised|new|changed) (" + _TERMS + r"|agreement|terms)"
        r"|(" + _CHANGE + r").{0,60}without (prior )?notice|monitor the web address"
        r"|(post|publish|issue)\w* (the |a |an |any )?(new|revised|updated|amended|modified) "
        r"(agreement|terms|licen[cs]e|polic\w*)\b"
        r"|(post|publish|issue)\w* (a |an )?(new|revised|updated|amended) versions? of ("
        + _TERMS
        + r")"
        r"|\bvary (the|these|this|any of the) (terms|licen|agreement|conditions|polic)"
        r"|check this page periodically|subject to (change|amendment|revision|modification)"
        r"|(check|review|consult|monitor)\w* .{0,40}\bfor (any )?(changes|updates|amendments"
        r"|revisions)"
        # "changes to these terms become effective 30 days after"; "review it periodically for
        # changes"; "the licence terms then in effect"
        r"|(changes?|amendments?|modifications?|updates?|revisions?) (to|of) ("
        + _TERMS
        + r"|it|them)\b.{0,80}"
        r"\b(effective|apply|take effect|binding|bind)"
        r"|(review|check|consult) (" + _TERMS + r"|it|them) (periodically|regularly|from time to"
        r" time)|(periodically|regularly) (review|check|consult) (" + _TERMS + r")"
        r"|(terms|agreement|licen[cs]e|polic\w*|conditions) (\w+ ){0,2}then in (effect|force)"
        # "this Policy may change"; "new terms, which you accept by continuing to use the Model"
        r"|(" + _TERMS + r") (may|can|will|might) (change|evolve)\b"
        r"|(accept|agree)\w* .{0,40}\bby (continu\w*|keep\w*) (to )?(use|using|access)"
        r"|(may|can|will) (introduce|add|impose) (new|additional|further) (terms|conditions"
        r"|restrictions|rules|limitations)"
        # "check back here from time to time, because this policy changes and the current version
        # always applies"
        r"|check (back|this page|here)\b.{0,30}(from time to time|regularly|periodically|often)"
        r"|(this|the|our) (polic\w*|terms|licen[cs]e|agreement|rules) changes\b"
        r"|the (current|latest|newest) version (always |then )?(applies|governs|binds)"
        # "we may publish additional guidelines that form part of this licence"
        r"|(may|can|will) (\w+ ){0,4}(publish|issue|add|introduce)\w* (additional|new|further"
        r"|supplementary|supplemental) "
        r"(guidelines|terms|conditions|rules|polic\w*)\b.{0,60}(form (an integral |a )?part of"
        r"|incorporated"
        r"|apply to|bind|binding)"
        # "we will post any modifications on this page"; "the then-current version of the AUP"
        r"|(post|publish)\w* (any )?(changes|modifications|updates|amendments|revisions)\b.{0,40}"
        r"\b(page|website|site|take effect)|then[- ]current (version (of )?)?(the |this |these )?"
        r"(\w+ ){0,3}(terms|agreement|licen\w*|polic\w*|eula)"
        r"|(in effect|in force) from time to time"
        # (what changes must be the terms or a policy: "the contents of this file, as updated
        # from time to time" is no change of terms)
        r"|(terms|agreement|licen[cs]e|polic\w*|guidelines|rules|conditions)\b[^.]{0,40}as "
        r"(amended|updated|revised|modified|changed) from time to time"
        r"|notify you of (any )?(material )?(changes|updates|amendments|revisions)"
        r"|(issue|publish|post|make)\w* (any )?(updates|amendments|revisions|changes|modifications)"
        r" (to|of) (" + _TERMS + r")"
        # "which may be changed from time to time"; "changes take effect when posted"
        r"|(may|can|will) be (" + _CHANGE + r") (from time to time|at any time|periodically"
        r"|without (prior )?notice|(in|at) (its|our|their|the licensor\W?s?) (sole )?discretion)"
        r"|(" + _CHANGE + r")\w* .{0,60}(effective|binding|take effect|apply) (upon|on|from|when"
        r"|once) (posting|publication|being posted|(it is|they are) (posted|published))"
        # "revised terms will be effective as of the date they are posted"
        r"|(revised|updated|amended|changed|modified|new) (terms|agreement|licen[cs]e|polic\w*"
        r"|versions?)\b.{0,40}\b(effective|binding|apply|take effect)\b.{0,40}\b(post|publi)"
        r"|(revised|updated|amended|new|future|later|subsequent) (versions? of )?(these terms"
        r"|this agreement|the terms"
        r"|the agreement|this licen[cs]e|this polic\w*)\b.{0,50}(will|shall) (apply|govern"
        r"|supersede|replace|be binding|bind)"
        # "you agree to comply with any updated licence or cease use": a change you must accept
        r"|(comply with|accept|agree to|be bound by) (any|the|such|each) (updated|amended|revised"
        r"|modified|changed|new) (version of )?(this |these |the )?(licen|terms|agreement|polic)"
        # "this Agreement, as the Licensor may amend it from time to time"
        r"|\bas (\w+ ){0,2}(may|can) (" + _CHANGE + r") (it|them)\b",
        True,
        "the licensor may change the terms unilaterally",
        "watch for changed terms: the licensor may change them at any time",
    ),  # fmt: skip
}
