"""Procurement's domain errors (messages for people, stable codes for clients)."""


