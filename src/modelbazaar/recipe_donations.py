"""The `[policy]` keys that judge a data donation (`bazaar review` of a `kind = "data"` bundle).

They live here, mixed into ``recipe.PolicyConfig``, so that the donation rules read as one
block. Every key has a default, so a recipe written before donations existed still loads::

    [policy]
    max_duplicate_share = 0.5     # reject a donation whose documents are mostly copies
    drop_duplicates = true        # merge only the new documents (false: keep them all)
    near_duplicate_threshold = 0.8
    max_pii_share = 0.01          # documents with personal data or secrets
    languages = ["en"]            # [] accepts any language
    min_language_share = 0.9
    max_low_quality_share = 0.3   # near-empty or repeated-line documents
    trial_steps = 50              # the effect trial's budget, per arm
    trial_lr = 0.0003             # unset: the recipe's final learning rate
    max_synthetic_share = 0.5     # of training tokens, after adding the donation
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

# Measured by `bench/collapse.py`: a chain of models that each trained only on the previous
# one's samples lost diversity generation by generation, while a chain that kept half of every
# generation's data human did not move beyond seed noise. Half is the measured safe point.
MAX_SYNTHETIC_SHARE = 0.5


class DonationPolicy(BaseModel):
    """How a data donation is judged; see the module docstring and the README."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    # Duplicates (exact + MinHash near duplicates, inside the donation and against the corpus).
    max_duplicate_share: float = Field(0.5, ge=0, le=1)
    drop_duplicates: bool = True  # merge drops duplicate documents; false keeps them
    near_duplicate_threshold: float = Field(0.8, gt=0, le=1)  # estimated Jaccard similarity
    # Personal data and secrets: the share of documents with any finding.
    max_pii_share: float = Field(0.01, ge=0, le=1)
    # Language and quality.
    languages: list[str] = Field(default_factory=list, max_length=64)  # ISO 639-1; []: any
    min_language_share: float = Field(0.9, ge=0, le=1)
    # Dialogue has many one-line speeches: 17% of a Shakespeare sample is near-empty (< 20
    # letters), so the default leaves room for them and still refuses spam and loops.
    max_low_quality_share: float = Field(0.3, ge=0, le=1)
    # Effect trial: continue training the base on corpus + donation and on corpus alone.
    trial_steps: int = Field(50, ge=1, le=100_000)
    trial_lr: float | None = Field(None, gt=0, le=10)  # None: lr * min_lr_ratio of [train]
    # Collapse monitor: synthetic share of training tokens after the donation is added.
    max_synthetic_share: float = Field(MAX_SYNTHETIC_SHARE, ge=0, le=1)
