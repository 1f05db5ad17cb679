"""Conversations: a thread of messages between two (or more) parties about a subject (an inquiry today; a staples
match, an event application later). The subject's feature owns the pages and the scope; this package owns the
messages, who has read what, and telling the other side."""
