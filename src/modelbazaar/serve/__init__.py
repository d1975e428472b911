"""`bazaar serve`: a stored version behind an OpenAI-compatible HTTP API (front door).

Modules, each small and about one thing:

- ``batch``      the padded KV cache of the sequences decoding together (merge, drop, trim)
- ``sampling``   next tokens for a batch: greedy, temperature, top-p, per-request seeds
- ``scheduler``  continuous batching in one thread: waiting prompts prefilled together, one
                 decode forward per step for every running sequence
- ``engine``     the scheduler in a child process (the default), fed over pipes
- ``text``       prompts (chat templates, the plain template), context checks, incremental
                 detokenisation and stop strings
- ``guarding``   the guard's interface (a Protocol), its lazy loading, the moderation format
- ``keys``       the API-key file (hashed keys), ``apierrors`` OpenAI's error format,
                 ``limits`` body size, per-key concurrency and authentication (ASGI middleware)
- ``schemas``    the request bodies (pydantic), ``responses`` the response objects
- ``routes``     the endpoints, ``app`` the FastAPI factory and its lifespan
"""
