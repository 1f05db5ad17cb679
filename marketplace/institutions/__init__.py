"""Institutions that certify, test and train UMKM (BBSPJIKB, the halal facilitation, associations): their services,
the owners' service requests with a readiness checklist, and training cohorts with certificates of attendance."""
