from services.order.app import create_app
from services.order.hook_authorizer import AuthorizerNotConfigured
from services.order.settings import OrderSettings
from shared.http.web import serve
from shared.logging import configure_logging
from shared.security.production import load_settings, require_fit_to_serve
from shared.tracing import setup_tracing


def main() -> None:
    settings = load_settings(OrderSettings)
    configure_logging(settings.log_level, service="order")
    setup_tracing("order")  # before the app: the instrumentations patch its classes
    require_fit_to_serve(settings, "order")
    try:
        app = create_app(settings)
    except AuthorizerNotConfigured as exc:
        raise SystemExit(f"order service refused to start: {exc}") from None
    serve(app, settings.host, settings.port)


if __name__ == "__main__":
    main()
