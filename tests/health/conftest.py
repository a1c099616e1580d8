from tests.provenance.federation import clock  # noqa: F401  (the fixture, for every health test)
