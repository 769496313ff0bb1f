"""bcpy: the small helper shared by the Python SDK adapters and flows of
harness/python (protocol loop, test keys, a binance-mock launcher, the flow
steps). Nothing here knows about any SDK; each adapters/<lib>.py and
flows/<lib>.py talks to exactly one library."""
