"""``disclosure serve``: the library behind an HTTP API and a web page (the optional extra
``disclosure[serve]``: Starlette and uvicorn).

* :mod:`.app` builds the application (:func:`create_app`) around one :class:`Service`;
* :mod:`.routes` reads each request and answers in the library's JSON layouts;
* :mod:`.requests` checks the shape of a request body; :mod:`.limits` bounds its size,
  nesting, time and the work in flight; :mod:`.errors` turns every refusal into a 4xx
  with the JSON path of what was wrong;
* :mod:`.security` guards every request (token, security headers, access log without
  facts, a generic 500 for bugs);
* :mod:`.answers` adds the provenance headers and the typed next question;
* :mod:`.openapi` is the OpenAPI document and the HTTP reference generated from it;
* ``static/`` holds the page: HTML, CSS and JavaScript, no external resource.

Its settings (:class:`disclosure._cli.serve.ServeConfig`) and the token file reader
belong to the command that starts it, one stage below. The package imports nothing
itself: ``python -m disclosure._serve.openapi`` (which prints the HTTP reference) loads
only what it needs.
"""
