"""Form fields for numbers the way Danes write them: a decimal comma is as good as a point."""

from decimal import Decimal, InvalidOperation

from wtforms import DecimalField


class DecimalCommaField(DecimalField):
    """A DecimalField that accepts "1,5" as well as "1.5" (and spaces around the number)."""

    def process_formdata(self, valuelist):
        """Read a comma as the decimal sign; a thousands separator is not expected here."""
        if valuelist:
            raw = (valuelist[0] or "").strip().replace(" ", "")
            if raw.count(",") == 1 and "." not in raw:
                raw = raw.replace(",", ".")
            try:
                self.data = Decimal(raw) if raw else None
            except (InvalidOperation, ValueError) as error:
                self.data = None
                raise ValueError(self.gettext("Not a valid decimal value.")) from error
            if self.data is not None and not self.data.is_finite():
                self.data = None
                raise ValueError(self.gettext("Not a valid decimal value."))
