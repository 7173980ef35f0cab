"""The typed ports the application layer depends on: storage and Slack."""
