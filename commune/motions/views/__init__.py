"""Pages of motions, one module a subject (``motions``, ``votes``, ``sessions``, ``statutory``): a body's
agenda and motions, moving, supporting and amending a motion, its page with its provenance, putting it to
the vote, forwarding it up and referring it down; a vote with its rule and result, and the ballot of an
assembly vote or referendum; a council's sessions, a session's roll and recorded votes; a referral's
results across the units; a statutory ballot.

Every current member may read all of it. What a member may do is decided by the services; their refusals
come back as form errors or messages. A delegate casts their seat's vote on the mandates page
(``commune.mandates.views``), since that is where it is checked against their constituency's mandate.
"""
