"""The public contracts: what the gateway and the services agree on, declared once.

``contracts.documents`` holds the OCAPI request and response documents (pydantic models),
``contracts.routes`` every public endpoint. Nothing here imports the gateway or a service.
"""
