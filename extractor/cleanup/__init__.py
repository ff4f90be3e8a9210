"""Step 1 of the flow, internal: what arrived, decoded and recognised (``intake``: a page's JSON-LD, a
JSON document, or text) and tidied into the text the model and the readers see (``text``)."""
