"""Forms for questions: ask, answer (or reword an answer), hide. Plain text over several lines, with the
multi-line rule of portal.text and a length limit each."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.forms import VersionField, no_control_characters, strip
from portal.models.questions import ANSWER_LENGTH, QUESTION_LENGTH

REASON_LENGTH = 500


class QuestionForm(FlaskForm):
    body = TextAreaField("Your question", filters=[strip],
                         description=f"Plain text, up to {QUESTION_LENGTH} characters. The owners see your name; "
                                     "once they answer, everyone who can see the opportunity sees the question and "
                                     "the answer, without your name.",
                         validators=[DataRequired("Write your question"),
                                     Length(max=QUESTION_LENGTH,
                                            message=f"Keep your question to {QUESTION_LENGTH} characters or fewer"),
                                     no_control_characters])


class AnswerForm(FlaskForm):
    answer = TextAreaField("Your answer", filters=[strip],
                           description=f"Plain text, up to {ANSWER_LENGTH} characters. Everyone who can see the "
                                       "opportunity will see it with the question.",
                           validators=[DataRequired("Write your answer"),
                                       Length(max=ANSWER_LENGTH,
                                              message=f"Keep your answer to {ANSWER_LENGTH} characters or fewer"),
                                       no_control_characters])
    version = VersionField()


class HideForm(FlaskForm):
    reason = TextAreaField("Why hide it?", filters=[strip],
                           description="Kept in the audit log; the person who asked is not told.",
                           validators=[Optional(), Length(max=REASON_LENGTH,
                                                          message=f"Keep the reason to {REASON_LENGTH} characters "
                                                                  "or fewer"),
                                       no_control_characters])
    version = VersionField()
