"""Field officers (pendamping): assisted onboarding of owners with their recorded consent, claims, outcomes."""
