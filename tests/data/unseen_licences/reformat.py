"""How the long licence copies in this folder were made (run once; the outputs are committed).

Real copies of long licences differ from the SPDX texts in layout, not words: gnu.org's plain
text wraps at ~70 columns and indents its sections, COPYING.LESSER holds only the LGPL-3.0
additions (not the GPL-3.0 text the SPDX entry appends), GitHub's Markdown copies use "##"
headings, many projects cut the "How to Apply" appendix. Each copy below applies such a
change to the SPDX text with a filled-in project header, so the words are the licence's own
and the layout is one the shipped index has never seen.

    PYTHONPATH=src python tests/data/unseen_licences/reformat.py
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from modelbazaar.licenses._data import spdx_texts

HERE = Path(__file__).parent


def wrap(text: str, width: int, indent_items: bool = False) -> str:
    """Re-wrap every paragraph at `width`, optionally indenting numbered sections."""
    out = []
    for paragraph in re.split(r"\n\s*\n", text):
        flat = " ".join(paragraph.split())
        lead = "  " if indent_items and re.match(r"^\d+\. ", flat) else ""
        out.append(textwrap.fill(flat, width, initial_indent=lead, subsequent_indent=lead))
    return "\n\n".join(out) + "\n"


def markdown(text: str) -> str:
    """Numbered section titles as '### n. Title', the licence name as '# ...'."""
    lines = wrap(text, 100).split("\n\n")
    lines[0] = "# " + lines[0].replace("\n", " ")
    titled = [f"### {p}" if re.match(r"^\d+\. [A-Z][\w ,-]{0,60}\.$", p) else p for p in lines]
    return "\n\n".join(titled)


def main() -> None:
    texts = spdx_texts()
    gpl3 = texts["GPL-3.0-only"]
    (HERE / "GPL-3.0.txt").write_text(
        wrap(gpl3.split("END OF TERMS AND CONDITIONS")[0], 70, indent_items=True)
        + "\n                     END OF TERMS AND CONDITIONS\n"
    )
    (HERE / "GPL-2.0.txt").write_text(wrap(texts["GPL-2.0-only"], 72, indent_items=True))
    (HERE / "LGPL-2.1.txt").write_text(wrap(texts["LGPL-2.1-only"], 76))
    lgpl3 = texts["LGPL-3.0-only"]
    cut = lgpl3.find("GNU GENERAL PUBLIC LICENSE")
    (HERE / "COPYING.LESSER").write_text(wrap(lgpl3[:cut] if cut > 0 else lgpl3, 70))
    (HERE / "AGPL-3.0.md").write_text(markdown(texts["AGPL-3.0-only"]))
    (HERE / "MPL-2.0.txt").write_text(
        "This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0.\n"
        "Copyright (c) 2023 The Kestrel Model Contributors\n\n" + wrap(texts["MPL-2.0"], 88)
    )


if __name__ == "__main__":
    main()
