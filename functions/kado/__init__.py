"""Kado: gifting and gamification for B2B loyalty programs."""
