"""Merge methods (peft merge_utils, one registry); the `bazaar merge` story is `workflows.merge`."""

from modelbazaar.merge.methods import METHODS, check_method, merge_deltas, merged_weights

__all__ = ["METHODS", "check_method", "merge_deltas", "merged_weights"]
