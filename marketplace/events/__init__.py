"""Events (bazaar, expo, festival, market day): booths that owners apply for, confirm, and bring buyers to."""
