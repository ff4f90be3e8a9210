"""Step 4 of the flow, internal: the model's answer held to the text.

- ``policy``: the whole record, field by field (a value the text supports is kept, one it does
  not is dropped, a null the text clearly fills is filled by a reader's evidence);
- ``grounding``: the few fields the ``core`` strategy asks, the rest read by rule;
- ``support``: whether the text supports a value; ``roles``: a record per role by rule;
- ``evidence``: where each value of a record stands in the text (for ``extractor show``).
"""
