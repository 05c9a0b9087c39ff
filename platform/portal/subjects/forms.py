from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget


class SubjectsForm(FlaskForm):
    """The author's corrections: untick a wrong subject, name a missing one."""

    keep = SelectMultipleField(_l("The portal understood this listing as being about:"), choices=[],
                               validate_choice=False, option_widget=CheckboxInput(),
                               widget=ListWidget(prefix_label=False))
    add = StringField(_l("Add a subject"), validators=[Optional(), Length(max=120)],
                      description=_l("Start typing in any language and pick a subject from the list."))
    save = SubmitField(_l("Save subjects"))
