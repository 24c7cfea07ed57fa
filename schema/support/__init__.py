"""Customer service types: conversations, their messages, and what they are about."""
