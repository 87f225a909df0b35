"""Real services on loopback for the server profile's tests and ``bench scale``: a throwaway PostgreSQL cluster,
a ``chroma run`` server, API worker processes, a scripted OpenAI-compatible responder, and a shopper client that
fails over between workers."""
