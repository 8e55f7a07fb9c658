"""JobQueue (APScheduler) callbacks."""
