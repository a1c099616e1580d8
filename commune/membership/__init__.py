"""Joining an organisation: applications, their confirmation by email, and admission as the constitution
says (``membership.admission``)."""
