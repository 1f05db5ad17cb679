"""Certifications (SNI, halal, industri hijau, P-IRT, BPOM, merek) claimed by owners and verified by moderators."""
