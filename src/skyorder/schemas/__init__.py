"""Request and response bodies of the native API, shared by the server and the SDK."""
