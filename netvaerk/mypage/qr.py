"""The QR code of a personal link, as inline SVG (no file, no script; the CSP allows it)."""

import segno


def svg(url: str) -> str:
    """An SVG drawing of the link's QR code, to put into the printable page."""
    code = segno.make_qr(url, error="m")
    return code.svg_inline(scale=6, border=2, dark="#000", light="#fff", title=None)
