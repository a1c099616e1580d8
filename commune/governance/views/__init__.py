"""Pages of answerable power, one module a subject (``offices``, ``tendencies``, ``executives``,
``amendments``): the public register of offices and officers' pay; tendencies, founded, joined, left
and dissolved only by their own members; executives with their charters, powers and decisions, called in
and reversed by their councils; the constitution's amendment history, and proposing an amendment (which
only starts a motion on its way to a referendum of the membership).

Every current member may read all of it. What a member may do is decided by the services; their refusals
come back as form errors or messages, with the status the API would give.
"""
