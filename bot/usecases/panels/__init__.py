"""Interview panels: creating and planning one, private kits, sealed scorecards,
reminders, the debrief, the decision and the purge. Every entry point checks the
caller's place on the panel (`access`) before it reads or writes anything of it."""
