"""Placeholder until this command group lands."""


def register(cli):
    return None
