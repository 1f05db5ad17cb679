"""In-app notifications, mirrored by email, in the recipient's language."""
