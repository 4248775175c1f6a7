"""Read the forms on a page the way a browser would, so tests can fill and post every field."""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> input type ("textarea" for a text area)
    options: dict[str, list[str]] = field(default_factory=dict)  # select/radio/checkbox name -> values
    hidden: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)  # what the browser sends untouched

    def kind_of(self, name: str) -> str:
        """The field's type as the hostile-input corpus groups them: text, number, date, choice, file, hidden."""
        if name in self.files:
            return "file"
        if name in self.options:
            return "choice"
        if name in self.hidden:
            return "hidden"
        return {"number": "number", "date": "date"}.get(self.fields.get(name, ""), "text")


class _Parser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(action=a.get("action") or self.page_url, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "textarea") and a.get("name"):
            self._input(tag, a)
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.options.setdefault(self._select, [])
        elif tag == "option" and self._select:
            self._form.options[self._select].append(a.get("value", ""))
            if "selected" in a or self._select not in self._form.values:
                self._form.values[self._select] = [a.get("value", "")]

    def _input(self, tag: str, a: dict) -> None:
        name, kind = a["name"], a.get("type", "text") if tag == "input" else "textarea"
        form = self._form
        if kind == "hidden":
            form.hidden[name] = a.get("value", "")
            form.values[name] = [a.get("value", "")]
        elif kind in ("checkbox", "radio"):
            form.options.setdefault(name, []).append(a.get("value", "on"))
            if "checked" in a:
                form.values.setdefault(name, []).append(a.get("value", "on"))
        elif kind == "file":
            form.files.append(name)
        elif kind not in ("submit", "button"):
            form.fields[name] = kind
            form.values[name] = [a.get("value", "")]
            if kind == "textarea":
                self._textarea = name

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.values[self._textarea] = [self._form.values[self._textarea][0] + data]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_on(html: str, page_url: str) -> list[Form]:
    parser = _Parser(page_url)
    parser.feed(html)
    return parser.forms
