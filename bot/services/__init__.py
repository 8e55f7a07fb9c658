"""Domain logic, free of Telegram: functions take an AsyncSession and plain values, never commit."""
