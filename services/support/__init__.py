"""Customer service: conversations over chat, email and phone notes, in one inbox."""
