"""Answerable power: executives created by councils, the members' constitution, offices and tendencies.

* **Executives** (executives, commissions, officers' bodies) exist only by a council's adopted motion that
  states their powers; every decision they take names the power it used; the council can call any of them
  in and reverse it, and can dissolve the executive. Executives cannot create bodies of their own.
* **The constitution** changes only by a referendum of the whole membership on a proposal; bodies propose.
* **Offices**: term limits at nomination (``commune.elections.services.term_limits``), pay capped at the
  constitution's multiple of the members' median wage, and a public register.
* **Tendencies**: public groupings of members that only their own members can dissolve.
"""
