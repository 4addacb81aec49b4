from services.customer_list.app import create_app
from services.customer_list.settings import CustomerListSettings
from shared.http.web import serve
from shared.logging import configure_logging
from shared.security.production import load_settings, require_fit_to_serve


def main() -> None:
    settings = load_settings(CustomerListSettings)
    configure_logging(settings.log_level, service="customer_list")
    require_fit_to_serve(settings, "customer_list")
    serve(create_app(settings), settings.host, settings.port)


if __name__ == "__main__":
    main()
