"""Recourse: step-by-step help after intimate images are shared without consent.

Everything a person enters is encrypted on their own device (see ``pwa_app.vault``).
"""

__version__ = "0.2.1"
