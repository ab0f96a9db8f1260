"""The local side of Kado: dev server, DynamoDB Local, dev tokens, demo data.

Nothing in here is imported by the Lambda handlers.
"""
