"""Telegram layer: parse the update, call a service, render through bot.ui, return the next state."""
