"""Pages of an organisation (each module one part of the site; see ``commune.federation.urls``)."""
