"""Atlante di Comunità: records, validation and site generation for a social-welfare Ambito."""

__version__ = "0.1.0"
