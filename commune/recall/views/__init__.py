"""Pages of recall: petitions, their ballots and results (``petitions``), and the tellers' desk of a recall
ballot's paper channel (``papers``); see ``commune.recall.urls``."""
