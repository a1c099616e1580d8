"""Pages of elections: each election and its result (``elections``), and the ballot, the receipt and the
bulletin (``ballots``); see ``commune.elections.urls``."""
