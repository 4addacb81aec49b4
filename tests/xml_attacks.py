"""The classic XML attacks, sent as bodies (read by the unit and the API tests)."""

BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b"]><lolz>&lol9;</lolz>")
XXE = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r><a>&x;</a></r>'
EXTERNAL_DTD = b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd"><r/>'
PARAMETER_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p">%p;]>'
                    b"<r/>")
INTERNAL_DTD = b'<?xml version="1.0"?><!DOCTYPE r [<!ELEMENT r ANY>]><r><a>b</a></r>'
DEEP = b"<a>" * 100_000 + b"</a>" * 100_000
ATTACKS = {"billion-laughs": BILLION_LAUGHS, "xxe": XXE, "external-dtd": EXTERNAL_DTD,
           "parameter-entity": PARAMETER_ENTITY, "dtd": INTERNAL_DTD, "deep-nesting": DEEP}
