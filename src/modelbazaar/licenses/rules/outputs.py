"""Output-use bans: outputs (answers, completions, generated media, predictions) that may not
train, improve or distil other models, compete with the licensor, or be sold, published or passed
on; "you own the outputs" and outputs free for any use are not bans (vetoes in use_vetoes.py).

Example: `OUTPUT_RULES["output_use"].matches("you may not use outputs to train a competing
model")` -> True.
"""

from __future__ import annotations

from modelbazaar.licenses.rules.base import Rule, near, rule

_OUTPUT = (
    r"outputs?\b|results|completions?|responses|answers|generations|generated (text|content|data)"
    r"|generated (samples?|images?|audio|video|media|code)|(content|text|data|images?) (generated"
    r"|produced)|synthetic data|anything the model generates"
    r"|text or data produced|what the model (generates|produces)|predictions?\b"
    # "text that Larkspur-2 generates for you"
    r"|(text|content|images?|code|audio|data|anything|transcripts?|captions?|summar(y|ies))"
    r" (that |which )?(the )?([\w.-]+ ){1,3}(generates|produces|writes|creates|returns)\b"
    # "images you make with the model"
    r"|(images?|text|content|audio|videos?|code|data|pictures) (that )?you (make|create|generate"
    r"|produce) (with|using)"
    # "summaries produced by the Briefly feature"; "lines voiced by the NPC speech generator"
    r"|[\w-]+ (generated|produced|created|made|predicted|returned|yielded|synthesi[sz]ed|voiced"
    r"|delivered) (by|with|through) ((the|this|our|its|any|a|an) )?([\w'-]+ ){0,3}(model|software"
    r"|service|system|tool|simulator|engine|api|assistant|feature|generator|extension|endpoint|sdk"
    r"|app|agent|bot|chatbot|widget|module)s?\b"
    # (rounds 50-58) media made with a named tool: "tracks produced with Cadenzia"; "the
    # structures, sequences or fitness scores the Model emits"; "generated molecular structures"
    r"|\b(images?|tracks?|clips?|stems?|songs?|voices?|videos?|audio|melod(y|ies)|texts?|code)"
    r" (generated|produced|created|made|separated) (with|by|using) [\w-]+\b"
    r"|\b(it|the \w+) (emits|outputs)\b"
    r"|\b(generated|synthetic) ([\w-]+ ){0,2}(structures?|sequences?|melod(y|ies)|tracks?"
    r"|molecules?|designs?|stems?|voices?|clips?|avatars?)\b"
    # "signals from the Quarry Alpha engine"
    r"|\b(signals?|scores?|forecasts?|classifications?|embeddings?|transcripts?|captions?"
    r"|translations?|suggestions?) (from|of|by) (the )?([\w'-]+ ){0,3}(model|engine|api|service|sdk"
    r"|generator)s?\b"
    r"|(anything|whatever|what) (it|they|the \w+) (produces?|generates?|outputs?|writes|says"
    r"|creates|returns)\b"
)
# what may not happen to outputs: "... may not be sold on their own"
_PASSED_ON = (
    r"(\w+ ){0,2}be (sold|resold|licen[cs]ed|published|shared|offered|entered|returned|exported"
    r"|redistributed|packaged|relayed|compiled|harvested|gathered|collected|submitted|registered"
    r"|deposited|disclosed|supplied)\b"
)

OUTPUT_RULES: dict[str, Rule] = {
    "output_use": rule(
        near(
            _OUTPUT,
            r"(improv|train|fine[- ]?tun|develop|creat|build|distil|teach|pretrain|benchmark|learn"
            r"|compet|fed|feed)\w*.{0,100}(model|\bai\b|llm|machine learning|neural network"
            r"|system|other works|training data|datasets?|chatbots?|assistants?|classifiers?"
            r"|generators?)",
            160,
        )
        # "use the outputs however you want, except to make a model that competes with ours"
        + r"|"
        + near(
            _OUTPUT,
            r"\bmak(e|ing) (a|an|any|another|other|your own) ([\w-]+ )?(model|llm|ai\b)",
            160,
        )
        # "you must not use the outputs of the Model to compete with the Licensor"
        + r"|(outputs?|generations|responses)\b.{0,40}\bto compete\b"
        # (eighth pass) outputs that may not be sold, published or passed on: "audio outputs ...
        # may not be sold on their own"; "no prediction ... may be returned to the participant"
        + r"|"
        + near(
            _OUTPUT,
            r"((may|must|shall|can|will) ?not|can no longer|(is|are) not to|never) "
            + _PASSED_ON
            # "distributing them as a standalone sample pack is not permitted"
            + r"|(distributing|selling|reselling|publishing|sharing|offering) (them|it|such \w+)\b"
            r".{0,60}\bis not (permitted|allowed)"
            # "... the sequences the model emits into another system's training set"
            r"|\binto ([\w'-]+ ){0,4}training (data|sets?|corpus|corpora)\b",
            120,
        )
        + r"|\bno ([\w-]+ )?(outputs?|predictions?|answers?|completions?|responses?|generations?"
        r"|summar(y|ies)|transcripts?|images?)\b.{0,80}\b(may|shall|can|will) "
        + _PASSED_ON
        + r"|(outputs?|generated (text|content|data)|(content|data|text) (that )?you generate\w*)"
        r"\b.{0,40}(is|are|shall be|will be|remains?) subject to (the |all |any )?(same )?"
        r"(use[- ]based |use )?(restrictions|limitations|prohibitions)"
        r"|(use of the output|outputs?).{0,60}"
        r"(contravene|violate|breach|break|conflict\w* with|contradict)"
        r"|(contravene|violate).{0,80}use of the output"
        r"|distil\w* the model\W?s? (responses|outputs)"
        r"|distil\w*\b.{0,60}\b(into|to (create|train|build|make))\b.{0,40}(model|llm|system)"
        r"|(outputs?|generations|responses|content generated|generated content)\b.{0,60}\b(for|in"
        r"|to) (\w+ ){0,3}distil\w*"
        r"|(improve|train|fine[- ]?tune|develop|distill).{0,80}(with|using|on|from) (the |any )?"
        r"(outputs?|generated content|content generated)",
        True,
        "use of outputs to build other models is restricted",
        "do not use outputs to improve other models",
        # an output-use clause bans or limits; "you own the outputs you create" does not
        also=r"\bnot\b|cannot|n't|\bno\b|other than|apart from|save for|\bneither\b|\bnor\b"
        r"|prohibit|forbid|\bonly\b|restrict|never"
        r"|without|except|unless"
        r"|subject to|violat|contraven|breach|must|shall",
    ),
}
