"""Step 3 of the flow, the model, one concern per module:

- ``prompts``: the instructions, versioned by their content;
- ``client``: one schema-constrained chat call (instructor over openai), with its retry layers;
- ``embedded``: the local model (llama.cpp in-process) that answers when no endpoint is set;
- ``cassettes``: recorded exchanges, replayed offline by tests and evals;
- ``_fast``: the opt-in client past instructor's and openai's public APIs (``EXTRACTOR_FAST_CLIENT``).

Nothing is imported here: the CLI's help and ``import extractor`` do not pay for the HTTP client.
"""
