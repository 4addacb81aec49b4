from services.customer_list.app import create_app
from services.customer_list.settings import CustomerListSettings
from shared.http.web import serve
from shared.logging import configure_logging
from shared.security.production import load_settings, require_fit_to_serve
from shared.tracing import setup_tracing


def main() -> None:
    settings = load_settings(CustomerListSettings)
    configure_logging(settings.log_level, service="customer_list")
    setup_tracing("customer_list")  # before the app: the instrumentations patch its classes
    require_fit_to_serve(settings, "customer_list")
    serve(create_app(settings), settings.host, settings.port)


if __name__ == "__main__":
    main()
