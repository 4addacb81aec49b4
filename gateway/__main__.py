from gateway.app import create_app
from gateway.settings import GatewaySettings
from shared.http.web import serve
from shared.logging import configure_logging
from shared.security.production import load_settings, require_fit_to_serve
from shared.tracing import setup_tracing


def main() -> None:
    settings = load_settings(GatewaySettings)
    configure_logging(settings.log_level, service="gateway")
    setup_tracing("gateway")  # before the app: the instrumentations patch its classes
    require_fit_to_serve(settings, "gateway")
    # URL and header limits as SCAPI has them; longer lines are refused by the HTTP parser.
    serve(create_app(settings), settings.host, settings.port,
          max_line_size=settings.max_header_bytes, max_field_size=settings.max_header_bytes)


if __name__ == "__main__":
    main()
