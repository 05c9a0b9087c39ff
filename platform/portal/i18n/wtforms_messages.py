"""WTForms' and Flask-WTF's built-in messages, listed so that extraction puts them in our catalogs.

They are shown through ``PortalForm``'s translations; nothing imports this module.
"""


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext no-op marker
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    return singular, plural


MESSAGES = (
    N_("This field is required."),
    N_("Invalid email address."),
    N_("Invalid URL."),
    N_("Invalid input."),
    N_("Invalid value, must be one of: %(values)s."),
    N_("Invalid value, can't be any of: %(values)s."),
    N_("Not a valid choice."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
    N_("Not a valid date value."),
    N_("Not a valid datetime value."),
    N_("Invalid Choice: could not coerce."),
    N_("Choices cannot be None."),
    N_("'%(value)s' is not a valid choice for this field."),
    N_("'%(value)s' are not valid choices for this field."),
    N_("Field must be equal to %(other_name)s."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("The CSRF token is missing."),
    N_("The CSRF token has expired."),
    N_("The CSRF tokens do not match."),
    N_("The CSRF token is invalid."),
    N_("The CSRF session token is missing."),
    N_("Invalid CSRF Token."),
    N_("CSRF failed."),
    N_("CSRF token expired."),
    N_plural("Field must be at least %(min)d character long.",
             "Field must be at least %(min)d characters long."),
    N_plural("Field cannot be longer than %(max)d character.",
             "Field cannot be longer than %(max)d characters."),
    N_plural("Field must be exactly %(max)d character long.",
             "Field must be exactly %(max)d characters long."),
    N_plural("Field must be between %(min)d and %(max)d characters long.",
             "Field must be between %(min)d and %(max)d characters long."),
)
