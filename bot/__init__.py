"""workout-bot: follow training programs, log every workout, coach trainees - on Telegram."""

__version__ = "0.1.0"
